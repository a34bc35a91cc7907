package jambox.appliance.firstboot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import jambox.protocol.Opus;

/**
 * {@code jambox.txt}, the one file a musician edits on the card's boot partition: {@code KEY=value}
 * lines, comments after {@code #}, every key optional. A line that is wrong is reported with its
 * number and skipped; the rest still applies. Pure: reads text, touches nothing.
 */
public final class BootFile {
    /** What a secret's value becomes once the box has taken it off the card. */
    public static final String SAVED = "(saved on the box)";

    /** A key, what it means, and how its value is checked. */
    enum Key {
        NAME("the box's name on the network", "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?",
                "letters, digits and '-' (not first or last), up to 63"),
        WIFI_SSID("the Wi-Fi network", ".{1,32}", "1 to 32 characters"),
        WIFI_PASSWORD("the Wi-Fi password", ".{8,63}", "8 to 63 characters"),
        WIFI_COUNTRY("the Wi-Fi country", "[A-Z]{2}", "two letters, such as GB or DE"),
        ROOM_HOST("the room server", "[A-Za-z0-9.:-]{1,253}", "a host name or address"),
        ROOM_PORT("the room server's port", "[0-9]{1,5}", "a number from 1 to 65535"),
        ROOM_NAME("the room", ".{1,64}", "1 to 64 characters"),
        ROOM_SECRET("the room's secret", ".{8,256}", "at least 8 characters"),
        PLAYER("your name in the room", ".{1,64}", "1 to 64 characters"),
        ROOM_CODEC("how your sound travels", "PCM16|PCM24|OPUS", "PCM16, PCM24 or OPUS"),
        ROOM_BITRATE("Opus's bitrate in kbit/s", "[0-9]{2,3}", "a number from 64 to 256"),
        ROOM_REDUNDANCY("copies of earlier packets in each packet", "[0-2]", "0, 1 or 2"),
        AUDIO_DEVICE("the audio interface", "(?![0-9]+$)[A-Za-z0-9_]{1,32}",
                "its ALSA name, such as CODEC (never a card number)"),
        SSH_KEY("an SSH public key", "(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-[a-z0-9@.-]+) [A-Za-z0-9+/]+=* ?.*",
                "one line as in ~/.ssh/id_ed25519.pub");

        final String meaning;
        final Pattern valid;
        final String expected;

        Key(String meaning, String valid, String expected) {
            this.meaning = meaning;
            this.valid = Pattern.compile(valid);
            this.expected = expected;
        }

        boolean secret() {
            return this == WIFI_PASSWORD || this == ROOM_SECRET;
        }
    }

    /** A mistake on one line: said in jambox-status.txt, and that line is skipped. */
    public record Problem(int line, String message) {
        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }

    /** The values that passed, each with its line; and the lines that did not. */
    public record Parsed(Map<Key, String> values, Map<Key, Integer> lines, List<Problem> problems) {
        public String get(Key key) {
            return values.get(key);
        }

        /** A secret the box already took off the card: keep the one it has. */
        public boolean saved(Key key) {
            return SAVED.equals(values.get(key));
        }
    }

    private BootFile() {
    }

    public static Parsed parse(String text) {
        Map<Key, String> values = new LinkedHashMap<>();
        Map<Key, Integer> lines = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        String[] all = text.split("\r?\n", -1);
        for (int i = 0; i < all.length; i++) {
            int n = i + 1;
            String line = all[i].strip();
            if (n == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1); // a byte-order mark from a Windows editor
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                problems.add(new Problem(n, "expected KEY=value, found '" + shorten(line) + "'"));
                continue;
            }
            String name = line.substring(0, eq).strip().toUpperCase(Locale.ROOT);
            Key key;
            try {
                key = Key.valueOf(name);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(n, "unknown key '" + line.substring(0, eq).strip() + "'; the keys are " + keys()));
                continue;
            }
            String value = unquote(line.substring(eq + 1).strip());
            if (value.isEmpty()) {
                continue; // "KEY=" is the same as no line: the template's empty keys
            }
            if (key == Key.NAME) {
                value = value.toLowerCase(Locale.ROOT);
            } else if (key == Key.WIFI_COUNTRY || key == Key.ROOM_CODEC) {
                value = value.toUpperCase(Locale.ROOT);
            }
            if (lines.containsKey(key)) {
                problems.add(new Problem(n, key + " is given again (first on line " + lines.get(key) + "); this one is skipped"));
                continue;
            }
            boolean ok = (key.secret() && value.equals(SAVED)) || key.valid.matcher(value).matches();
            if (ok && key == Key.ROOM_PORT) {
                int port = Integer.parseInt(value);
                ok = port >= 1 && port <= 65535;
            }
            if (ok && key == Key.ROOM_BITRATE) {
                int kbps = Integer.parseInt(value); // the config's own bounds (ConfigFile, room.bitrateKbps)
                ok = kbps >= Opus.MIN_BITRATE / 1000 && kbps <= Opus.MAX_BITRATE / 1000;
            }
            if (!ok) {
                // Never echo a secret: the status file lies on the card for anyone to read.
                String shown = key.secret() ? "the value given" : "'" + shorten(value) + "'";
                problems.add(new Problem(n, key + " (" + key.meaning + "): " + shown + " is not " + key.expected
                        + "; the line was skipped"));
                continue;
            }
            values.put(key, value);
            lines.put(key, n);
        }
        return new Parsed(values, lines, problems);
    }

    /**
     * The file with no secret left in it: each secret the box has taken in becomes {@link #SAVED},
     * and one it refused becomes empty (the status file says why). Comments, order and the other
     * lines stay as written.
     */
    public static String scrub(String text, Parsed parsed) {
        String[] all = text.split("\r?\n", -1);
        for (int i = 0; i < all.length; i++) {
            int eq = all[i].indexOf('=');
            if (eq <= 0 || all[i].strip().startsWith("#")) {
                continue;
            }
            String name = all[i].substring(0, eq).strip().replace("\uFEFF", "").toUpperCase(Locale.ROOT);
            for (Key key : Key.values()) {
                if (key.secret() && key.name().equals(name)) {
                    boolean taken = Integer.valueOf(i + 1).equals(parsed.lines().get(key));
                    all[i] = key + "=" + (taken ? SAVED : "");
                }
            }
        }
        return String.join("\n", all);
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private static String keys() {
        StringBuilder b = new StringBuilder();
        for (Key k : Key.values()) {
            b.append(b.isEmpty() ? "" : ", ").append(k);
        }
        return b.toString();
    }
}
