package jambox.appliance.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;

final class JsonAssert {
    private JsonAssert() {
    }

    /** The command's answer is a reply, not an error. */
    static void ok(JsonNode answer) {
        assertEquals("reply", answer.get("type").asText(), answer.toString());
    }
}
