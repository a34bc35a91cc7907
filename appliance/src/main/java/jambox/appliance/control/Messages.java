package jambox.appliance.control;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Reads a page's message strictly, into the tree the commands take: one JSON value and nothing
 * after it, no field twice in an object (the last would otherwise win: {@code "cmd":"state",
 * "cmd":"tap"} ran {@code tap}), at most {@link #MAX_DEPTH} levels deep, and no number the box
 * cannot hold ({@code 1e400} is refused here, once, in one sentence, wherever it stands). Every
 * complaint is in the project's words, with the column it is at; none is Jackson's. Used for the
 * WebSocket's messages only (the files have their own reader).
 */
final class Messages {
    /** Objects and arrays inside one another: a preset in a message needs six. */
    static final int MAX_DEPTH = 32;
    /** Characters in one number: 2^64 has 20; no field needs more than a handful. */
    static final int MAX_NUMBER_LENGTH = 40;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Jackson's own limits only as a backstop, looser than the ones checked here. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 1)
                    .maxNumberLength(ControlServer.MAX_MESSAGE_BYTES).maxStringLength(ControlServer.MAX_MESSAGE_BYTES)
                    .maxDocumentLength(4L * ControlServer.MAX_MESSAGE_BYTES).build())
            .build();

    private Messages() {
    }

    /** A message that is not one strict JSON value; the text says what is wrong, for the page. */
    static final class BadMessageException extends Exception {
        BadMessageException(String message) {
            super(message);
        }
    }

    static JsonNode parse(String text) throws BadMessageException {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new BadMessageException("an empty message: send one JSON object");
            }
            JsonNode root = value(p, first, 0);
            JsonToken after;
            try {
                after = p.nextToken();
            } catch (JsonProcessingException e) {
                after = JsonToken.NOT_AVAILABLE;
            }
            if (after != null) {
                throw new BadMessageException("not valid JSON: more follows the message's value (" + at(p.currentTokenLocation())
                        + "); send one JSON object per message");
            }
            return root;
        } catch (JsonEOFException e) {
            throw new BadMessageException("not valid JSON: the message ends in the middle of its value");
        } catch (JsonProcessingException e) {
            throw new BadMessageException("not valid JSON: " + plain(e.getOriginalMessage()) + " (" + at(e.getLocation()) + ")");
        } catch (IOException e) {
            throw new BadMessageException("not valid JSON: " + e.getClass().getSimpleName());
        }
    }

    private static JsonNode value(JsonParser p, JsonToken t, int depth) throws IOException, BadMessageException {
        switch (t) {
            case START_OBJECT -> {
                deeper(p, depth);
                ObjectNode o = NODES.objectNode();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    if (o.has(name)) {
                        throw new BadMessageException("the field '" + abbreviate(name) + "' appears twice in one object ("
                                + at(p.currentTokenLocation()) + ")");
                    }
                    o.set(name, value(p, p.nextToken(), depth + 1));
                }
                return o;
            }
            case START_ARRAY -> {
                deeper(p, depth);
                ArrayNode a = NODES.arrayNode();
                for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                    a.add(value(p, v, depth + 1));
                }
                return a;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                longNumber(p);
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                longNumber(p);
                double d = p.getDoubleValue();
                if (!Double.isFinite(d)) {
                    throw new BadMessageException("the number " + p.getText() + " is too large for the box");
                }
                return NODES.numberNode(d);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(t == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new BadMessageException("not valid JSON: unexpected " + t + " (" + at(p.currentTokenLocation()) + ")");
        }
    }

    private static void deeper(JsonParser p, int depth) throws BadMessageException {
        if (depth >= MAX_DEPTH) {
            throw new BadMessageException("the message is nested more than " + MAX_DEPTH + " levels deep ("
                    + at(p.currentTokenLocation()) + ")");
        }
    }

    private static void longNumber(JsonParser p) throws IOException, BadMessageException {
        if (p.getTextLength() > MAX_NUMBER_LENGTH) {
            throw new BadMessageException("a number of more than " + MAX_NUMBER_LENGTH + " characters ("
                    + at(p.currentTokenLocation()) + ")");
        }
    }

    private static String at(JsonLocation l) {
        if (l == null || l.getColumnNr() < 1) {
            return "somewhere";
        }
        return (l.getLineNr() > 1 ? "line " + l.getLineNr() + ", " : "") + "column " + l.getColumnNr();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static final Pattern UNEXPECTED = Pattern.compile(
            "Unexpected character \\((?:'(.*)' )?\\(code (\\d+)\\)\\)(?:: (.*))?", Pattern.DOTALL);
    private static final Pattern ILLEGAL = Pattern.compile("Illegal unquoted character \\(\\(CTRL-CHAR, code (\\d+)\\)\\).*",
            Pattern.DOTALL);
    private static final Pattern TOKEN = Pattern.compile("(?:Unrecognized|Non-standard) token '(.*?)'.*", Pattern.DOTALL);

    /** Jackson's complaint about the syntax, said plainly, without its configuration hints. */
    static String plain(String jackson) {
        if (jackson == null) {
            return "a syntax error";
        }
        Matcher m = UNEXPECTED.matcher(jackson);
        if (m.matches()) {
            String c = m.group(1);
            if ("'".equals(c)) {
                return "a single quote where JSON takes double quotes";
            }
            String found = c == null || c.isBlank() ? "character " + m.group(2) : "'" + c + "'";
            String rest = m.group(3) == null ? "" : m.group(3);
            if (rest.contains("double-quote to start field name")) {
                return "unexpected " + found + " where a field name in double quotes belongs";
            }
            if (rest.contains("comma to separate Object")) {
                return "unexpected " + found + " where a comma or } belongs";
            }
            if (rest.contains("comma to separate Array")) {
                return "unexpected " + found + " where a comma or ] belongs";
            }
            if (rest.contains("colon to separate field name")) {
                return "unexpected " + found + " where a colon belongs";
            }
            return "unexpected " + found + " where a value belongs";
        }
        m = ILLEGAL.matcher(jackson);
        if (m.matches()) {
            return "a control character (code " + m.group(1) + ") in a string; write it escaped";
        }
        m = TOKEN.matcher(jackson);
        if (m.matches()) {
            return "'" + abbreviate(m.group(1)) + "' is not a JSON value (numbers are finite, strings in double quotes)";
        }
        // Anything else: the first sentence, without the hints about Jackson's features.
        String s = jackson.strip();
        int cut = s.length();
        for (String stop : new String[] {"\n", ": enable", " (for ", " at [Source"}) {
            int i = s.indexOf(stop);
            if (i >= 0) {
                cut = Math.min(cut, i);
            }
        }
        s = s.substring(0, cut).replace("`", "");
        return s.isEmpty() ? "a syntax error" : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
