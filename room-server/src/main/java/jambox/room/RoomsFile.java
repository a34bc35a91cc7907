package jambox.room;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads rooms from JSON: {@code {"version": 1, "rooms": [{"name": "jam", "secret": "...", "capacity": 16}]}}.
 * A bad room is reported with the file, its place and the reason, and the others still load; a
 * file that is not such JSON at all is an error.
 */
public final class RoomsFile {
    public record Loaded(List<RoomConfig> rooms, List<String> problems) {
    }

    private RoomsFile() {
    }

    public static Loaded read(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage());
        }
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

    private static RoomConfig room(JsonNode n) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("expected an object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("name", "secret", "capacity").contains(f)) {
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
        RoomConfig r = new RoomConfig(name, secret, capacity);
        String p = r.problem();
        if (p != null) {
            throw new IllegalArgumentException(p);
        }
        return r;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(field + ": expected a string");
        }
        return v.asText();
    }
}
