package jambox.room;

import java.nio.charset.StandardCharsets;

import jambox.protocol.message.Limits;
import jambox.protocol.message.Routing;

/**
 * One room as configured: its name, its secret, how many may join, and whether the server mixes
 * for each member ({@code mix}) or forwards every member's stream to every other (the default).
 */
public record RoomConfig(String name, String secret, int capacity, boolean mix) {
    public static final int DEFAULT_CAPACITY = 16;
    public static final int MIN_SECRET = 8;

    /** A forwarding room. */
    public RoomConfig(String name, String secret, int capacity) {
        this(name, secret, capacity, false);
    }

    /** Why this room cannot be served, or null when it can. */
    public String problem() {
        if (name == null || name.isBlank()) {
            return "name is empty";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > Limits.ROOM_NAME) {
            return "name '" + name + "' is longer than " + Limits.ROOM_NAME + " bytes";
        }
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET) {
            return "secret of room '" + name + "' is shorter than " + MIN_SECRET + " bytes";
        }
        if (capacity < 1 || capacity > Routing.MAX_MEMBER) {
            return "capacity " + capacity + " is outside 1.." + Routing.MAX_MEMBER;
        }
        return null;
    }

    /** This room, mixed by the server. */
    public RoomConfig mixed() {
        return new RoomConfig(name, secret, capacity, true);
    }

    /** Parses NAME:SECRET[:CAPACITY] from the command line ({@code --room}). */
    public static RoomConfig parse(String spec) {
        return parse(spec, "--room");
    }

    /** Parses NAME:SECRET[:CAPACITY] given to {@code option}, which the errors name. */
    public static RoomConfig parse(String spec, String option) {
        int first = spec.indexOf(':');
        if (first <= 0) {
            throw new IllegalArgumentException(option + " takes NAME:SECRET[:CAPACITY], got '" + spec + "'");
        }
        String name = spec.substring(0, first);
        String rest = spec.substring(first + 1);
        int capacity = DEFAULT_CAPACITY;
        int last = rest.lastIndexOf(':');
        if (last >= 0 && rest.substring(last + 1).matches("\\d{1,4}")) {
            capacity = Integer.parseInt(rest.substring(last + 1));
            rest = rest.substring(0, last);
        }
        RoomConfig r = new RoomConfig(name, rest, capacity);
        String p = r.problem();
        if (p != null) {
            throw new IllegalArgumentException(option + " " + name + ": " + p);
        }
        return r;
    }

    @Override
    public String toString() {
        return "room '" + name + "' (capacity " + capacity + (mix ? ", mixed by the server" : "") + ")"; // never the secret
    }
}
