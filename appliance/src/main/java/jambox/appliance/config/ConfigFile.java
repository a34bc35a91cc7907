package jambox.appliance.config;

import static jambox.appliance.store.JsonRules.integer;
import static jambox.appliance.store.JsonRules.object;
import static jambox.appliance.store.JsonRules.only;
import static jambox.appliance.store.JsonRules.text;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import jambox.appliance.store.JsonRules;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;
import jambox.protocol.Header;
import jambox.protocol.Opus;

/**
 * Reads the box's config file. Every field is optional and falls back to {@link ApplianceConfig#DEFAULT};
 * every field present is checked, and the first mistake is reported with its place in the file.
 *
 * <pre>{"version": 1,
 *  "audio": {"backend": "auto", "jackServer": "default", "input": "riff", "device": "CODEC", "frames": 64,
 *            "periods": 2},
 *  "board": "boards/crunch.json",
 *  "room": {"host": "jam.example.org", "port": 7891, "name": "jam", "secret": "...", "player": "Ann",
 *           "labels": ["guitar", "voice"], "codec": "PCM16", "redundancy": 0},
 *  "jitter": {"mode": "auto"},
 *  "control": {"port": 8080, "bind": "0.0.0.0", "pin": "4321", "data": "/var/lib/jambox",
 *              "hosts": ["jambox.fritz.box"]}}</pre>
 */
public final class ConfigFile {
    public static final int VERSION = 1;

    private ConfigFile() {
    }

    public static final class BadConfigException extends JsonRules.BadJsonException {
        public BadConfigException(String message) {
            super(message);
        }
    }

    public static ApplianceConfig read(Path file) throws BadConfigException {
        byte[] bytes;
        try {
            bytes = JsonRules.readFile(file);
        } catch (JsonRules.BadJsonException e) {
            throw new BadConfigException(e.getMessage());
        }
        try {
            return parse(JsonRules.parse(bytes), file.toAbsolutePath().getParent());
        } catch (JsonRules.BadJsonException e) {
            throw new BadConfigException(file + ": " + e.getMessage());
        }
    }

    /**
     * The file's control section when that section alone is right, else the default: a config with
     * a mistake elsewhere still serves the page where the player expects it, to say what is wrong.
     */
    public static ApplianceConfig.Control controlAlone(Path file) {
        try {
            JsonNode root = JsonRules.parse(JsonRules.readFile(file));
            if (root != null && root.isObject() && root.has("control")) {
                return control(root.get("control"), file.toAbsolutePath().getParent());
            }
        } catch (JsonRules.BadJsonException e) {
            // The whole file's mistake has been reported; this one is part of it.
        }
        return ApplianceConfig.Control.DEFAULT;
    }

    /** Checks a config that is about to be written, as {@link #read} would check it from {@code base}. */
    public static ApplianceConfig check(JsonNode root, Path base) throws JsonRules.BadJsonException {
        return parse(root, base);
    }

    /** {@code base}: the folder relative paths in the file start from. */
    static ApplianceConfig parse(JsonNode root, Path base) throws JsonRules.BadJsonException {
        object(root, "the config");
        only(root, "", Set.of("version", "audio", "board", "room", "jitter", "control"));
        integer(root.get("version"), "version", VERSION, VERSION);
        ApplianceConfig d = ApplianceConfig.DEFAULT;
        ApplianceConfig.Audio audio = root.has("audio") ? audio(root.get("audio")) : d.audio();
        Path board = root.has("board") ? base.resolve(text(root.get("board"), "board")) : null;
        StreamConfig room = root.has("room") ? room(root.get("room"), audio.frames()) : null;
        ApplianceConfig.Jitter jitter = root.has("jitter") ? jitter(root.get("jitter")) : d.jitter();
        ApplianceConfig.Control control = root.has("control") ? control(root.get("control"), base) : d.control();
        return new ApplianceConfig(audio, board, room, jitter, control);
    }

    private static ApplianceConfig.Control control(JsonNode c, Path base) throws JsonRules.BadJsonException {
        object(c, "control");
        only(c, "control.", Set.of("bind", "port", "pin", "data", "hosts"));
        ApplianceConfig.Control d = ApplianceConfig.Control.DEFAULT;
        String bind = c.has("bind") ? text(c.get("bind"), "control.bind") : d.bind();
        int port = c.has("port") ? integer(c.get("port"), "control.port", 0, 65535) : d.port();
        String pin = null;
        if (c.has("pin")) {
            pin = text(c.get("pin"), "control.pin");
            if (!pin.matches("[0-9]{4,12}")) {
                throw new JsonRules.BadJsonException("control.pin: expected 4 to 12 digits");
            }
        }
        Path data = c.has("data") ? base.resolve(text(c.get("data"), "control.data")) : d.data();
        List<String> hosts = c.has("hosts") ? hostNames(c.get("hosts")) : d.hosts();
        return new ApplianceConfig.Control(bind, port, pin, data, hosts);
    }

    /** control.hosts: names the page answers to besides the box's own (no addresses: every one of the box's is). */
    private static List<String> hostNames(JsonNode node) throws JsonRules.BadJsonException {
        if (!node.isArray() || node.size() > 16) {
            throw new JsonRules.BadJsonException("control.hosts: expected a list of up to 16 host names");
        }
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String h = text(node.get(i), "control.hosts[" + i + "]");
            if (!h.matches("(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?")) {
                throw new JsonRules.BadJsonException("control.hosts[" + i + "]: '" + h + "' is not a host name");
            }
            hosts.add(h);
        }
        return hosts;
    }

    private static ApplianceConfig.Audio audio(JsonNode a) throws JsonRules.BadJsonException {
        object(a, "audio");
        only(a, "audio.", Set.of("backend", "jackServer", "jackClient", "capture", "playback", "input", "sampleRate",
                "frames", "device", "periods"));
        ApplianceConfig.Audio d = ApplianceConfig.Audio.DEFAULT;
        String backend = a.has("backend") ? text(a.get("backend"), "audio.backend") : d.backend();
        if (!Set.of("auto", "jack", "simulated").contains(backend)) {
            throw new JsonRules.BadJsonException("audio.backend: expected auto, jack or simulated, found '" + backend + "'");
        }
        return new ApplianceConfig.Audio(backend,
                a.has("jackServer") ? text(a.get("jackServer"), "audio.jackServer") : d.jackServer(),
                a.has("jackClient") ? text(a.get("jackClient"), "audio.jackClient") : d.jackClient(),
                a.has("capture") ? names(a.get("capture"), "audio.capture", "port names") : d.capture(),
                a.has("playback") ? names(a.get("playback"), "audio.playback", "port names") : d.playback(),
                a.has("input") ? text(a.get("input"), "audio.input") : d.input(),
                a.has("sampleRate") ? integer(a.get("sampleRate"), "audio.sampleRate", 8000, 192_000) : d.sampleRate(),
                a.has("frames") ? frames(a.get("frames")) : d.frames(),
                a.has("device") ? device(a.get("device")) : d.device(),
                a.has("periods") ? integer(a.get("periods"), "audio.periods", 2, 8) : d.periods());
    }

    /**
     * audio.frames: JACK's period and the packets' size. Only the sizes the engine, the jitter buffer
     * and jackd are tested at: 32 (the low-latency option, for an interface and a box that hold it),
     * 64 (the promise) and 128 (for an interface that cannot hold 64).
     */
    private static int frames(JsonNode node) throws JsonRules.BadJsonException {
        int frames = integer(node, "audio.frames", Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (!ApplianceConfig.Audio.FRAMES.contains(frames)) {
            throw new JsonRules.BadJsonException("audio.frames: expected 32, 64 or 128 frames per period, found " + frames);
        }
        return frames;
    }

    /**
     * A card is named, never numbered: ALSA numbers cards in the order they appear at boot, so a
     * USB interface's number moves when another card is plugged in or comes up first.
     */
    private static String device(JsonNode node) throws JsonRules.BadJsonException {
        if (node.isNumber() || node.isTextual() && node.textValue().strip().matches("[0-9]+")) {
            throw new JsonRules.BadJsonException("audio.device: " + node + " is a card number, and card numbers"
                    + " change between boots; give the card's name (its id in /proc/asound/cards, such as CODEC)");
        }
        String name = text(node, "audio.device");
        if (name.isBlank()) {
            throw new JsonRules.BadJsonException("audio.device: expected a sound card's name, such as CODEC");
        }
        if (name.matches("(?i)(plug)?hw:.*")) {
            throw new JsonRules.BadJsonException("audio.device: '" + name + "' is an ALSA device; give the card's"
                    + " name alone (its id in /proc/asound/cards, such as CODEC)");
        }
        return name;
    }

    private static List<String> names(JsonNode node, String where, String what) throws JsonRules.BadJsonException {
        if (!node.isArray() || node.size() > 2) {
            throw new JsonRules.BadJsonException(where + ": expected a list of up to 2 " + what);
        }
        List<String> ports = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            ports.add(text(node.get(i), where + "[" + i + "]"));
        }
        return ports;
    }

    /** {@code frames}: the packets' size unless room.frames says otherwise, audio.frames. */
    private static StreamConfig room(JsonNode r, int frames) throws JsonRules.BadJsonException {
        object(r, "room");
        only(r, "room.", Set.of("host", "port", "name", "secret", "player", "labels", "codec", "frames", "bitrateKbps",
                "redundancy"));
        for (String required : List.of("host", "name", "secret", "player")) {
            if (!r.has(required)) {
                throw new JsonRules.BadJsonException("room." + required + ": missing");
            }
        }
        List<String> labels = r.has("labels") ? names(r.get("labels"), "room.labels", "channel labels") : List.of("guitar", "voice");
        Codec codec = Codec.PCM16;
        if (r.has("codec")) {
            String c = text(r.get("codec"), "room.codec");
            try {
                codec = Codec.valueOf(c);
            } catch (IllegalArgumentException e) {
                codec = Codec.NONE;
            }
            if (!codec.isAudio()) {
                throw new JsonRules.BadJsonException("room.codec: expected PCM16, PCM24, FLOAT32 or OPUS, found '" + c + "'");
            }
        }
        // Opus has one packet size, its 2.5 ms frame, whatever JACK's period.
        int packetFrames = codec == Codec.OPUS ? Opus.FRAMES : frames;
        if (r.has("frames")) {
            packetFrames = integer(r.get("frames"), "room.frames", 32, 256);
            String problem = codec.framesProblem(packetFrames);
            if (problem != null) {
                throw new JsonRules.BadJsonException("room.frames: " + problem);
            }
        }
        int bitrate = Opus.DEFAULT_BITRATE;
        if (r.has("bitrateKbps")) {
            if (codec != Codec.OPUS) {
                throw new JsonRules.BadJsonException("room.bitrateKbps: only Opus has a bitrate, and room.codec is "
                        + codec + " (PCM's follows from its format)");
            }
            bitrate = 1000 * integer(r.get("bitrateKbps"), "room.bitrateKbps", Opus.MIN_BITRATE / 1000,
                    Opus.MAX_BITRATE / 1000);
            String problem = Opus.bitrateProblem(bitrate, labels.size());
            if (problem != null) {
                throw new JsonRules.BadJsonException("room.bitrateKbps: " + problem);
            }
        }
        try {
            return new StreamConfig(text(r.get("host"), "room.host"),
                    r.has("port") ? integer(r.get("port"), "room.port", 1, 65535) : StreamConfig.DEFAULT_PORT,
                    text(r.get("name"), "room.name"), text(r.get("secret"), "room.secret"),
                    text(r.get("player"), "room.player"), labels, codec, packetFrames, bitrate,
                    r.has("redundancy") ? integer(r.get("redundancy"), "room.redundancy", 0, Header.MAX_COPIES) : 0);
        } catch (IllegalArgumentException e) {
            throw new JsonRules.BadJsonException("room: " + e.getMessage());
        }
    }

    private static ApplianceConfig.Jitter jitter(JsonNode j) throws JsonRules.BadJsonException {
        object(j, "jitter");
        only(j, "jitter.", Set.of("mode", "periods"));
        String mode = j.has("mode") ? text(j.get("mode"), "jitter.mode") : "auto";
        if (!mode.equals("auto") && !mode.equals("fixed")) {
            throw new JsonRules.BadJsonException("jitter.mode: expected auto or fixed, found '" + mode + "'");
        }
        int periods = j.has("periods") ? integer(j.get("periods"), "jitter.periods", 1, 32)
                : ApplianceConfig.Jitter.DEFAULT.periods();
        return new ApplianceConfig.Jitter(mode.equals("auto"), periods);
    }
}
