package jambox.bench.latency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import jambox.appliance.app.Appliance;
import jambox.appliance.app.DefaultBoard;
import jambox.appliance.audio.JackBackend;
import jambox.appliance.audio.JackConfig;
import jambox.appliance.audio.JackdProcess;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.config.ApplianceConfig;
import jambox.stream.JitterStats;
import jambox.appliance.stream.RoomMembers;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;
import jambox.room.RoomConfig;
import jambox.room.RoomServer;
import jambox.room.ServerConfig;

/**
 * {@code ./jambox bench latency}: mouth to ear between two boxes, as players get it. Two appliances
 * (two JACK clients on one jackd of its own, dummy driver) in a room on a loopback room server, each
 * with the box's default config (automatic jitter depth) and default board; a probe client sends
 * impulses into A's input and times their arrival at B's output on JACK's frame clock, after the
 * buffers have had 10 s to settle. The sound cards' buffering, which a dummy driver only declares,
 * is added from what the driver reports for its system ports. With {@code --peer jacktrip} the
 * same probe then measures Debian's JackTrip (a hub and two clients on the same jackd) at three
 * queue settings, in the same run.
 */
public final class LatencyBench {
    private static final int RATE = 48_000;
    private static final int FRAMES = 64;
    /** About a quarter second, and not a multiple of the period: impulses fall at every offset in it. */
    private static final int INTERVAL = 12_011;
    private static final String SECRET = "latency bench secret";
    private static final BoardSpec EMPTY = new BoardSpec("empty", List.of(List.of(), List.of()));
    private static final List<String> JACKTRIP_QUEUES = List.of("2", "4", "auto");
    static final String USAGE = """
            usage: ./jambox bench latency [-- OPTIONS]
              --impulses N     impulses measured, after the buffers settle (default 20)
              --settle S       seconds from the first sound heard to the first impulse measured (default 10)
              --depth N|auto   the jitter buffer: auto (the box's default) or a fixed depth of N packets
              --board B        default (the box's built-in board) or empty (no pedals)
              --peer P         none, or jacktrip: also measure Debian's jacktrip, a hub and two clients
                               on the same jackd, at -q 2, -q 4 and -q auto
              --jackd J        realtime (jackd -R, as the box runs it; the default where this machine
                               allows SCHED_FIFO) or plain (jackd -r, as the tests run it)
              --out FILE       the JSON result (default bench/target/latency.json)
            """;

    private LatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("--impulses", "20", "--settle", "10", "--depth", "auto",
                "--board", "default", "--peer", "none", "--out", "bench/target/latency.json",
                "--jackd", JackdProcess.realtimeAllowed() ? "realtime" : "plain"));
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || !o.containsKey(args[i]) || i + 1 >= args.length) {
                System.err.print((args[i].equals("--help") ? "" : "bad option '" + args[i] + "'\n") + USAGE);
                System.exit(args[i].equals("--help") ? 0 : 2);
            }
            o.put(args[i], args[++i]);
        }
        int impulses = Integer.parseInt(o.get("--impulses"));
        int settle = Integer.parseInt(o.get("--settle"));
        int depth = o.get("--depth").equals("auto") ? 0 : Integer.parseInt(o.get("--depth")); // 0: auto
        if (!o.get("--depth").equals("auto") && (depth < 1 || depth > 32)) {
            throw new IllegalArgumentException("--depth: auto or 1 to 32 packets, not " + depth);
        }
        BoardSpec board = switch (o.get("--board")) {
            case "default" -> DefaultBoard.load();
            case "empty" -> EMPTY;
            default -> throw new IllegalArgumentException("--board: default or empty, not " + o.get("--board"));
        };
        boolean jacktrip = switch (o.get("--peer")) {
            case "none" -> false;
            case "jacktrip" -> true;
            default -> throw new IllegalArgumentException("--peer: none or jacktrip, not " + o.get("--peer"));
        };
        boolean realtime = switch (o.get("--jackd")) {
            case "realtime" -> true;
            case "plain" -> false;
            default -> throw new IllegalArgumentException("--jackd: realtime or plain, not " + o.get("--jackd"));
        };
        Path out = Path.of(o.get("--out"));
        Map<String, Object> result;
        try (JackdProcess jackd = new JackdProcess()) { // 48 kHz, 64 frames, a name of its own
            jackd.realtime(realtime).start();
            System.out.println("jackd " + jackd.name() + ": dummy driver, 48 kHz, 64 frames, "
                    + (realtime ? "realtime (-R -P 70, as the jambox-jack unit)" : "not realtime (-r)"));
            int captureFrames = portLatency(jackd, "system:capture_1", "capture");
            int playbackFrames = portLatency(jackd, "system:playback_1", "playback");
            int jackFrames = captureFrames + playbackFrames;
            result = measure(jackd, impulses, settle, depth, board, captureFrames, playbackFrames);
            result.put("jackd_realtime", realtime);
            System.out.printf(Locale.ROOT, "box: mouth to ear %.2f ms = A -> B %.2f ms (median of %d; jitter buffer "
                            + "%.2f ms, network %.3f ms within it) + sound card buffers %.2f ms; concealed %.2f %%%n",
                    result.get("mouth_to_ear_ms"), result.get("a_to_b_ms"), impulses, result.get("jitter_buffer_ms"),
                    result.get("network_ms"), result.get("jack_buffer_ms"), result.get("concealed_percent"));
            if (jacktrip) {
                result.put("jacktrip_version", JackTripHub.version());
                for (String q : JACKTRIP_QUEUES) {
                    List<Long> l = measureJackTrip(jackd, q, impulses, settle);
                    double median = median(l);
                    String key = q.equals("auto") ? "jacktrip_auto" : "jacktrip_q" + q;
                    result.put(key + "_mouth_to_ear_ms", ms(median + jackFrames));
                    result.put(key + "_a_to_b_frames", l);
                    System.out.printf(Locale.ROOT, "jacktrip -q %s: mouth to ear %.2f ms = A -> B %.2f ms "
                            + "(median of %d) + sound card buffers %.2f ms%n",
                            q, ms(median + jackFrames), ms(median), l.size(), ms(jackFrames));
                }
                @SuppressWarnings("unchecked")
                Map<String, String> how = (Map<String, String>) result.remove("how");
                how.put("jacktrip_qN_mouth_to_ear_ms", "jacktrip_q2, jacktrip_q4, jacktrip_auto: Debian's jacktrip "
                        + "as a hub server (-S -p 2 -q N) with two hub clients (-C 127.0.0.1 -q N -D) on the same "
                        + "jackd; the median impulse latency from client A's "
                        + "send_1 port to client B's receive_1 port (A's packetization, the hub's queue for A, the "
                        + "hub's JACK pass from A to B, its packetization, B's queue), measured as for the box, plus "
                        + "jack_buffer_ms; no pedals");
                result.put("how", how);
            }
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
        System.out.println("written to " + out);
        System.exit(0); // JNA's and the stream client's daemon threads need no goodbye
    }

    private static Map<String, Object> measure(JackdProcess jackd, int impulses, int settle, int depth,
                                               BoardSpec board, int captureFrames, int playbackFrames)
            throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try {
            RoomServer server = RoomServer.start(ServerConfig.defaults().withPort(0).withStatusPort(0),
                    List.of(new RoomConfig("jam", SECRET, 16)));
            open.add(server);
            int port = server.address().getPort();
            Appliance a = box(jackd, "bench-a", port, "A", depth, board, open);
            Appliance b = box(jackd, "bench-b", port, "B", depth, board, open);
            PeakProbe probe = new PeakProbe(jackd.name(), "impulses", INTERVAL);
            open.add(probe);
            probe.wire("bench-a:in_1", "bench-b:out_1");
            probe.wireMidi("bench-a:midi_in", "bench-b:midi_out");
            long end = System.nanoTime() + 30_000_000_000L;
            while (statsOfA(b) == null) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("B never heard A: " + b.status());
                }
                Thread.sleep(50);
            }
            Thread.sleep(settle * 1000L); // priming, the automatic depth and the rate loop settle
            probe.listen();
            long startFrame = probe.frameTime();
            long concealedBefore = statsOfA(b).concealed;
            List<Integer> depths = new ArrayList<>();
            List<Long> rtts = new ArrayList<>();
            end = System.nanoTime() + (impulses * 2L + 30) * 1_000_000_000L;
            while (probe.heard() < impulses) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException(probe.heard() + " of " + impulses + " impulses heard: "
                            + b.status());
                }
                Thread.sleep(50);
                JitterStats s = statsOfA(b);
                if (s != null) {
                    depths.add(s.depthFrames);
                }
                for (Appliance x : List.of(a, b)) {
                    if (x.stream().rttMicros() >= 0) {
                        rtts.add(x.stream().rttMicros());
                    }
                }
            }
            long concealed = statsOfA(b).concealed - concealedBefore;
            long due = (probe.frameTime() - startFrame) / FRAMES;
            System.out.println("A: " + a.status());
            System.out.println("B: " + b.status());
            Map<String, Object> r = report(probe.latencies().subList(0, impulses), depths, rtts, depth,
                    captureFrames, playbackFrames, concealed, due, board);
            r.put("settle_s", settle);
            List<Long> notes = probe.noteAlignments();
            r.put("midi_alignment_frames", notes.stream().mapToLong(Math::abs).max().orElse(-1));
            r.put("midi_notes", notes.size());
            r.put("midi_minus_audio_frames", notes);
            @SuppressWarnings("unchecked")
            Map<String, String> how = (Map<String, String>) r.get("how");
            how.put("midi_alignment_frames", "a note-on played into A's midi_in in the frame of each impulse: the"
                    + " worst distance, in frames of B's JACK clock, between where it came out of B's midi_out and the"
                    + " impulse's loudest sample at B's out_1 (-1: no note came); midi_minus_audio_frames has each");
            System.out.println("box: MIDI alignment " + notes.stream().mapToLong(Math::abs).max().orElse(-1)
                    + " frames worst over " + notes.size() + " notes: " + notes);
            return r;
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    /** The impulse latencies from JackTrip client A's first send port to client B's first receive port. */
    private static List<Long> measureJackTrip(JackdProcess jackd, String queue, int impulses, int settle)
            throws Exception {
        try (JackTripHub hub = new JackTripHub(jackd.name(), queue)) {
            hub.start();
            PeakProbe probe = new PeakProbe(jackd.name(), "impulses-jacktrip-q" + queue, INTERVAL);
            try {
                probe.wire(JackTripHub.A + ":send_1", JackTripHub.B + ":receive_1");
                Thread.sleep(settle * 1000L);
                probe.listen();
                long end = System.nanoTime() + (impulses * 2L + 30) * 1_000_000_000L;
                while (probe.heard() < impulses) {
                    if (System.nanoTime() > end) {
                        throw new IllegalStateException("jacktrip -q " + queue + ": " + probe.heard() + " of "
                                + impulses + " impulses heard");
                    }
                    Thread.sleep(50);
                }
                return probe.latencies().subList(0, impulses);
            } finally {
                probe.close();
            }
        }
    }

    private static Appliance box(JackdProcess jackd, String client, int port, String name, int depth, BoardSpec board,
                                 List<AutoCloseable> open) throws Exception {
        StreamConfig room = new StreamConfig("127.0.0.1", port, "jam", SECRET, name, List.of("guitar", "voice"),
                Codec.PCM16, FRAMES);
        ApplianceConfig.Jitter jitter = depth == 0 ? ApplianceConfig.Jitter.DEFAULT
                : new ApplianceConfig.Jitter(false, depth);
        ApplianceConfig config = new ApplianceConfig(ApplianceConfig.Audio.DEFAULT, null, room, jitter);
        Appliance box = Appliance.start(config, board,
                new JackBackend(new JackConfig(client, jackd.name(), List.of(), List.of())));
        open.add(box);
        // Only the other box is heard: the self-monitor would add the impulse at zero latency.
        box.engine().mixer().self(0).setMute(true);
        box.engine().mixer().self(1).setMute(true);
        return box;
    }

    private static JitterStats statsOfA(Appliance b) {
        return b.members().members().stream().filter(m -> m.name().equals("A")).findFirst()
                .map(RoomMembers.Member::stats).orElse(null);
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2.0;
    }

    private static Map<String, Object> report(List<Long> latencies, List<Integer> depths, List<Long> rtts, int depth,
                                              int captureFrames, int playbackFrames, long concealed, long due,
                                              BoardSpec board) {
        double median = median(latencies);
        double depthFrames = depths.stream().mapToInt(Integer::intValue).average().orElse(Double.NaN);
        List<Long> rttSorted = rtts.stream().sorted().toList();
        double rttMicros = rttSorted.isEmpty() ? Double.NaN : rttSorted.get(rttSorted.size() / 2);
        int jackFrames = captureFrames + playbackFrames;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mouth_to_ear_ms", ms(median + jackFrames));
        r.put("concealed_percent", round(100.0 * concealed / Math.max(1, due)));
        r.put("a_to_b_ms", ms(median));
        r.put("jack_buffer_ms", ms(jackFrames));
        r.put("jitter_buffer_ms", ms(depthFrames));
        r.put("network_ms", round(rttMicros / 2000));
        r.put("frames", FRAMES);
        r.put("rate", RATE);
        r.put("impulses", latencies.size());
        r.put("jitter_depth_packets", depth == 0 ? "auto" : depth);
        r.put("board", board.name());
        r.put("concealed_packets", concealed);
        r.put("packets_due", due);
        r.put("a_to_b_frames", latencies);
        r.put("a_to_b_median_frames", median);
        r.put("jitter_buffer_frames", round(depthFrames));
        r.put("jack_capture_frames", captureFrames);
        r.put("jack_playback_frames", playbackFrames);
        Map<String, String> how = new LinkedHashMap<>();
        how.put("a_to_b_ms", "median impulse latency from A's input port to B's output port, both ends timed on "
                        + "JACK's frame clock by one probe client, the arrival being the loudest sample of the "
                        + "response in the impulse's window; includes A's board (the default board's overdrive "
                        + "oversampling and cabinet), packetization, loopback network, room server, B's jitter "
                        + "buffer and mixer; JACK adds nothing between clients in one graph (the probe runs after "
                        + "B and before A in every cycle)");
        how.put("jack_buffer_ms", "the sound card's buffering, as the driver declares it for system:capture_1 "
                        + "(capture latency) plus system:playback_1 (playback latency), read with jack_lsp -l; "
                        + "the dummy driver declares 1 period in and 2 periods out");
        how.put("mouth_to_ear_ms", "a_to_b_ms + jack_buffer_ms");
        how.put("concealed_percent", "packets of A that B played as concealment while the impulses were measured, "
                        + "per packet due in that time (JACK periods elapsed)");
        how.put("jitter_buffer_ms", "B's jitter buffer depth for A (play position to the end of the newest packet, "
                        + "so packetization included), averaged over the run; part of a_to_b_ms");
        how.put("network_ms", "half the median round-trip time the stream clients measure with pings; part of "
                        + "a_to_b_ms, absorbed by the jitter buffer on loopback");
        r.put("how", how);
        return r;
    }

    private static double ms(double frames) {
        return round(frames * 1000 / RATE);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static final Pattern LATENCY = Pattern.compile("port (playback|capture) latency = \\[ (\\d+) (\\d+) \\]");

    /**
     * The latency the driver declares for one of its ports ({@code jack_lsp -l}), in frames: what
     * the sound card's buffers add before capture reaches the graph or after playback leaves it.
     */
    private static int portLatency(JackdProcess jackd, String port, String direction)
            throws IOException, InterruptedException {
        Matcher m = LATENCY.matcher(jackd.tool(List.of("jack_lsp", "-l", port)));
        while (m.find()) {
            if (m.group(1).equals(direction)) {
                return Integer.parseInt(m.group(3));
            }
        }
        throw new IOException("jack_lsp -l reports no " + direction + " latency for " + port);
    }
}
