package jambox.room;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
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
 * Reads rooms from JSON: {@code {"version": 1, "rooms": [{"name": "jam", "secret": "...", "capacity": 16}]}},
 * each room optionally with {@code "mode": "forward"} (the default: each member gets every other
 * member's stream) or {@code "mix"} (the server sends each member its own mix of the others, see
 * docs/streaming.md).
 * A bad room is reported with the file, its place and the reason, and the others still load; a
 * file that is not such JSON at all is an error.
 *
 * <p>The file is read strictly: one JSON value and nothing after it, no key twice in one object, at
 * most {@value #MAX_DEPTH} levels deep and {@value #MAX_FILE_BYTES} bytes long (a room is a line;
 * a megabyte is thousands of them). The box's own files are read by the same rules in the
 * appliance's JsonRules; the two modules share no module with Jackson below both, so each says it once.
 */
public final class RoomsFile {
    static final int MAX_FILE_BYTES = 1 << 20;
    static final int MAX_DEPTH = 16;
    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .build();

    public record Loaded(List<RoomConfig> rooms, List<String> problems) {
    }

    private RoomsFile() {
    }

    public static Loaded read(Path file) throws IOException {
        JsonNode root = parse(file, bytes(file));
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": expected a JSON object with \"version\" and \"rooms\"");
        }
        JsonNode version = root.get("version");
        if (version == null || !version.isInt() || version.asInt() != 1) {
            throw new IOException(file + ": version: expected 1");
        }
        JsonNode rooms = root.get("rooms");
        if (rooms == null || !rooms.isArray()) {
            throw new IOException(file + ": rooms: expected an array");
        }
        List<RoomConfig> ok = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < rooms.size(); i++) {
            String where = file + ": rooms[" + i + "]";
            try {
                RoomConfig r = room(rooms.get(i));
                if (!names.add(r.name())) {
                    throw new IllegalArgumentException("room '" + r.name() + "' is named twice");
                }
                ok.add(r);
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + e.getMessage());
            }
        }
        return new Loaded(List.copyOf(ok), List.copyOf(problems));
    }

    private static byte[] bytes(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, not a file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new IOException(file + ": larger than " + MAX_FILE_BYTES / 1024 + " KiB; not a rooms file");
        }
        return bytes;
    }

    private static JsonNode parse(Path file, byte[] bytes) throws IOException {
        try (JsonParser p = STRICT.createParser(bytes)) {
            JsonNode root = STRICT.readTree(p);
            JsonToken after;
            try {
                after = p.nextToken();
            } catch (JsonProcessingException e) {
                throw new IOException(file + ": not valid JSON: more follows the end of the JSON" + at(e.getLocation()));
            }
            if (after != null) {
                throw new IOException(file + ": not valid JSON: more follows the end of the JSON" + at(p.currentTokenLocation()));
            }
            return root;
        } catch (StreamConstraintsException e) {
            throw new IOException(file + ": not valid JSON: nested more than " + MAX_DEPTH + " levels deep");
        } catch (JsonEOFException e) {
            throw new IOException(file + ": not valid JSON: the file ends in the middle of the JSON" + at(e.getLocation()));
        } catch (JsonProcessingException e) {
            if (e.getOriginalMessage().startsWith("Unexpected end-of-input")) { // not always a JsonEOFException
                throw new IOException(file + ": not valid JSON: the file ends in the middle of the JSON" + at(e.getLocation()));
            }
            // Jackson's "(start marker at [Source: REDACTED (`StreamReadFeature...` disabled) ...])" says nothing to the reader.
            String m = e.getOriginalMessage().replaceAll("\\s*\\([^()\\[]*\\[Source: .*?\\]\\)", "")
                    .replaceFirst("^Duplicate field '(.*)'$", "'$1' is given twice in one object");
            throw new IOException(file + ": not valid JSON: " + m.replaceAll("\\s+", " ") + at(e.getLocation()));
        }
    }

    private static String at(JsonLocation l) {
        return l == null || l.getLineNr() < 1 ? "" : " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")";
    }

    private static RoomConfig room(JsonNode n) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("expected an object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("name", "secret", "capacity", "mode").contains(f)) {
                throw new IllegalArgumentException("unknown field '" + f + "'");
            }
        }
        String name = text(n, "name");
        String secret = text(n, "secret");
        int capacity = RoomConfig.DEFAULT_CAPACITY;
        JsonNode c = n.get("capacity");
        if (c != null) {
            if (!c.isInt()) {
                throw new IllegalArgumentException("capacity: expected a whole number");
            }
            capacity = c.asInt();
        }
        String mode = mode(n.get("mode"));
        RoomConfig r = new RoomConfig(name, secret, capacity, mode.equals("mix"));
        String p = r.problem();
        if (p != null) {
            throw new IllegalArgumentException(p);
        }
        return r;
    }

    /** "forward" (each member gets every other member's stream; the default) or "mix". */
    private static String mode(JsonNode m) {
        if (m == null) {
            return "forward";
        }
        if (m.isTextual() && (m.asText().equals("forward") || m.asText().equals("mix"))) {
            return m.asText();
        }
        throw new IllegalArgumentException("mode: expected \"forward\" or \"mix\", not " + m);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(field + ": expected a string");
        }
        return v.asText();
    }
}
