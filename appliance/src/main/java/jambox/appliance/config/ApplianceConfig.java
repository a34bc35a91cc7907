package jambox.appliance.config;

import java.nio.file.Path;
import java.util.List;

import jambox.appliance.stream.StreamConfig;

/**
 * What the box runs: its audio backend, its board, the room it joins (none: play alone) and how its
 * jitter buffers size themselves. Read from {@code /etc/jambox/jambox.json} by {@link ConfigFile}.
 */
public record ApplianceConfig(Audio audio, Path board, StreamConfig room, Jitter jitter, Control control) {
    /** The config without a control section: the defaults serve the page. */
    public ApplianceConfig(Audio audio, Path board, StreamConfig room, Jitter jitter) {
        this(audio, board, room, jitter, Control.DEFAULT);
    }

    /**
     * @param backend  "auto" (JACK if a server runs, else simulated), "jack" or "simulated"
     * @param input    the simulated inputs: "riff" (a generated plucked-string riff) or a WAV file
     * @param device   the sound card JACK runs on, by ALSA name ({@code jambox jack-probe}); null: the
     *                 probe picks one
     * @param frames   JACK's period, one of {@link #FRAMES}: the probe passes it to jackd (with
     *                 {@code periods}), and it is the size of the packets the box sends unless the
     *                 room says otherwise (room.frames)
     * @param periods  JACK's periods per buffer, which the probe passes to jackd with {@code frames}
     */
    public record Audio(String backend, String jackServer, String jackClient, List<String> capture,
                        List<String> playback, String input, int sampleRate, int frames, String device,
                        int periods) {
        public Audio {
            capture = List.copyOf(capture);
            playback = List.copyOf(playback);
        }

        /** The periods the box runs at: 32 x 2 is the low-latency option (1.33 ms of buffering each way). */
        public static final List<Integer> FRAMES = List.of(32, 64, 128);

        public static final Audio DEFAULT = new Audio("auto", null, "jambox",
                List.of("system:capture_1", "system:capture_2"), List.of("system:playback_1", "system:playback_2"),
                "riff", 48_000, 64, null, 2);
    }

    /** Auto: depth follows the measured jitter; otherwise a fixed depth of {@code periods} packets. */
    public record Jitter(boolean auto, int periods) {
        public static final Jitter DEFAULT = new Jitter(true, 2);
    }

    /**
     * The control page: served on {@code bind}:{@code port} (0: no page), an optional PIN, the
     * folder for presets, the last state and recordings, and the host names it answers to besides
     * its own addresses, localhost, jambox.local and HOSTNAME.local (a name the router's DNS gives
     * it, say).
     */
    public record Control(String bind, int port, String pin, Path data, List<String> hosts) {
        public static final Control DEFAULT = new Control("0.0.0.0", 8080, null, Path.of("/var/lib/jambox"));

        public Control {
            hosts = List.copyOf(hosts);
        }

        /** No host names beyond the box's own. */
        public Control(String bind, int port, String pin, Path data) {
            this(bind, port, pin, data, List.of());
        }
    }

    public static final ApplianceConfig DEFAULT = new ApplianceConfig(Audio.DEFAULT, null, null, Jitter.DEFAULT);
}
