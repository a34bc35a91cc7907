package jambox.bench.room;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import jambox.protocol.Bundle;
import jambox.protocol.Header;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.Problem;

/**
 * {@code ./jambox bench room}: starts the room server as its own process (so /proc gives its CPU
 * alone), joins simulated members through the real handshake, and has each send one packet per
 * period (64 frames at 48 kHz: 750 a second), staggered across the period as independent players
 * would be. Measures loss and send-to-receive latency through the server, and the server's CPU.
 * With {@code --mode mix} the rooms are mix rooms: each member gets one stream, the server's mix
 * of the others as AUDIO from member 0, and loss is counted from that stream's sequence numbers;
 * latency is not measured there (the mix's send time is on the server's clock).
 */
public final class RoomLoad {
    private static final String SECRET = "load-test-secret";
    private static final int STAGGER = 8;
    /** Set by the launcher when it pinned this process to core 1: the server then gets core 0 to itself. */
    private static final boolean PIN = Boolean.getBoolean("jambox.bench.pin");
    private static final Pattern LISTENING = Pattern.compile("on UDP \\S*:(\\d+) with");
    static final String USAGE = """
            usage: ./jambox bench room [-- OPTIONS]
              --members N     simulated members in all (default 64)
              --rooms N       rooms they are spread over (default 8)
              --seconds N     measured seconds, after a 3 s warm-up (default 20)
              --frames N      frames per packet (default 64)
              --out FILE      the JSON result (default bench/target/room.json)
              --server-jvm "OPTS"  JVM options for the server process (default: the systemd unit's)
              --mode M        forward (default): the server forwards every member's packets to
                              every other; mix: it mixes, and each member gets one stream, the
                              mix of the others, as AUDIO from member 0 (750 packets/s at 64 frames)
              --phases P      spread (default): a room's members send at different moments of the
                              period, as independent players' clocks do; aligned: all at once
              --server-args "ARGS" more options for the server (./jambox room --help), e.g. "--batch-us 0"
            beside Jamulus and JackTrip: ./jambox bench room --peer jamulus,jacktrip -- --help
            """;

    private RoomLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("--members", "64", "--rooms", "8", "--seconds", "20",
                "--frames", "64", "--out", "bench/target/room.json", "--server-jvm",
                "-XX:+UseZGC -Xms128m -Xmx128m -XX:+AlwaysPreTouch -XX:MaxDirectMemorySize=64m -XX:TrimNativeHeapInterval=30000",
                "--server-args", "", "--phases", "spread", "--mode", "forward"));
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || !o.containsKey(args[i]) || i + 1 >= args.length) {
                System.err.print((args[i].equals("--help") ? "" : "bad option '" + args[i] + "'\n") + USAGE);
                System.exit(args[i].equals("--help") ? 0 : 2);
            }
            o.put(args[i], args[++i]);
        }
        int members = positive(o, "--members");
        int rooms = positive(o, "--rooms");
        int seconds = positive(o, "--seconds");
        int frames = positive(o, "--frames");
        if (rooms > members || frames < Header.MIN_FRAMES || frames > Header.MAX_FRAMES) {
            System.err.println("need at least one member per room and 32..256 frames");
            System.exit(2);
        }
        String phases = o.get("--phases");
        if (!phases.equals("spread") && !phases.equals("aligned")) {
            System.err.println("--phases takes spread or aligned, got '" + phases + "'");
            System.exit(2);
        }
        String mode = o.get("--mode");
        if (!mode.equals("forward") && !mode.equals("mix")) {
            System.err.println("--mode takes forward or mix, got '" + mode + "'");
            System.exit(2);
        }
        Map<String, Object> result = run(members, rooms, seconds, frames, phases.equals("spread"), o.get("--server-jvm"),
                o.get("--server-args"), mode.equals("mix"));
        Path out = Path.of(o.get("--out"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result) + "\n");
        System.out.println("wrote " + out);
    }

    private static int positive(Map<String, String> o, String key) {
        try {
            int n = Integer.parseInt(o.get(key));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        System.err.println(key + " takes a positive whole number, got '" + o.get(key) + "'");
        System.exit(2);
        return 0;
    }

    static Map<String, Object> run(int memberCount, int roomCount, int seconds, int frames, boolean spread,
                                   String serverJvm,
                                   String serverArgs) throws Exception {
        return run(memberCount, roomCount, seconds, frames, spread, serverJvm, serverArgs, false);
    }

    /**
     * {@code mix}: every room is a mix room ({@code "mode": "mix"}): each member then gets one
     * stream, the server's mix of the others, as AUDIO from member 0, instead of every other
     * member's packets.
     */
    static Map<String, Object> run(int memberCount, int roomCount, int seconds, int frames, boolean spread,
                                   String serverJvm, String serverArgs, boolean mix) throws Exception {
        String roomFields = mix ? ", \"mode\": \"mix\"" : "";
        Path rooms = Files.createTempFile("jambox-rooms", ".json");
        StringBuilder json = new StringBuilder("{\"version\": 1, \"rooms\": [");
        int perRoom = (memberCount + roomCount - 1) / roomCount;
        for (int r = 0; r < roomCount; r++) {
            json.append(r == 0 ? "" : ",").append("{\"name\": \"room").append(r + 1).append("\", \"secret\": \"")
                    .append(SECRET).append("\", \"capacity\": ").append(Math.max(perRoom, 1)).append(roomFields).append('}');
        }
        Files.writeString(rooms, json.append("]}").toString());
        Process server = startServer(rooms, serverJvm, serverArgs);
        try {
            int port = awaitPort(server);
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            List<SimulatedMember> members = new ArrayList<>();
            int[] roomSize = new int[roomCount];
            for (int i = 0; i < memberCount; i++) {
                int r = i % roomCount;
                SimulatedMember m = new SimulatedMember(i, r, "room" + (r + 1), SECRET, frames, at);
                m.join();
                members.add(m);
                roomSize[r]++;
            }
            return measure(members, roomSize, seconds, frames, spread, mix, server.pid());
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            Files.deleteIfExists(rooms);
        }
    }

    private static Process startServer(Path rooms, String serverJvm, String serverArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (PIN) {
            cmd.addAll(List.of("taskset", "-c", "0")); // the generator runs on core 1 (./jambox bench room)
        }
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(words(serverJvm));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "jambox.room.RoomServerMain",
                "--rooms", rooms.toString(), "--port", "0", "--bind", "127.0.0.1", "--status-port", "0"));
        cmd.addAll(words(serverArgs));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static List<String> words(String s) {
        return s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
    }

    private static int awaitPort(Process server) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = lines.readLine()) != null; ) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        lines.lines().forEach(l -> { });
                    } catch (UncheckedIOException e) {
                        // The server was stopped at the end of the run: its output ends with it.
                    }
                }, "server-output");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(1));
            }
        }
        throw new IOException("the room server did not start:\n" + seen);
    }

    private static Map<String, Object> measure(List<SimulatedMember> members, int[] roomSize, int seconds, int frames,
                                               boolean spread, boolean mix,
                                               long serverPid) throws Exception {
        long periodNanos = Math.round(frames * 1e9 / 48_000);
        long warmup = TimeUnit.SECONDS.toNanos(3);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        // The measured window is a range of periods, so a packet is in it or not on both ends alike.
        long firstPeriod = (warmup + periodNanos - 1) / periodNanos;
        long endPeriod = firstPeriod + TimeUnit.SECONDS.toNanos(seconds) / periodNanos;
        long windowStart = start + firstPeriod * periodNanos;
        // A mix is made at the server's 64-frame block rate, whatever the members' packet size.
        int mixCapacity = (int) (TimeUnit.SECONDS.toNanos(seconds + 10) / 1_333_333);
        Receiver receiver = new Receiver(members, firstPeriod * frames, endPeriod * frames, mix ? mixCapacity : 0);
        double serverCpuStart = 0;
        double clientCpuStart = 0;
        UdpCounters udpStart = null;
        boolean windowOpen = false;
        // Members send in STAGGER groups spread over the period, as independent players' clocks
        // would. One thread sends and receives, polling without sleeping: on loopback whoever sends
        // pays for waking a sleeping receiver (costly in a VM), so a generator that slept would bill
        // the server for it; remote players cost a real server no such wake-ups.
        // How much of its time the generator spent working rather than waiting, and how late it
        // began each group's sends: when either grows, the figures measure the generator, not the server.
        long busy = 0;
        LatencyHistogram lateness = new LatencyHistogram();
        int groups = Math.min(STAGGER, members.size());
        List<List<SimulatedMember>> bySlot = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            bySlot.add(new ArrayList<>());
        }
        for (SimulatedMember m : members) {
            int inRoom = m.index / roomSize.length;
            bySlot.get((spread ? m.room + inRoom : m.room) % groups).add(m);
        }
        long slot = periodNanos / groups;
        for (long k = 0; k < endPeriod; k++) {
            long periodStart = start + k * periodNanos;
            if (!windowOpen && k >= firstPeriod) {
                windowOpen = true;
                receiver.openMixWindow();
                serverCpuStart = ProcessCpu.seconds(serverPid);
                clientCpuStart = ProcessCpu.seconds(ProcessHandle.current().pid());
                udpStart = UdpCounters.read();
            }
            for (int g = 0; g < groups; g++) {
                long due = periodStart + g * slot;
                long t;
                while ((t = System.nanoTime()) < due) {
                    if (receiver.poll() && windowOpen) {
                        busy += System.nanoTime() - t;
                    }
                }
                if (windowOpen) {
                    lateness.add((t - due) / 1000);
                }
                for (SimulatedMember m : bySlot.get(g)) {
                    if (m.send(System.nanoTime() / 1000, k * frames) && windowOpen) {
                        m.sentInWindow++;
                    }
                }
                if (windowOpen) {
                    busy += System.nanoTime() - t;
                }
            }
        }
        double serverCpu = ProcessCpu.seconds(serverPid) - serverCpuStart;
        double clientCpu = ProcessCpu.seconds(ProcessHandle.current().pid()) - clientCpuStart;
        double elapsed = (System.nanoTime() - windowStart) / 1e9;
        UdpCounters udp = UdpCounters.read().minus(udpStart);
        receiver.closeMixWindow();
        long stragglers = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < stragglers) {
            receiver.poll();
        }
        receiver.close();
        long sent = 0;
        long expected = 0;
        long sendFailures = 0;
        for (SimulatedMember m : members) {
            sent += m.sentInWindow;
            expected += mix ? receiver.mixExpected(m.index) : m.sentInWindow * (roomSize[m.room] - 1);
            sendFailures += m.sendFailures;
        }
        LatencyHistogram h = receiver.latency;
        long received = mix ? receiver.mixReceived() : h.count();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", mix ? "mix" : "forward");
        r.put("members", members.size());
        r.put("rooms", roomSize.length);
        r.put("frames", frames);
        r.put("phases", spread ? "spread" : "aligned");
        r.put("seconds", seconds);
        r.put("packets_sent", sent);
        r.put("packets_expected", expected);
        r.put("packets_received", received);
        r.put("loss", expected == 0 ? 0.0 : Math.max(0, expected - received) / (double) expected);
        if (mix) {
            // The mix's sender is the server, stamped with the server's own clock: there is no
            // member's send time to measure from. Loss is counted from member 0's sequence
            // numbers (the server's block numbers): every block from the first one a member got in
            // the window to the last one it had got when the window closed is expected once.
            r.put("loss_counted", "per member, from the mix's sequence numbers (member 0)");
            r.put("latency", "not measured in a mix room: the server is the mix's sender");
            r.put("mix_blocks_missed_by_all", receiver.mixMissedByAll());
            r.put("mix_packets_per_s_per_member", round(received / (double) members.size() / elapsed));
        } else {
            r.put("latency_us_p50", h.percentile(0.50));
            r.put("latency_us_p99", h.percentile(0.99));
            r.put("latency_us_p999", h.percentile(0.999));
            r.put("latency_us_max", h.max());
        }
        r.put("server_cpu_percent", round(100 * serverCpu / elapsed));
        r.put("client_cpu_percent", round(100 * clientCpu / elapsed));
        r.put("client_busy_percent", round(100 * busy / 1e9 / elapsed));
        r.put("send_lateness_us_p99", lateness.percentile(0.99));
        r.put("send_lateness_us_max", lateness.max());
        r.put("send_failures", sendFailures);
        r.put("invalid_packets", receiver.invalid);
        r.put("datagrams_received", receiver.datagrams);
        r.put("bundles_received", receiver.bundles);
        r.put("pinned", PIN);
        // The kernel's count over the same window (this network namespace's: see UdpCounters).
        r.put("window_seconds", elapsed);
        r.put("udp_out_datagrams", udp.out());
        r.put("udp_dropped", udp.dropped());
        String latency = mix ? String.format(Locale.ROOT, "mix %.1f packets/s per member, %d blocks missed by all",
                (double) r.get("mix_packets_per_s_per_member"), (long) r.get("mix_blocks_missed_by_all"))
                : String.format(Locale.ROOT, "latency p50 %d us, p99 %d us, max %d us", h.percentile(0.5),
                h.percentile(0.99), h.max());
        System.out.printf(Locale.ROOT, "%d members in %d %s rooms, %d s: sent %d, received %d of %d (loss %.6f), "
                        + "%s, server CPU %.1f %% of a core, %d datagrams "
                        + "(%d bundles); generator busy %.1f %%, sends late by up to %d us%n",
                members.size(), roomSize.length, mix ? "mix" : "forward", seconds, sent, received, expected,
                (double) r.get("loss"), latency, (double) r.get("server_cpu_percent"),
                receiver.datagrams, receiver.bundles, (double) r.get("client_busy_percent"), lateness.max());
        return r;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** Reads every member's socket when polled; checks the full tag of one packet in 16. */
    private static final class Receiver implements AutoCloseable {
        final LatencyHistogram latency = new LatencyHistogram();
        private final long firstPosition;
        private final long endPosition;
        private final Selector selector;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(Header.MAX_PACKET + 1);
        private final byte[] bytes = new byte[Header.MAX_PACKET + 1];
        private final PacketReader reader = new PacketReader();
        private final PacketReader innerReader = new PacketReader();
        private long n;
        private long now;
        long invalid;
        long datagrams;
        long bundles;
        private final Bundle.Visitor inner = (b, off, len) -> {
            if (innerReader.read(b, off, len) != Problem.NONE) {
                invalid++;
            } else {
                count(innerReader, now);
            }
        };

        // In a mix room: per member, the sequence numbers of the server's mix (AUDIO from member 0)
        // that arrived, as bits from the first one after the window opened; the last one that had
        // arrived when it closed. Null in a forwarding room.
        private final java.util.BitSet[] mixSeen;
        private final long[] mixFirst;
        private final long[] mixLast;
        private final int mixCapacity;
        private boolean mixOpen;
        private boolean mixClosed;
        /** The member whose socket is being read. */
        private int receiving;

        Receiver(List<SimulatedMember> members, long firstPosition, long endPosition, int mixCapacity)
                throws IOException {
            this.firstPosition = firstPosition;
            this.endPosition = endPosition;
            this.mixCapacity = mixCapacity;
            int slots = members.stream().mapToInt(m -> m.index).max().orElse(0) + 1;
            mixSeen = mixCapacity == 0 ? null : new java.util.BitSet[slots];
            mixFirst = new long[slots];
            mixLast = new long[slots];
            java.util.Arrays.fill(mixFirst, -1);
            java.util.Arrays.fill(mixLast, -1);
            if (mixSeen != null) {
                for (SimulatedMember m : members) {
                    mixSeen[m.index] = new java.util.BitSet(mixCapacity);
                }
            }
            selector = Selector.open();
            for (SimulatedMember m : members) {
                m.channel.register(selector, SelectionKey.OP_READ, m);
            }
        }

        /** The window opens: from now on each member's first mix packet sets where its count starts. */
        void openMixWindow() {
            mixOpen = true;
        }

        /** The window closes: each member's count ends at the last mix packet it has had. */
        void closeMixWindow() {
            mixClosed = true;
        }

        /** Blocks of the mix member {@code index} should have had in the window. */
        long mixExpected(int index) {
            return mixFirst[index] < 0 || mixLast[index] < mixFirst[index] ? 0 : mixLast[index] - mixFirst[index] + 1;
        }

        /** Blocks of the mix that arrived, counted once each, in every member's window. */
        long mixReceived() {
            long n = 0;
            for (int i = 0; mixSeen != null && i < mixSeen.length; i++) {
                if (mixSeen[i] != null && mixExpected(i) > 0) {
                    n += mixSeen[i].get(0, (int) mixExpected(i)).cardinality();
                }
            }
            return n;
        }

        /**
         * Blocks, within the span every member's window covers, that no member got: the server
         * did not send them (its tick or event loop fell behind), where a datagram lost on the
         * way is missing at one member only.
         */
        long mixMissedByAll() {
            long from = Long.MIN_VALUE;
            long to = Long.MAX_VALUE;
            for (int i = 0; mixSeen != null && i < mixSeen.length; i++) {
                if (mixSeen[i] != null) {
                    if (mixExpected(i) == 0) {
                        return 0;
                    }
                    from = Math.max(from, mixFirst[i]);
                    to = Math.min(to, mixLast[i]);
                }
            }
            long missed = 0;
            for (long k = from; mixSeen != null && k <= to; k++) {
                boolean got = false;
                for (int i = 0; i < mixSeen.length && !got; i++) {
                    got = mixSeen[i] != null && mixSeen[i].get((int) (k - mixFirst[i]));
                }
                missed += got ? 0 : 1;
            }
            return missed;
        }

        /** Reads whatever has arrived, without blocking; true when there was something. */
        boolean poll() throws IOException {
            if (selector.selectNow() == 0) {
                return false;
            }
            for (SelectionKey key : selector.selectedKeys()) {
                SimulatedMember m = (SimulatedMember) key.attachment();
                receiving = m.index;
                while (m.channel.receive(buf) != null) {
                    now = System.nanoTime() / 1000;
                    buf.flip();
                    int len = buf.remaining();
                    buf.get(bytes, 0, len).clear();
                    datagrams++;
                    if (reader.read(bytes, 0, len) != Problem.NONE) {
                        invalid++;
                        continue;
                    }
                    if ((++n & 15) == 0) {
                        invalid += m.session.receiveAll(bytes, 0, len, r -> { });
                    }
                    if (reader.header.type == PacketType.BUNDLE) {
                        bundles++;
                        if (!Bundle.forEach(bytes, Header.SIZE, reader.header.bodyLength, inner)) {
                            invalid++;
                        }
                    } else {
                        count(reader, now);
                    }
                }
            }
            selector.selectedKeys().clear();
            return true;
        }

        private void countMix(int index, long sequence) {
            if (!mixOpen) {
                return;
            }
            if (mixFirst[index] < 0) {
                mixFirst[index] = sequence;
            }
            long at = sequence - mixFirst[index];
            if (at < 0 || at >= mixCapacity) {
                return; // from before the window, or far outside it
            }
            if (!mixClosed) {
                mixLast[index] = Math.max(mixLast[index], sequence);
            }
            mixSeen[index].set((int) at);
        }

        private void count(PacketReader r, long nowMicros) {
            if (r.header.type != PacketType.AUDIO) {
                return; // pings, rosters
            }
            if (mixSeen != null) {
                if (r.header.member == 0) {
                    countMix(receiving, r.header.sequence & 0xFFFF_FFFFL);
                }
                return;
            }
            long position = r.header.samplePosition;
            if (position >= firstPosition && position < endPosition) {
                latency.add(nowMicros - r.header.senderTime);
            }
        }

        @Override
        public void close() throws IOException {
            selector.close();
        }
    }
}
