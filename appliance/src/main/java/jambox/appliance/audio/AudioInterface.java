package jambox.appliance.audio;

import static jambox.appliance.store.JsonRules.integer;
import static jambox.appliance.store.JsonRules.object;
import static jambox.appliance.store.JsonRules.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jambox.appliance.store.JsonRules;

/**
 * The sound card JACK runs on, as {@code jambox jack-probe} chose it: what jackd is started with,
 * and the file ({@code /run/jambox/audio-interface.json}) through which the box learns it.
 *
 * @param driver  "alsa" or "dummy" (no card that can record: JACK runs on its clock alone)
 * @param card    the card's ALSA id, such as CODEC; null with the dummy driver
 * @param name    the card's name from {@code /proc/asound/cards}; null with the dummy driver
 * @param kind    "usb", "other" (an I2S HAT, a PCI card) or "none"
 * @param reason  why this card, in words
 * @param problem what the player should know and fix, or null when all is as it should be
 */
public record AudioInterface(String driver, String card, String name, String kind, String reason, String problem,
                             int sampleRate, int frames, int periods) {
    public static final int VERSION = 1;
    /**
     * What an ALSA card id can be (the kernel keeps letters and digits and adds "_1" to a
     * duplicate): nothing jackd or the shell would read as anything but one word.
     */
    public static final String CARD_ID = "[A-Za-z0-9_]{1,32}";
    /** Writes only: {@link #parse} reads through {@link JsonRules#parse}, which is strict. */
    private static final ObjectMapper JSON = new ObjectMapper();

    public AudioInterface {
        if (!Set.of("alsa", "dummy").contains(driver)) {
            throw new IllegalArgumentException("driver: expected alsa or dummy, found '" + driver + "'");
        }
        if (driver.equals("alsa") != (card != null)) {
            throw new IllegalArgumentException("driver " + driver + (card == null ? " needs a card" : " takes no card"));
        }
        if (card != null && !card.matches(CARD_ID)) {
            throw new IllegalArgumentException("card: '" + card + "' is not an ALSA card id");
        }
        if (!Set.of("usb", "other", "none").contains(kind)) {
            throw new IllegalArgumentException("kind: expected usb, other or none, found '" + kind + "'");
        }
    }

    /**
     * jackd's driver arguments, after {@code -d}: {@code -d alsa -d hw:CODEC -r 48000 -p 64 -n 2 -X seq}.
     * {@code -X seq} is jackd's own ALSA MIDI bridge: every ALSA sequencer port (a USB MIDI
     * controller, also one plugged in later) appears as a physical JACK MIDI port, which the box
     * wires to its MIDI input.
     */
    public List<String> jackdArguments() {
        List<String> a = new ArrayList<>(List.of("-d", driver));
        if (card != null) {
            a.addAll(List.of("-d", "hw:" + card));
        }
        a.addAll(List.of("-r", Integer.toString(sampleRate), "-p", Integer.toString(frames)));
        if (card != null) {
            a.addAll(List.of("-n", Integer.toString(periods), "-X", "seq"));
        }
        return a;
    }

    /** The card in a few words, for a log line: "hw:CODEC (USB Audio CODEC)" or "no card". */
    public String describe() {
        return card == null ? "no card" : "hw:" + card + (name == null ? "" : " (" + name + ")");
    }

    /**
     * Which card and why, in one line for the journal: "hw:CODEC (USB Audio CODEC): the first USB
     * audio interface; 48000 Hz, 64 frames x 2", or the problem first when there is one.
     */
    public String explain() {
        String settings = sampleRate + " Hz, " + frames + " frames" + (card == null ? "" : " x " + periods);
        if (card == null) {
            return (problem == null ? "no audio interface" : problem) + "; JACK runs on its dummy driver (" + settings
                    + ") so the box still starts";
        }
        return (problem == null ? "" : problem + "; using ") + describe() + ": " + reason + "; " + settings;
    }

    public byte[] toJson() {
        ObjectNode o = JSON.createObjectNode().put("version", VERSION).put("driver", driver).put("card", card)
                .put("name", name).put("kind", kind).put("reason", reason).put("problem", problem)
                .put("sampleRate", sampleRate).put("frames", frames).put("periods", periods);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException("a tree of strings and numbers always writes", e);
        }
    }

    /** Reads the probe's file; every message starts with its path. */
    public static AudioInterface read(Path file) throws JsonRules.BadJsonException {
        byte[] json = JsonRules.readFile(file);
        try {
            return parse(json);
        } catch (JsonRules.BadJsonException e) {
            throw new JsonRules.BadJsonException(file + ": " + e.getMessage());
        }
    }

    /**
     * Reads the probe's file's bytes. Fields it does not know are let be: after an upgrade the new probe
     * writes for a box that may still be the old one until it restarts.
     *
     * @throws JsonRules.BadJsonException naming the place of the first mistake
     */
    public static AudioInterface parse(byte[] json) throws JsonRules.BadJsonException {
        JsonNode root = JsonRules.parse(json);
        object(root, "the audio interface");
        integer(root.get("version"), "version", VERSION, VERSION);
        try {
            return new AudioInterface(text(root.get("driver"), "driver"), orNull(root, "card"), orNull(root, "name"),
                    text(root.get("kind"), "kind"), text(root.get("reason"), "reason"), orNull(root, "problem"),
                    integer(root.get("sampleRate"), "sampleRate", 8000, 192_000),
                    integer(root.get("frames"), "frames", 16, 4096), integer(root.get("periods"), "periods", 2, 8));
        } catch (IllegalArgumentException e) {
            throw new JsonRules.BadJsonException(e.getMessage());
        }
    }

    private static String orNull(JsonNode root, String field) throws JsonRules.BadJsonException {
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? null : text(n, field);
    }
}
