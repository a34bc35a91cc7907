package jambox.appliance.control;

import java.util.Iterator;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A command's fields, read strictly: a missing field, a field of the wrong kind or one the command
 * does not take is an error naming the field, so a typo never passes as a default.
 */
final class Args {
    private final String cmd;
    private final JsonNode node;

    Args(String cmd, JsonNode node) {
        this.cmd = cmd;
        this.node = node;
    }

    /** Refuses fields other than these (and the envelope's v, id and cmd). */
    Args only(String... fields) throws BadCommandException {
        Set<String> allowed = Set.of(fields);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("v") && !f.equals("id") && !f.equals("cmd") && !allowed.contains(f)) {
                throw new BadCommandException(cmd + " takes no field '" + f + "'" + (allowed.isEmpty() ? "" : "; it takes " + allowed));
            }
        }
        return this;
    }

    boolean has(String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    /**
     * A whole number in {@code min .. max}, compared as written: 2^64 is not 0, however a long would
     * wrap it, and 1.0 or 1e0 is not a whole number.
     */
    int integer(String field, int min, int max) throws BadCommandException {
        JsonNode v = need(field);
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
            throw new BadCommandException(cmd + "." + field + ": expected a whole number " + min + " .. " + max + ", found "
                    + abbreviate(v));
        }
        return v.intValue();
    }

    /** Any finite number (a message cannot hold another: {@link Messages} refuses 1e400). */
    double number(String field) throws BadCommandException {
        JsonNode v = need(field);
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw new BadCommandException(cmd + "." + field + ": expected a number, found " + abbreviate(v));
        }
        return v.doubleValue();
    }

    boolean bool(String field) throws BadCommandException {
        JsonNode v = need(field);
        if (!v.isBoolean()) {
            throw new BadCommandException(cmd + "." + field + ": expected true or false, found " + v);
        }
        return v.booleanValue();
    }

    String text(String field, int maxLength) throws BadCommandException {
        JsonNode v = need(field);
        if (!v.isTextual() || v.textValue().isBlank() || v.textValue().length() > maxLength) {
            throw new BadCommandException(cmd + "." + field + ": expected text of 1 .. " + maxLength + " characters, found "
                    + abbreviate(v));
        }
        return v.textValue();
    }

    JsonNode raw(String field) throws BadCommandException {
        return need(field);
    }

    private JsonNode need(String field) throws BadCommandException {
        if (!has(field)) {
            throw new BadCommandException(cmd + " needs '" + field + "'");
        }
        return node.get(field);
    }

    private static String abbreviate(JsonNode v) {
        String s = v.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
