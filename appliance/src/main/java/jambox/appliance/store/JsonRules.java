package jambox.appliance.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The checks every file we read shares: each failure names the place in the file
 * ("room.port: expected a whole number") so the person who wrote it can fix it.
 *
 * <p>Every JSON file the box reads (config, boards and presets, the last state, the audio
 * interface file, first boot's config) comes in through {@link #readFile} and {@link #parse}: one
 * JSON value and nothing after it, no key given twice in one object, at most {@value #MAX_DEPTH}
 * levels deep and {@value #MAX_FILE_BYTES} bytes long. Every file of ours is a few kilobytes and a
 * few levels deep; anything far beyond is a mistake or an attack, and is refused before it costs
 * the heap.
 */
public final class JsonRules {
    /** The largest file read: a preset is a few KiB, a config less. */
    public static final int MAX_FILE_BYTES = 1 << 20;
    /** The deepest nesting of objects and arrays read: our deepest format, a board, has 6 levels. */
    public static final int MAX_DEPTH = 16;

    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .build();

    private JsonRules() {
    }

    /** A problem with a JSON file, already phrased for the person who wrote it. */
    public static class BadJsonException extends Exception {
        public BadJsonException(String message) {
            super(message);
        }
    }

    /**
     * The bytes of a file that should hold JSON: refuses a directory, a missing file and anything
     * over {@value #MAX_FILE_BYTES} bytes without reading more than that. Messages start with the path.
     */
    public static byte[] readFile(Path file) throws BadJsonException {
        if (Files.isDirectory(file)) {
            throw new BadJsonException(file + ": is a directory, not a file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new BadJsonException(file + ": no such file");
        } catch (IOException e) {
            throw new BadJsonException(file + ": cannot read: " + IoReason.of(e));
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new BadJsonException(file + ": larger than " + MAX_FILE_BYTES / 1024 + " KiB; not a file jambox reads");
        }
        return bytes;
    }

    /**
     * The one JSON value {@code json} holds, read strictly (see the class comment); null when it
     * holds nothing but white space. A mistake says where it is in the file: "line 3, column 9".
     */
    public static JsonNode parse(byte[] json) throws BadJsonException {
        if (json.length > MAX_FILE_BYTES) {
            throw new BadJsonException("larger than " + MAX_FILE_BYTES / 1024 + " KiB; not a file jambox reads");
        }
        try (JsonParser p = STRICT.createParser(json)) {
            JsonNode root = STRICT.readTree(p);
            if (root == null) {
                return null;
            }
            JsonToken after;
            try {
                after = p.nextToken();
            } catch (JsonProcessingException e) {
                throw new BadJsonException("not valid JSON: more follows the end of the JSON" + locate(e.getLocation()));
            }
            if (after != null) {
                throw new BadJsonException("not valid JSON: more follows the end of the JSON"
                        + locate(p.currentTokenLocation()));
            }
            return root;
        } catch (IOException e) {
            throw new BadJsonException("not valid JSON: " + oneLine(e));
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

    /**
     * A parser's complaint in one line, in our words where Jackson's would puzzle the person who
     * wrote the file, with where in the file it is and without Jackson's notes about its own settings.
     */
    public static String oneLine(IOException e) {
        if (e instanceof StreamConstraintsException) {
            return "nested more than " + MAX_DEPTH + " levels deep" + locate(((JsonProcessingException) e).getLocation());
        }
        if (e instanceof JsonEOFException || e instanceof JsonProcessingException j && endsEarly(j)) {
            return "the file ends in the middle of the JSON" + locate(((JsonProcessingException) e).getLocation());
        }
        String m = e instanceof JsonProcessingException j ? clean(j.getOriginalMessage()) + locate(j.getLocation())
                : IoReason.of(e);
        return m == null ? e.getClass().getSimpleName() : m.replaceAll("\\s+", " ");
    }

    /** Jackson says a file cut short in several ways, not all of them a {@link JsonEOFException}. */
    private static boolean endsEarly(JsonProcessingException e) {
        return e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Unexpected end-of-input");
    }

    /** Drops "(start marker at [Source: REDACTED (`StreamReadFeature...` disabled); ...])" and says a twice-given key plainly. */
    private static String clean(String message) {
        if (message == null) {
            return null;
        }
        String m = message.replaceAll("\\s*\\([^()\\[]*\\[Source: .*?\\]\\)", "");
        return m.replaceFirst("^Duplicate field '(.*)'$", "'$1' is given twice in one object");
    }

    private static String locate(JsonLocation at) {
        return at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
}
