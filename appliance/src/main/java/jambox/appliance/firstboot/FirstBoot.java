package jambox.appliance.firstboot;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jambox.appliance.config.ConfigFile;
import jambox.appliance.firstboot.BootFile.Key;
import jambox.common.AtomicFiles;
import jambox.appliance.store.JsonRules;

/**
 * Applies {@code jambox.txt} to the box, before the network and the box start: its name, Wi-Fi,
 * room, audio interface and SSH key. Secrets move into {@code /etc} (mode 0600, or the mode the
 * file already has) and off the card. Then {@code jambox-status.txt} tells the player what the box
 * is called and what was wrong, line by line. A file is rewritten only when its content changes:
 * the same card booted again writes nothing to the SD card.
 *
 * @param root   the system's root ("/"; a folder in tests)
 * @param boot   the boot partition ({@code /boot/firmware})
 * @param serial where the board's serial number is ({@code /proc/device-tree/serial-number})
 */
public record FirstBoot(Path root, Path boot, Path serial) {
    static final String BOOT_FILE = "jambox.txt";
    static final String STATUS_FILE = "jambox-status.txt";
    /** Writes only: files are read through {@link JsonRules}, which is strict. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** What a room cannot be joined without; each sets the config's room field of its name (ROOM_HOST: host). */
    private static final List<Key> ROOM_NEEDS = List.of(Key.ROOM_HOST, Key.ROOM_NAME, Key.ROOM_SECRET, Key.PLAYER);
    /** Room settings with a default: given, each sets its field; left out, the field stays as it is. */
    private static final List<Key> ROOM_CHOICES = List.of(Key.ROOM_PORT, Key.ROOM_CODEC, Key.ROOM_BITRATE,
            Key.ROOM_REDUNDANCY);
    private static final List<String> DEFAULT_HOSTNAMES = List.of("", "localhost", "debian", "jambox", "raspberrypi");

    /** What happened, for the status file and the log. */
    public record Outcome(String hostname, List<String> applied, List<String> problems) {
    }

    public Outcome apply() throws IOException {
        Path file = boot.resolve(BOOT_FILE);
        List<String> applied = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        BootFile.Parsed p = BootFile.parse("");
        String text = null;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
            p = BootFile.parse(text);
            p.problems().forEach(pr -> problems.add(pr.toString()));
        } catch (NoSuchFileException e) {
            applied.add("no " + BOOT_FILE + " on the card: Ethernet and the settings the box already has");
        } catch (java.nio.charset.MalformedInputException e) {
            problems.add(BOOT_FILE + " is not plain text (UTF-8): save it as plain text and boot again");
        }
        String hostname = hostname(p, applied);
        wifi(p, applied, problems);
        room(p, applied, problems);
        ssh(p, applied);
        if (text != null) {
            if (writeIfChanged(file, BootFile.scrub(text, p), Kind.CARD)) {
                applied.add("the secrets in " + BOOT_FILE + " are now kept on the box only");
            }
        }
        Outcome outcome = new Outcome(hostname, applied, problems);
        writeIfChanged(boot.resolve(STATUS_FILE), status(outcome), Kind.CARD);
        return outcome;
    }

    /** NAME, else the name the box has, else jambox-XXXX from the board's serial number. */
    private String hostname(BootFile.Parsed p, List<String> applied) throws IOException {
        Path etcHostname = root.resolve("etc/hostname");
        String current = Files.exists(etcHostname) ? Files.readString(etcHostname).strip() : "";
        String name = p.get(Key.NAME);
        if (name == null) {
            name = DEFAULT_HOSTNAMES.contains(current) ? "jambox-" + serialSuffix() : current;
        }
        if (!name.equals(current)) {
            writeIfChanged(etcHostname, name + "\n", Kind.SYSTEM);
            applied.add("the box is called " + name);
        }
        Path hosts = root.resolve("etc/hosts");
        String h = Files.exists(hosts) ? Files.readString(hosts) : "127.0.0.1\tlocalhost\n";
        String line = "127.0.1.1\t" + name;
        String updated = java.util.regex.Pattern.compile("(?m)^127\\.0\\.1\\.1\\s").matcher(h).find()
                ? h.replaceAll("(?m)^127\\.0\\.1\\.1\\s.*$", line)
                : h + (h.endsWith("\n") ? "" : "\n") + line + "\n";
        writeIfChanged(hosts, updated, Kind.SYSTEM);
        return name;
    }

    /** The last four hex digits of the Pi's serial number; "0000" where there is none (a PC). */
    private String serialSuffix() {
        try {
            String s = new String(Files.readAllBytes(serial), StandardCharsets.US_ASCII).replaceAll("[^0-9A-Fa-f]", "");
            return s.length() >= 4 ? s.substring(s.length() - 4).toLowerCase(Locale.ROOT) : "0000";
        } catch (IOException e) {
            return "0000";
        }
    }

    /**
     * wpa_supplicant's file for wlan0, with the passphrase turned into its 256-bit key (PBKDF2, as
     * wpa_passphrase does): the password itself is stored nowhere.
     */
    private void wifi(BootFile.Parsed p, List<String> applied, List<String> problems) throws IOException {
        String ssid = p.get(Key.WIFI_SSID);
        if (ssid == null) {
            return;
        }
        Path conf = root.resolve("etc/wpa_supplicant/wpa_supplicant-wlan0.conf");
        String ssidHex = HexFormat.of().formatHex(ssid.getBytes(StandardCharsets.UTF_8));
        String network;
        if (p.saved(Key.WIFI_PASSWORD)) {
            String old = Files.exists(conf) ? Files.readString(conf) : "";
            if (!old.contains("ssid=" + ssidHex + "\n")) {
                problems.add("line " + p.lines().get(Key.WIFI_PASSWORD) + ": the saved Wi-Fi password is for another"
                        + " network: write the password for '" + ssid + "' again");
                return;
            }
            network = old.substring(old.indexOf("network={"));
        } else {
            String password = p.get(Key.WIFI_PASSWORD);
            network = "network={\n\tssid=" + ssidHex + "\n"
                    + (password == null ? "\tkey_mgmt=NONE\n" : "\tpsk=" + psk(password, ssid) + "\n") + "}\n";
        }
        String country = p.get(Key.WIFI_COUNTRY);
        String content = "# Written by jambox-firstboot from jambox.txt; edit jambox.txt instead.\n"
                + "ctrl_interface=DIR=/run/wpa_supplicant GROUP=netdev\nupdate_config=0\n"
                + (country == null ? "" : "country=" + country + "\n") + network;
        if (!Files.isDirectory(conf.getParent())) {
            Files.createDirectories(conf.getParent());
        }
        if (writeIfChanged(conf, content, Kind.SECRET)) {
            applied.add("Wi-Fi: " + ssid + (country == null ? "" : " (" + country + ")"));
        }
        if (country == null) {
            problems.add("WIFI_COUNTRY is not set: Wi-Fi may stay off until it is (two letters, such as GB or DE)");
        }
    }

    static String psk(String passphrase, String ssid) {
        try {
            var spec = new PBEKeySpec(passphrase.toCharArray(), ssid.getBytes(StandardCharsets.UTF_8), 4096, 256);
            return HexFormat.of().formatHex(SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1").generateSecret(spec).getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA1 is part of every JRE", e);
        }
    }

    /** The room and the audio interface go into the box's own config, which is checked whole before it is written. */
    private void room(BootFile.Parsed p, List<String> applied, List<String> problems) throws IOException {
        boolean roomLines = ROOM_CHOICES.stream().anyMatch(p.values()::containsKey)
                || ROOM_NEEDS.stream().anyMatch(p.values()::containsKey);
        if (!roomLines && p.get(Key.AUDIO_DEVICE) == null) {
            return;
        }
        Path file = root.resolve("etc/jambox/jambox.json");
        ObjectNode config;
        try {
            JsonNode read = JsonRules.parse(JsonRules.readFile(file));
            if (!(read instanceof ObjectNode o)) {
                throw new JsonRules.BadJsonException(file + ": expected a JSON object");
            }
            config = o;
        } catch (JsonRules.BadJsonException e) {
            String m = e.getMessage();
            problems.add((m.startsWith(file.toString()) ? m : file + ": " + m)
                    + ": the room and audio lines were not applied");
            return;
        }
        if (p.get(Key.AUDIO_DEVICE) != null) {
            objectAt(config, "audio").put("device", p.get(Key.AUDIO_DEVICE));
        }
        if (roomLines) {
            ObjectNode room = objectAt(config, "room");
            for (Key k : ROOM_NEEDS) {
                // A secret the box already holds is kept as it is.
                if (p.get(k) != null && !p.saved(k)) {
                    room.put(roomField(k), p.get(k));
                }
            }
            if (p.get(Key.ROOM_PORT) != null) {
                room.put("port", Integer.parseInt(p.get(Key.ROOM_PORT)));
            }
            if (p.get(Key.ROOM_CODEC) != null) {
                room.put("codec", p.get(Key.ROOM_CODEC));
                if (!p.get(Key.ROOM_CODEC).equals("OPUS") && p.get(Key.ROOM_BITRATE) == null) {
                    room.remove("bitrateKbps"); // a bitrate set for Opus before: a PCM codec has none
                }
            }
            if (p.get(Key.ROOM_BITRATE) != null) {
                room.put("bitrateKbps", Integer.parseInt(p.get(Key.ROOM_BITRATE)));
            }
            if (p.get(Key.ROOM_REDUNDANCY) != null) {
                room.put("redundancy", Integer.parseInt(p.get(Key.ROOM_REDUNDANCY)));
            }
            List<String> missing = new ArrayList<>();
            for (Key need : ROOM_NEEDS) {
                if (!room.hasNonNull(roomField(need))) {
                    missing.add(need.name());
                }
            }
            if (!missing.isEmpty()) {
                problems.add("to join a room the box needs ROOM_HOST, ROOM_NAME, ROOM_SECRET and PLAYER; missing: "
                        + String.join(", ", missing) + " (the room lines were not applied)");
                return;
            }
        }
        try {
            ConfigFile.check(config, file.getParent());
        } catch (JsonRules.BadJsonException e) {
            problems.add("the room and audio lines would make a config the box refuses (" + e.getMessage()
                    + "); they were not applied");
            return;
        }
        if (writeIfChanged(file, JSON.writeValueAsString(config) + "\n", Kind.SECRET)) {
            applied.add("room and audio settings written to /etc/jambox/jambox.json");
        }
    }

    /** SSH runs only with a key: without one, Debian's ssh.service is told not to start. */
    private void ssh(BootFile.Parsed p, List<String> applied) throws IOException {
        Path off = root.resolve("etc/ssh/sshd_not_to_be_run");
        String key = p.get(Key.SSH_KEY);
        if (key == null) {
            if (Files.isDirectory(off.getParent()) && !Files.exists(off)) {
                Files.writeString(off, "SSH stays off until jambox.txt has an SSH_KEY line.\n");
            }
            return;
        }
        Path dir = root.resolve("root/.ssh");
        // Nothing is touched that is already right: on the card's read-only root (the second run,
        // once the network is up) even a mkdir of an existing folder fails.
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        var owner = PosixFilePermissions.fromString("rwx------");
        if (!Files.getPosixFilePermissions(dir).equals(owner)) {
            Files.setPosixFilePermissions(dir, owner);
        }
        if (writeIfChanged(dir.resolve("authorized_keys"), key + "\n", Kind.SECRET)) {
            applied.add("SSH on, for the key in SSH_KEY (log in as root)");
        }
        if (Files.exists(off)) {
            Files.delete(off);
        }
    }

    /**
     * What the box is now, not what this boot did (that goes to the log): the same card booted
     * again gives the same file, and nothing is written.
     */
    private String status(Outcome o) {
        StringBuilder s = new StringBuilder();
        s.append("# Written by the box each time it starts: changes here are lost. Edit jambox.txt instead.\n\n");
        s.append("box: ").append(o.hostname()).append('\n');
        s.append("page: http://").append(o.hostname()).append(".local/ (or http://jambox.local/ when it is the only box)\n");
        List<String> addresses = addresses();
        s.append("address: ").append(addresses.isEmpty() ? "none yet (the network was not up when this was written)"
                : String.join(", ", addresses)).append('\n');
        s.append("wifi: ").append(wifiNow()).append('\n');
        s.append("room: ").append(roomNow()).append('\n');
        s.append("ssh: ").append(Files.exists(root.resolve("etc/ssh/sshd_not_to_be_run")) ? "off (no SSH_KEY)" : "on")
                .append('\n');
        if (o.problems().isEmpty()) {
            s.append("problems in jambox.txt: none\n");
        } else {
            s.append("problems in jambox.txt (each of these lines was skipped; the box started anyway):\n");
            for (String pr : o.problems()) {
                s.append("  ").append(pr).append('\n');
            }
        }
        return s.toString();
    }

    private String wifiNow() {
        try {
            String conf = Files.readString(root.resolve("etc/wpa_supplicant/wpa_supplicant-wlan0.conf"));
            var ssid = java.util.regex.Pattern.compile("ssid=([0-9a-f]+)").matcher(conf);
            var country = java.util.regex.Pattern.compile("(?m)^country=(\\w+)").matcher(conf);
            return (ssid.find() ? new String(HexFormat.of().parseHex(ssid.group(1)), StandardCharsets.UTF_8) : "?")
                    + (country.find() ? " (" + country.group(1) + ")" : "");
        } catch (IOException e) {
            return "not set (Ethernet only)";
        }
    }

    private String roomNow() {
        try {
            JsonNode config = JsonRules.parse(JsonRules.readFile(root.resolve("etc/jambox/jambox.json")));
            JsonNode room = config == null ? MissingNode.getInstance() : config.path("room");
            if (room.isMissingNode()) {
                return "none (the box plays alone)";
            }
            return "'" + room.path("name").asText() + "' on " + room.path("host").asText() + ":"
                    + room.path("port").asInt(7891) + " as " + room.path("player").asText();
        } catch (JsonRules.BadJsonException e) {
            return "unknown (the config cannot be read)";
        }
    }

    /** "192.168.1.23 (eth0)": the IPv4 addresses a phone on the same network could open the page at. */
    static List<String> addresses() {
        List<String> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isLoopback()) {
                    continue;
                }
                for (var a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        out.add(a.getHostAddress() + " (" + ni.getName() + ")");
                    }
                }
            }
        } catch (SocketException e) {
            // no addresses to tell
        }
        return out;
    }

    private static ObjectNode objectAt(ObjectNode parent, String field) {
        return parent.get(field) instanceof ObjectNode o ? o : parent.putObject(field);
    }

    private static String roomField(Key key) {
        return key.name().replaceFirst("^ROOM_", "").toLowerCase(Locale.ROOT);
    }

    /** How a file is replaced: as an ordinary system file, as a secret (mode and owner kept), or on the FAT card. */
    private enum Kind {
        SYSTEM, SECRET, CARD
    }

    /** Writes only a change: the same card booted again writes nothing. Returns whether it wrote. */
    private static boolean writeIfChanged(Path file, String content, Kind kind) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (Files.exists(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
            return false;
        }
        switch (kind) {
            case SYSTEM -> AtomicFiles.write(file, bytes);
            case SECRET -> AtomicFiles.writeSecret(file, bytes);
            // The FAT partition has no modes or owners to set: a plain atomic replace.
            case CARD -> AtomicFiles.writePlain(file, bytes);
        }
        return true;
    }
}
