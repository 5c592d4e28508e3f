package dev.awal.contacts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.buffer.Buffer;

/**
 * The email, phone-format and UTF-8 checks are written by hand for speed; they must accept exactly what the
 * regexes and the JDK decoder they replaced accept. Checked on fixed cases and on many random strings over the characters
 * that matter to them.
 */
class HandWrittenChecksTest {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s.]{2,}");
    private static final Pattern FORMATTED = Pattern.compile("\\+?[0-9 ().\\-]{4,40}");
    private static final Pattern FORMATTING = Pattern.compile("[^0-9]");

    @Test
    void emailCases() {
        assertTrue(InputFields.isEmail("ahmed@example.com"));
        assertTrue(InputFields.isEmail("a.b@c.d.sa"));
        assertTrue(InputFields.isEmail("أحمد@مثال.السعودية"));
        assertFalse(InputFields.isEmail("@example.com"));
        assertFalse(InputFields.isEmail("a@b@example.com"));
        assertFalse(InputFields.isEmail("a@.com"));
        assertFalse(InputFields.isEmail("a@example.c"));
        assertFalse(InputFields.isEmail("a b@example.com"));
        assertFalse(InputFields.isEmail("a@example.\uD83D\uDE00"), "one code point after the dot is too few");
        assertTrue(InputFields.isEmail("a@example.\uD83D\uDE00\uD83D\uDE00"));
        assertTrue(InputFields.isEmail("x".repeat(64) + "@example.com"));
        assertFalse(InputFields.isEmail("x".repeat(65) + "@example.com"));
        assertTrue(InputFields.isEmail("\uD83D\uDE00".repeat(64) + "@example.com"), "64 code points, 128 chars");
    }

    @Test
    void emailAgreesWithTheRegex() {
        String[] parts = { "a", "b", "@", ".", " ", "\t", "\u000B", "\u00A0", "é", "\uD83D\uDE00", "x".repeat(30) };
        SplittableRandom random = new SplittableRandom(15);
        for (int n = 0; n < 200_000; n++) {
            String value = randomString(random, parts, 12);
            assertEquals(EMAIL.matcher(value).matches(), InputFields.isEmail(value), value);
        }
    }

    @Test
    void phoneFormatAgreesWithTheRegexes() {
        String[] parts = { "+", "0", "5", "9", " ", "(", ")", ".", "-", "a", "٥", "/", "\u00A0", "12345678" };
        SplittableRandom random = new SplittableRandom(15);
        for (int n = 0; n < 200_000; n++) {
            String value = randomString(random, parts, 14);
            String expected = FORMATTED.matcher(value).matches() ? FORMATTING.matcher(value).replaceAll("") : null;
            assertEquals(expected, PhoneNumbers.formattedDigits(value), value);
        }
        assertEquals("966501234567", PhoneNumbers.formattedDigits("+966 (50) 123-45.67"));
        assertEquals(null, PhoneNumbers.formattedDigits("+123"));
        assertEquals(null, PhoneNumbers.formattedDigits("1".repeat(41)));
        assertEquals("1".repeat(40), PhoneNumbers.formattedDigits("+" + "1".repeat(40)));
    }

    @Test
    void normalizedPhonesAreUnchanged() {
        assertEquals("966501234567", PhoneNumbers.normalize("+966 50 123 4567"));
        assertEquals("966501234567", PhoneNumbers.normalize("00966501234567"));
        assertEquals(null, PhoneNumbers.normalize("+966 50 123"));
        assertEquals(null, PhoneNumbers.normalize("966-50-123-4567x"));
    }

    @Test
    void strictUtf8AgreesWithTheJdkDecoder() {
        SplittableRandom random = new SplittableRandom(8);
        int[] interesting = { 0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC,
                0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8, 0xFE, 0xFF };
        for (int n = 0; n < 300_000; n++) {
            byte[] bytes = new byte[random.nextInt(7)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (random.nextInt(3) == 0 ? random.nextInt(256) : interesting[random.nextInt(interesting.length)]);
            }
            boolean decodes;
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
                decodes = true;
            } catch (CharacterCodingException e) {
                decodes = false;
            }
            assertEquals(decodes, InputFields.isStrictUtf8(bytes), java.util.HexFormat.of().formatHex(bytes));
        }
        assertTrue(InputFields.isStrictUtf8("{\"name\":\"بنش الأنصاري \uD83D\uDE00\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void bodiesJacksonWouldReadDifferentlyAsBytesStillGoThroughTheText() {
        // A BOM or leading whitespace is not read as bytes: the answer stays what the text reader gives.
        ObjectMapper mapper = new ObjectMapper();
        ApiException bom = assertThrows(ApiException.class, () -> InputFields.parse(new ReceivedBody("application/json",
                Buffer.buffer("\uFEFF{\"name\":\"a\"}".getBytes(StandardCharsets.UTF_8)), null, List.of()), mapper));
        assertEquals(ErrorCode.BAD_REQUEST, bom.code());
        assertTrue(InputFields.parse(new ReceivedBody("application/json", Buffer.buffer(" {\"name\":\"أ\"}"), null, List.of()), mapper)
                .has("name"));
        // An overlong "/" (C0 AF) inside an object is still refused as text that cannot be stored, naming the field.
        byte[] overlong = { '{', '"', 'n', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}' };
        ApiException broken = assertThrows(ApiException.class, () -> InputFields.parse(
                new ReceivedBody("application/json", Buffer.buffer(overlong), null, List.of()), mapper));
        assertEquals(ErrorCode.VALIDATION_FAILED, broken.code());
    }

    private static String randomString(SplittableRandom random, String[] parts, int maxParts) {
        StringBuilder value = new StringBuilder();
        for (int i = random.nextInt(maxParts + 1); i > 0; i--) {
            value.append(parts[random.nextInt(parts.length)]);
        }
        return value.toString();
    }
}
