package jambox.appliance.store;

import java.io.IOException;
import java.util.Iterator;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The checks every file we read shares: each failure names the place in the file
 * ("room.port: expected a whole number") so the person who wrote it can fix it.
 */
public final class JsonRules {
    private JsonRules() {
    }

    /** A problem with a JSON file, already phrased for the person who wrote it. */
    public static class BadJsonException extends Exception {
        public BadJsonException(String message) {
            super(message);
        }
    }

    public static void object(JsonNode node, String what) throws BadJsonException {
        if (node == null || !node.isObject()) {
            throw new BadJsonException(what + ": expected a JSON object");
        }
    }

    /** Fails on the first field not in {@code known}: a typo must not be silently ignored. */
    public static void only(JsonNode node, String prefix, Set<String> known) throws BadJsonException {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!known.contains(field)) {
                throw new BadJsonException(prefix + field + ": unknown field (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    public static String text(JsonNode node, String where) throws BadJsonException {
        if (node == null || !node.isTextual()) {
            throw new BadJsonException(where + ": expected a string");
        }
        return node.textValue();
    }

    public static int integer(JsonNode node, String where, int min, int max) throws BadJsonException {
        if (node == null || !node.canConvertToInt() || !node.isIntegralNumber()) {
            throw new BadJsonException(where + ": expected a whole number");
        }
        int v = node.intValue();
        if (v < min || v > max) {
            throw new BadJsonException(where + ": " + v + " is outside " + min + " .. " + max);
        }
        return v;
    }

    /** A parser's complaint in one line, with where in the file it is. */
    public static String oneLine(IOException e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() + locate(j) : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.replaceAll("\\s+", " ");
    }

    private static String locate(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
