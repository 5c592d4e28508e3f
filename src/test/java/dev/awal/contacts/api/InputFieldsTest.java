package dev.awal.contacts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** Input parsing without HTTP: JSON and form bodies, types before values, text PostgreSQL cannot store. */
class InputFieldsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void refusesBodiesThatAreNotAJsonObject() {
        assertBad(() -> parse(""));
        assertBad(() -> parse("{\"name\":"));
        assertBad(() -> parse("[1,2]"));
        assertBad(() -> parse("\"text\""));
    }

    @Test
    void trimsTextAndTreatsBlankAsAbsent() {
        InputFields fields = parse("{\"name\":\"  Sara  \",\"notes\":\"   \",\"gone\":null}");
        assertEquals("Sara", fields.text("name", 10));
        assertNull(fields.text("notes", 10));
        assertNull(fields.text("gone", 10));
        assertNull(fields.text("missing", 10));
        assertTrue(fields.has("gone"));
        assertFalse(fields.has("missing"));
    }

    @Test
    void countsLengthInCharactersNotBytesOrUtf16Units() {
        InputFields fields = parse("{\"name\":\"\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\"}");
        assertEquals("\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00", fields.text("name", 3));
        fields.text("name", 2);
        assertEquals(Map.of("name", "may not be longer than 2 characters"), invalid(fields).details());
    }

    @Test
    void wrongJsonTypesAreA400BeforeInvalidValuesAre422() {
        InputFields fields = parse("{\"name\":5,\"email\":\"not-an-email\",\"favorite\":\"yes\"}");
        fields.text("name", 10);
        fields.email("email");
        fields.bool("favorite");
        ApiException e = invalid(fields);
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertEquals(List.of("name", "favorite"), List.copyOf(e.details().keySet()));

        InputFields values = parse("{\"email\":\"not-an-email\"}");
        values.email("email");
        assertEquals(ErrorCode.VALIDATION_FAILED, invalid(values).code());
    }

    @Test
    void requiredFieldsNameThemselves() {
        InputFields fields = parse("{\"name\":\" \"}");
        assertNull(fields.text("name", 10, true));
        assertEquals(Map.of("name", "The name field is required"), invalid(fields).details());
    }

    @Test
    void idsArePositiveIntegersAndEmptyOrNullUnlinks() {
        InputFields fields = parse("{\"a\":7,\"b\":null,\"c\":\"\",\"d\":0,\"e\":1.5,\"f\":99999999999999999999}");
        assertEquals(Long.valueOf(7), fields.id("a"));
        assertNull(fields.id("b"));
        assertNull(fields.id("c"));
        assertNull(fields.id("d"));
        assertNull(fields.id("e"));
        assertNull(fields.id("f"));
        assertTrue(fields.hasError("d"));
        assertTrue(fields.hasError("e"));
        assertTrue(fields.hasError("f"));
    }

    @Test
    void formFieldsAreParsedFromTheirText() {
        MultiMap form = MultiMap.caseInsensitiveMultiMap().add("favorite", "TRUE").add("branch_id", "12")
                .add("status", "2").add("flag", "yes");
        InputFields fields = InputFields.parse(new ReceivedBody("application/x-www-form-urlencoded", null, form, List.of()),
                MAPPER);
        assertEquals(Boolean.TRUE, fields.bool("favorite"));
        assertEquals(Long.valueOf(12), fields.id("branch_id"));
        assertEquals(Integer.valueOf(2), fields.oneOf("status", 1, 2));
        assertNull(fields.bool("flag"));
        assertEquals(Map.of("flag", "must be true, false, 1 or 0"), invalid(fields).details());
    }

    @Test
    void textPostgresqlCannotStoreIsA422NamingTheField() {
        InputFields nul = parse("{\"name\":\"Sa\\u0000ra\"}");
        assertNull(nul.text("name", 10));
        assertEquals(Map.of("name", InputFields.UNSTORABLE), invalid(nul).details());

        byte[] broken = "{\"notes\":\"ab\u00FF\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        ApiException e = assertThrows(ApiException.class, () -> InputFields.parse(
                new ReceivedBody("application/json", Buffer.buffer(broken), null, List.of()), MAPPER));
        assertEquals(ErrorCode.VALIDATION_FAILED, e.code());
        assertEquals(Map.of("notes", InputFields.UNSTORABLE), e.details());

        MultiMap form = MultiMap.caseInsensitiveMultiMap().add("name", "Sa\uFFFDra");
        InputFields decoded = InputFields.parse(new ReceivedBody("application/x-www-form-urlencoded", null, form,
                List.of()), MAPPER);
        assertNull(decoded.text("name", 10));
        assertTrue(decoded.hasError("name"));
    }

    private static InputFields parse(String json) {
        return InputFields.parse(new ReceivedBody("application/json", Buffer.buffer(json), null, List.of()), MAPPER);
    }

    private static ApiException invalid(InputFields fields) {
        return assertThrows(ApiException.class, fields::throwIfInvalid);
    }

    private static void assertBad(Runnable parse) {
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ApiException.class, parse::run).code());
    }
}
