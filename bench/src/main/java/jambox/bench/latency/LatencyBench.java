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
import jambox.appliance.audio.ImpulseProbe;
import jambox.appliance.audio.JackBackend;
import jambox.appliance.audio.JackConfig;
import jambox.appliance.audio.JackdProcess;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.stream.JitterStats;
import jambox.appliance.stream.RoomMembers;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;
import jambox.room.RoomConfig;
import jambox.room.RoomServer;
import jambox.room.ServerConfig;

/**
 * {@code ./jambox bench latency}: mouth to ear between two boxes. Two appliances (two JACK clients
 * on one jackd of its own, dummy driver) in a room on a loopback room server; a probe client sends
 * impulses into A's input and times their arrival at B's output on JACK's frame clock. The sound
 * cards' buffering, which a dummy driver only declares, is added from what the driver reports for
 * its system ports.
 */
public final class LatencyBench {
    private static final int RATE = 48_000;
    private static final int FRAMES = 64;
    /** About a quarter second, and not a multiple of the period: impulses fall at every offset in it. */
    private static final int INTERVAL = 12_011;
    private static final String SECRET = "latency bench secret";
    private static final BoardSpec EMPTY = new BoardSpec("empty", List.of(List.of(), List.of()));
    static final String USAGE = """
            usage: ./jambox bench latency [-- OPTIONS]
              --impulses N   impulses measured, after the buffers settle (default 20)
              --depth N      the jitter buffer's fixed depth in packets (default 4); 0: automatic
              --out FILE     the JSON result (default bench/target/latency.json)
            """;

    private LatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("--impulses", "20", "--depth", "4",
                "--out", "bench/target/latency.json"));
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || !o.containsKey(args[i]) || i + 1 >= args.length) {
                System.err.print((args[i].equals("--help") ? "" : "bad option '" + args[i] + "'\n") + USAGE);
                System.exit(args[i].equals("--help") ? 0 : 2);
            }
            o.put(args[i], args[++i]);
        }
        int impulses = Integer.parseInt(o.get("--impulses"));
        int depth = Integer.parseInt(o.get("--depth"));
        Path out = Path.of(o.get("--out"));
        Map<String, Object> result;
        try (JackdProcess jackd = new JackdProcess()) { // 48 kHz, 64 frames, a name of its own
            jackd.start();
            result = measure(jackd, impulses, depth);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
        System.out.printf(Locale.ROOT, "mouth to ear %.2f ms = A -> B %.2f ms (median of %d; jitter buffer %.2f ms, "
                        + "network %.3f ms within it) + sound card buffers %.2f ms%nwritten to %s%n",
                result.get("mouth_to_ear_ms"), result.get("a_to_b_ms"), impulses, result.get("jitter_buffer_ms"),
                result.get("network_ms"), result.get("jack_buffer_ms"), out);
        System.exit(0); // JNA's and the stream client's daemon threads need no goodbye
    }

    private static Map<String, Object> measure(JackdProcess jackd, int impulses, int depth) throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try {
            RoomServer server = RoomServer.start(ServerConfig.defaults().withPort(0).withStatusPort(0),
                    List.of(new RoomConfig("jam", SECRET, 16)));
            open.add(server);
            int port = server.address().getPort();
            Appliance a = box(jackd, "bench-a", port, "A", depth, open);
            Appliance b = box(jackd, "bench-b", port, "B", depth, open);
            ImpulseProbe probe = new ImpulseProbe(jackd.name(), INTERVAL);
            open.add(probe);
            probe.wire("bench-a", "bench-b");
            long end = System.nanoTime() + 30_000_000_000L;
            while (statsOfA(b) == null) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("B never heard A: " + b.status());
                }
                Thread.sleep(50);
            }
            Thread.sleep(3000); // priming and the rate loop settle
            probe.listen();
            List<Integer> depths = new ArrayList<>();
            List<Long> rtts = new ArrayList<>();
            end = System.nanoTime() + (impulses * 2L + 30) * 1_000_000_000L;
            while (probe.heard() < impulses) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException(probe.heard() + " of " + impulses + " impulses heard: " + b.status());
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
            System.out.println("A: " + a.status());
            System.out.println("B: " + b.status());
            return report(probe.latencies().subList(0, impulses), depths, rtts, depth,
                    portLatency(jackd, "system:capture_1", "capture"), portLatency(jackd, "system:playback_1", "playback"));
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    private static Appliance box(JackdProcess jackd, String client, int port, String name, int depth,
                                 List<AutoCloseable> open) throws Exception {
        StreamConfig room = new StreamConfig("127.0.0.1", port, "jam", SECRET, name, List.of("guitar", "voice"),
                Codec.PCM16, FRAMES);
        ApplianceConfig config = new ApplianceConfig(ApplianceConfig.Audio.DEFAULT, null, room,
                new ApplianceConfig.Jitter(depth == 0, depth == 0 ? 2 : depth));
        Appliance box = Appliance.start(config, EMPTY,
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

    private static Map<String, Object> report(List<Long> latencies, List<Integer> depths, List<Long> rtts, int depth,
                                              int captureFrames, int playbackFrames) {
        List<Long> sorted = latencies.stream().sorted().toList();
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2.0;
        double depthFrames = depths.stream().mapToInt(Integer::intValue).average().orElse(Double.NaN);
        List<Long> rttSorted = rtts.stream().sorted().toList();
        double rttMicros = rttSorted.isEmpty() ? Double.NaN : rttSorted.get(rttSorted.size() / 2);
        int jackFrames = captureFrames + playbackFrames;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mouth_to_ear_ms", ms(median + jackFrames));
        r.put("a_to_b_ms", ms(median));
        r.put("jack_buffer_ms", ms(jackFrames));
        r.put("jitter_buffer_ms", ms(depthFrames));
        r.put("network_ms", round(rttMicros / 2000));
        r.put("frames", FRAMES);
        r.put("rate", RATE);
        r.put("impulses", latencies.size());
        r.put("jitter_depth_packets", depth == 0 ? "auto" : depth);
        r.put("a_to_b_frames", latencies);
        r.put("a_to_b_median_frames", median);
        r.put("jitter_buffer_frames", round(depthFrames));
        r.put("jack_capture_frames", captureFrames);
        r.put("jack_playback_frames", playbackFrames);
        Map<String, String> how = new LinkedHashMap<>();
        how.put("a_to_b_ms", "median impulse latency from A's input port to B's output port, both ends timed on "
                        + "JACK's frame clock by one probe client; includes packetization, loopback network, "
                        + "room server and B's jitter buffer; JACK adds nothing between clients in one graph "
                        + "(the probe runs after B and before A in every cycle)");
        how.put("jack_buffer_ms", "the sound card's buffering, as the driver declares it for system:capture_1 "
                        + "(capture latency) plus system:playback_1 (playback latency), read with jack_lsp -l; "
                        + "the dummy driver declares 1 period in and 2 periods out");
        how.put("mouth_to_ear_ms", "a_to_b_ms + jack_buffer_ms");
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
