package dev.awal.contacts.attributes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/** The stored text passed through must be the bytes the parsed map was written as. */
class StoredAttributesRawTest {

    /** A response body's field as ContactView declares it. */
    record Holder(@JsonSerialize(using = StoredAttributes.Serializer.class) Map<String, Object> customAttributes) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String written(Map<String, Object> attributes) throws Exception {
        return MAPPER.writeValueAsString(new Holder(attributes));
    }

    /** PostgreSQL's jsonb text (as ContactReads reads it) and Jackson's compact text (as a write leaves the entity). */
    @ParameterizedTest
    @ValueSource(strings = {
            "{}", "",
            "{\"vip\": true, \"tier\": \"gold\", \"orders\": 3}",
            "{\"a\": \"x y\\n\\\"q\\\\ / é ذهبي\", \"b\": 1, \"n\": null, \"big\": 123456789012345678901234567890, \"neg\": -5, \"tab\": \"a\\tb\\r\\f\\b\", \"off\": false}",
            "{\"tier\":\"gold\",\"orders\":3,\"vip\":true}",
            "{\"k\": \"{[]} , : \\\"quoted\\\"\"}",
            "{\"d\": \"2024-01-15\", \"t\": \"2024-01-15T10:30:00Z\", \"zero\": 0}" })
    void passesTheStoredTextThroughAsTheMapWouldBeWritten(String stored) throws Exception {
        assertNotNull(StoredAttributes.compact(stored), "not passed through: " + stored);
        assertEquals(written(StoredAttributes.view(stored)), written(StoredAttributes.responseView(stored)));
        assertEquals(StoredAttributes.view(stored), StoredAttributes.responseView(stored), "the map itself");
    }

    /** Text Jackson would write differently from the stored bytes goes through the map. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"d\": 3.50}", "{\"d\": 100.0}", "{\"d\": 0.0000001}", "{\"e\": 1e5}", "{\"e\": 1.0E10}",
            "{\"u\": \"a\\u001fb\"}", "{\"s\": \"a\\/b\"}", "{\"z\": -0}",
            "{\"o\": {\"x\": 1}}", "{\"a\": [1, 2]}" })
    void anythingElseIsWrittenFromTheMap(String stored) throws Exception {
        assertNull(StoredAttributes.compact(stored), stored);
        assertEquals(written(StoredAttributes.view(stored)), written(StoredAttributes.responseView(stored)));
    }
}
