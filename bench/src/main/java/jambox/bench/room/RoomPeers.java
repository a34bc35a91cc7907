package jambox.bench.room;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@code ./jambox bench room --peer jamulus,jacktrip}: one room of N members on our room server in
 * forward mode, then in mix mode (simulated members as {@link RoomLoad} runs them), then on
 * Debian's Jamulus server with N real Jamulus clients, then on a JackTrip hub with N real JackTrip clients, for each N asked.
 * Each server is pinned to core 0; this process, and so every client and the clients' jackd, runs
 * on core 1 (the launcher pins it). Every system's processes are stopped, group and all, before the
 * next starts.
 *
 * <p>What is measured for each, over the same kind of steady window: the server process's CPU
 * (/proc/PID/stat), the datagrams per second through the kernel (/proc/net/snmp: in the network
 * namespace of its own that the launcher gives this bench, every one of them is to or from the
 * server), what one member sends and gets per second, and loss: counted per packet for our server,
 * the kernel's UDP drops for the peers (whose clients have no counter we can read).
 */
public final class RoomPeers {
    static final String USAGE = """
            usage: ./jambox bench room --peer jamulus,jacktrip [-- OPTIONS]
              --peer LIST     the peers to run beside our server, comma-separated: jamulus, jacktrip
                              (Debian's Jamulus 3.9 server -F with real clients, and a JackTrip hub
                              -p 2 with real clients); 'none' for our server alone
              --members LIST  room sizes, comma-separated (default 4,8,16); one room each
              --seconds N     measured seconds per run, after the warm-up (default 15)
              --warmup N      seconds a peer's room plays before the window opens (default 5)
              --repeat N      rounds over every size and system (default 1); each row is then,
                              of the runs that lost least, the one of median server CPU
              --out FILE      the rows as JSON (default bench/target/room-peers.json)
              --server-jvm "OPTS", --server-args "ARGS"  for our server, as in ./jambox bench room
            """;
    private static final int FRAMES = 64;
    private static final Pattern TOT = Pattern.compile("tot: (\\d+)");
    private static final boolean PRIVATE_NET = "private".equals(System.getProperty("jambox.bench.netns"));

    private RoomPeers() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("--peer", "jamulus,jacktrip", "--members", "4,8,16",
                "--seconds", "15", "--warmup", "5", "--out", "bench/target/room-peers.json", "--server-jvm",
                "-XX:+UseZGC -Xms128m -Xmx128m -XX:+AlwaysPreTouch -XX:MaxDirectMemorySize=64m -XX:TrimNativeHeapInterval=30000",
                "--server-args", "", "--repeat", "1"));
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                continue;
            }
            if (args[i].equals("--help") || !o.containsKey(args[i]) || i + 1 >= args.length) {
                System.err.print((args[i].equals("--help") ? "" : "bad option '" + args[i] + "'\n") + USAGE);
                System.exit(args[i].equals("--help") ? 0 : 2);
            }
            o.put(args[i], args[++i]);
        }
        List<String> peers = new ArrayList<>();
        for (String p : o.get("--peer").split(",")) {
            String peer = p.trim().toLowerCase(Locale.ROOT);
            if (peer.equals("jamulus") || peer.equals("jacktrip")) {
                peers.add(peer);
            } else if (!peer.equals("none") && !peer.isEmpty()) {
                fail("--peer takes jamulus, jacktrip or none, got '" + p + "'");
            }
        }
        List<Integer> sizes = new ArrayList<>();
        for (String m : o.get("--members").split(",")) {
            sizes.add(positive("--members", m.trim()));
        }
        int seconds = positive("--seconds", o.get("--seconds"));
        int warmup = positive("--warmup", o.get("--warmup"));
        int repeat = positive("--repeat", o.get("--repeat"));
        String missing = missing(peers);
        if (!missing.isEmpty()) {
            fail(missing);
        }
        if (!PRIVATE_NET) {
            System.out.println("note: not in a network namespace of its own; the UDP counters include every "
                    + "other program's datagrams on this machine");
        }
        Path out = Path.of(o.get("--out"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        // Rounds one after another, each over every size and system in turn, so a spell of load
        // from elsewhere on the machine falls on all of them rather than on one system's runs.
        Map<String, List<Map<String, Object>>> runs = new LinkedHashMap<>();
        List<Map<String, Object>> rows = List.of();
        for (int round = 0; round < repeat; round++) {
            for (int n : sizes) {
                add(runs, jamboxForward(n, seconds, o.get("--server-jvm"), o.get("--server-args")));
                add(runs, jamboxMix(n, seconds, o.get("--server-jvm"), o.get("--server-args")));
                if (peers.contains("jamulus")) {
                    add(runs, jamulus(n, seconds, warmup));
                }
                if (peers.contains("jacktrip")) {
                    add(runs, jacktrip(n, seconds, warmup));
                }
                rows = medians(runs);
                write(out, rows);
            }
        }
        System.out.println();
        System.out.println("| system | members | server CPU % (runs) | datagrams/s | packets/s per member (up/down) | loss |");
        System.out.println("|---|---|---|---|---|---|");
        for (Map<String, Object> r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f %s | %.0f | %.0f / %.0f | %.4f |%n", r.get("system"),
                    r.get("members"), r.get("server_cpu_percent"), r.get("server_cpu_percent_runs"),
                    r.get("datagrams_per_s"), r.get("packets_per_s_per_member"),
                    r.get("packets_per_s_per_member_down"), r.get("loss"));
        }
        System.out.println("wrote " + out);
    }

    private static void add(Map<String, List<Map<String, Object>>> runs, Map<String, Object> row) {
        runs.computeIfAbsent(row.get("system") + "/" + row.get("members"), k -> new ArrayList<>()).add(row);
    }

    /**
     * One row per system and size: among the runs that lost least (within 0.1 % of the best), the
     * one of median server CPU, whole, so its figures belong together; every run's CPU and loss
     * beside it. A run that lost packets is one where the server was kept off its core (the
     * machine is shared): its CPU counts the work it managed, not the work the room needed.
     */
    static List<Map<String, Object>> medians(Map<String, List<Map<String, Object>>> runs) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (List<Map<String, Object>> r : runs.values()) {
            double least = r.stream().mapToDouble(m -> (double) m.get("loss")).min().orElse(0);
            List<Map<String, Object>> clean = new ArrayList<>(r.stream()
                    .filter(m -> (double) m.get("loss") <= least + 0.001).toList());
            clean.sort(Comparator.comparingDouble(m -> (double) m.get("server_cpu_percent")));
            Map<String, Object> row = new LinkedHashMap<>(clean.get((clean.size() - 1) / 2));
            row.put("runs", r.size());
            row.put("server_cpu_percent_runs", r.stream().map(m -> m.get("server_cpu_percent")).toList());
            row.put("loss_runs", r.stream().map(m -> m.get("loss")).toList());
            row.put("packets_per_s_per_member_runs", r.stream().map(m -> m.get("packets_per_s_per_member")).toList());
            rows.add(row);
        }
        return rows;
    }

    /** What is missing to run these peers, as a message for the user; empty when nothing is. */
    static String missing(List<String> peers) {
        StringBuilder m = new StringBuilder();
        for (String tool : List.of("taskset", "setsid")) {
            if (!PeerProcess.onPath(tool)) {
                m.append("bench room --peer needs ").append(tool).append(" (util-linux)\n");
            }
        }
        if (!peers.isEmpty() && (!PeerProcess.onPath("jackd") || !PeerProcess.onPath("jack_lsp"))) {
            m.append("bench room --peer ").append(String.join(",", peers))
                    .append(" needs jackd and jack_lsp: apt-get install jackd2\n");
        }
        if (peers.contains("jamulus") && jamulusBinary() == null) {
            m.append("bench room --peer jamulus needs Debian's Jamulus (jamulus or Jamulus on the PATH): "
                    + "apt-get install jamulus\n");
        }
        if (peers.contains("jacktrip") && !PeerProcess.onPath("jacktrip")) {
            m.append("bench room --peer jacktrip needs jacktrip on the PATH: apt-get install jacktrip\n");
        }
        return m.toString().strip();
    }

    /** Debian installs it as /usr/bin/Jamulus; other builds as jamulus. */
    private static String jamulusBinary() {
        return PeerProcess.onPath("jamulus") ? "jamulus" : PeerProcess.onPath("Jamulus") ? "Jamulus" : null;
    }

    // ---------------------------------------------------------------- our server

    private static Map<String, Object> jamboxForward(int n, int seconds, String jvm, String serverArgs)
            throws Exception {
        System.out.println("== jambox-forward, " + n + " members");
        Map<String, Object> r = RoomLoad.run(n, 1, seconds, FRAMES, true, jvm, serverArgs);
        return jamboxRow("jambox-forward", n, r);
    }

    /**
     * The same room as a mix room: each member still sends 750 packets a second, and gets one
     * stream back, the server's mix of the others (AUDIO from member 0, 750 a second). Loss is
     * counted from the mix's sequence numbers; there is no latency column, since the mix's sender
     * is the server and its send time is on the server's clock.
     */
    private static Map<String, Object> jamboxMix(int n, int seconds, String jvm, String serverArgs)
            throws Exception {
        System.out.println("== jambox-mix, " + n + " members");
        Map<String, Object> r = RoomLoad.run(n, 1, seconds, FRAMES, true, jvm, serverArgs, true);
        return jamboxRow("jambox-mix", n, r);
    }

    /**
     * A row from RoomLoad's result: its members count every packet, so loss is exact (in a mix
     * room from the mix's sequence numbers) and so is latency (forward only).
     */
    static Map<String, Object> jamboxRow(String system, int n, Map<String, Object> r) {
        double elapsed = (double) r.get("window_seconds");
        long sent = (long) r.get("packets_sent");
        long udpOut = (long) r.get("udp_out_datagrams");
        Map<String, Object> row = row(system, n, (double) r.get("server_cpu_percent"), udpOut / elapsed,
                sent / (double) n / elapsed, (udpOut - sent) / (double) n / elapsed, (double) r.get("loss"));
        if (r.containsKey("latency_us_p99")) {
            row.put("loss_counted", "per packet, at the members");
            row.put("latency_us_p99", r.get("latency_us_p99"));
        } else {
            row.put("loss_counted", r.get("loss_counted"));
            row.put("latency", r.get("latency"));
            row.put("mix_blocks_missed_by_all", r.get("mix_blocks_missed_by_all"));
        }
        row.put("audio_packets_per_s_per_member_down", round((long) r.get("packets_received") / (double) n / elapsed));
        row.put("udp_dropped", r.get("udp_dropped"));
        row.put("frames_per_packet", FRAMES);
        row.put("clients", "simulated members (one thread), PCM16 stereo");
        return row;
    }

    // ---------------------------------------------------------------- Jamulus

    /**
     * Debian's Jamulus server, headless ({@code -n}), 64-sample frames ({@code -F}), no recording,
     * registered nowhere, on a free loopback port; N headless Jamulus clients on one jackd (dummy
     * driver, 64 frames) whose ini asks for the 64-sample buffer and small network buffers (Opus at
     * 64 samples: 750 packets a second each way). Member 0 talks through a counting relay.
     */
    private static Map<String, Object> jamulus(int n, int seconds, int warmup) throws Exception {
        System.out.println("== jamulus, " + n + " members");
        Path dir = Files.createTempDirectory("jambox-peers-jamulus-");
        List<PeerProcess> started = new ArrayList<>();
        String bin = jamulusBinary();
        try {
            String jack = "jbpeers-" + ProcessHandle.current().pid() + "-jamulus";
            started.add(jackd(jack, -1, dir));
            int port = freeUdpPort();
            Path status = dir.resolve("status.html");
            PeerProcess server = PeerProcess.start("server", 0, List.of(bin, "-s", "-n", "-F", "-p",
                    Integer.toString(port), "--serverbindip", "127.0.0.1", "-u", Integer.toString(Math.max(n, 10)),
                    "-m", status.toString(), "-t"), Map.of("QT_QPA_PLATFORM", "offscreen"), dir);
            started.add(server);
            Thread.sleep(1000);
            server.checkAlive();
            try (CountingRelay relay = new CountingRelay(port)) {
                List<PeerProcess> clients = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Path ini = dir.resolve("client" + i + ".ini");
                    // The client reads and rewrites this file; the root element is the section.
                    Files.writeString(ini, """
                            <client>
                             <prefsndcrdbufidx>1</prefsndcrdbufidx>
                             <enableopussmall>1</enableopussmall>
                             <audiochannels>2</audiochannels>
                             <audioquality>1</audioquality>
                             <autojitbuf>1</autojitbuf>
                            </client>
                            """);
                    int to = i == 0 ? relay.port() : port;
                    PeerProcess c = PeerProcess.start("client" + i, -1, List.of(bin, "-n", "-i", ini.toString(),
                            "-c", "127.0.0.1:" + to, "-j", "--clientname", "jbjam" + i, "-t"),
                            Map.of("JACK_DEFAULT_SERVER", jack, "JACK_NO_START_SERVER", "1",
                                    "QT_QPA_PLATFORM", "offscreen"), dir);
                    started.add(c);
                    clients.add(c);
                }
                // Connected when the server's status page lists every client.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30 + n);
                int listed = 0;
                while ((listed = listed(status)) < n) {
                    server.checkAlive();
                    for (PeerProcess c : clients) {
                        c.checkAlive();
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IOException("only " + listed + " of " + n + " Jamulus clients connected within "
                                + (30 + n) + " s; client 0 said:\n" + PeerProcess.tail(clients.get(0).log(), 2000));
                    }
                    Thread.sleep(200);
                }
                Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
                Window w = Window.open(server.pid(), -1);
                long up0 = relay.up.get();
                long down0 = relay.down.get();
                Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
                long up = relay.up.get() - up0;
                long down = relay.down.get() - down0;
                w.close();
                server.checkAlive();
                int stillListed = listed(status);
                // The relay sends once more what it forwards: those are not the server's datagrams.
                double perSecond = (w.udp.out() - up - down) / w.elapsed;
                Map<String, Object> row = row("jamulus", n, w.serverCpu, perSecond, up / w.elapsed, down / w.elapsed,
                        w.udp.out() == 0 ? 0 : w.udp.dropped() / (double) w.udp.out());
                row.put("loss_counted", "the kernel's UDP drops (the clients' own counts are not readable)");
                row.put("latency_us_p99", null);
                row.put("udp_dropped", w.udp.dropped());
                // Asked of the clients; what they achieved is packets_per_s_per_member (750 a second is
                // 64 samples a packet, 375 is 128: what Jamulus sends without small network buffers).
                row.put("frames_per_packet", FRAMES);
                row.put("udp_no_ports", w.udp.noPorts());
                row.put("udp_drops_at_server", w.serverDrops);
                row.put("udp_drops_at_clients", w.clientDrops);
                row.put("clients", "Jamulus " + bin + " -n, stereo, normal quality, buffer 64 samples, small "
                        + "network buffers; " + stillListed + " listed by the server at the end");
                return row;
            }
        } finally {
            PeerProcess.closeAll(started);
            deleteTree(dir);
        }
    }

    /** How many clients the Jamulus server's HTML status file lists (one {@code <li>} each). */
    private static int listed(Path status) throws IOException {
        if (!Files.exists(status)) {
            return 0;
        }
        String s = Files.readString(status);
        int count = 0;
        for (int i = s.indexOf("<li>"); i >= 0; i = s.indexOf("<li>", i + 1)) {
            count++;
        }
        return count;
    }

    // ---------------------------------------------------------------- JackTrip

    /**
     * A JackTrip hub ({@code -S -p 2}: each client hears every other client, not itself, as our
     * room does) on a jackd of its own pinned with it to core 0, and N hub clients on another jackd
     * on core 1. With -p 2 the mixing is JACK's summing of the ports the hub patches, so the hub's
     * jackd works for the room too: its CPU is in the row beside the hub's.
     */
    private static Map<String, Object> jacktrip(int n, int seconds, int warmup) throws Exception {
        System.out.println("== jacktrip, " + n + " members");
        Path dir = Files.createTempDirectory("jambox-peers-jacktrip-");
        List<PeerProcess> started = new ArrayList<>();
        try {
            String base = "jbpeers-" + ProcessHandle.current().pid();
            PeerProcess hubJack = jackd(base + "-hub", 0, dir);
            started.add(hubJack);
            started.add(jackd(base + "-clients", -1, dir));
            int offset = 100 + ThreadLocalRandom.current().nextInt(700);
            String o = Integer.toString(offset);
            PeerProcess hub = PeerProcess.start("hub", 0, List.of("jacktrip", "-S", "-p", "2", "-q", "4", "-o", o,
                    "-U", Integer.toString(61002 + offset * 4)), jackEnv(base + "-hub"), dir);
            started.add(hub);
            Thread.sleep(1000); // the hub listens before a client knocks
            hub.checkAlive();
            List<PeerProcess> clients = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                PeerProcess c = PeerProcess.start("client" + i, -1, List.of("jacktrip", "-C", "127.0.0.1", "-q", "4",
                        "-o", o, "-B", Integer.toString(20000 + offset * 40 + 2 * i), "-J", "jtc" + i, "-K", "jth" + i,
                        "-D", "-I", "1"), jackEnv(base + "-clients"), dir);
                started.add(c);
                clients.add(c);
                Thread.sleep(200); // one at a time: the hub patches each newcomer in
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30 + 2L * n);
            for (PeerProcess c : clients) {
                while (!c.log().contains("Received Connection from Peer")) {
                    c.checkAlive();
                    hub.checkAlive();
                    if (System.nanoTime() > deadline) {
                        throw new IOException("a JackTrip client did not connect within " + (30 + 2 * n) + " s:\n"
                                + PeerProcess.tail(c.log(), 2000));
                    }
                    Thread.sleep(200);
                }
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
            long[] tot0 = lastTot(clients.get(0).log());
            Window w = Window.open(hub.pid(), hubJack.pid());
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            w.close();
            long[] tot1 = lastTot(clients.get(0).log());
            hub.checkAlive();
            // Client 0 prints the packets it has received once a second (-I 1): its rate down.
            double perSecond = w.udp.out() / w.elapsed;
            // Without reports, the hub's design: one stream back to each client per stream in.
            double down = tot1[1] > tot0[1] ? (tot1[0] - tot0[0]) / (double) (tot1[1] - tot0[1]) : perSecond / n / 2;
            // Every datagram is a client's to the hub or the hub's to a client.
            double up = perSecond / n - down;
            Map<String, Object> row = row("jacktrip", n, w.serverCpu, perSecond, up, down,
                    w.udp.out() == 0 ? 0 : w.udp.dropped() / (double) w.udp.out());
            row.put("loss_counted", "the kernel's UDP drops");
            row.put("latency_us_p99", null);
            row.put("hub_jackd_cpu_percent", round(w.helperCpu));
            row.put("server_and_jackd_cpu_percent", round(w.serverCpu + w.helperCpu));
            row.put("udp_dropped", w.udp.dropped());
            row.put("udp_drops_at_server", w.serverDrops);
            row.put("udp_drops_at_clients", w.clientDrops);
            row.put("frames_per_packet", FRAMES);
            row.put("clients", "jacktrip -C, 2 channels, 16 bit, -q 4, on a jackd (dummy, 64 frames) of their own");
            return row;
        } finally {
            PeerProcess.closeAll(started);
            deleteTree(dir);
        }
    }

    /** The last "tot:" a JackTrip -I report printed, and how many reports there have been. */
    private static long[] lastTot(String log) {
        Matcher m = TOT.matcher(log);
        long last = 0;
        long count = 0;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
            count++;
        }
        return new long[] {last, count};
    }

    // ---------------------------------------------------------------- shared

    private static Map<String, String> jackEnv(String server) {
        return Map.of("JACK_DEFAULT_SERVER", server, "JACK_NO_START_SERVER", "1");
    }

    /** A jackd on the dummy driver at 48 kHz and 64 frames, not realtime, once a client can connect. */
    private static PeerProcess jackd(String name, int core, Path dir) throws IOException, InterruptedException {
        PeerProcess jackd = PeerProcess.start("jackd-" + name, core,
                List.of("jackd", "-n", name, "-r", "-d", "dummy", "-r", "48000", "-p", Integer.toString(FRAMES)),
                Map.of(), dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                jackd.checkAlive();
                ProcessBuilder b = new ProcessBuilder("jack_lsp").redirectErrorStream(true);
                b.environment().putAll(jackEnv(name));
                Process p = b.start();
                String out = new String(p.getInputStream().readAllBytes());
                p.waitFor(10, TimeUnit.SECONDS);
                if (out.contains("system:playback_1")) {
                    return jackd;
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("jackd " + name + " did not accept clients within 20 s:\n" + jackd.log());
                }
                Thread.sleep(200);
            } catch (IOException | InterruptedException e) {
                jackd.close();
                throw e;
            }
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    /** The server's CPU (and a helper's: the hub's jackd) and the UDP counters over one window. */
    private static final class Window {
        private final long serverPid;
        private final long helperPid;
        private final long start = System.nanoTime();
        private final double serverCpu0;
        private final double helperCpu0;
        private final UdpCounters udp0;
        private final Set<Long> serverSockets;
        private final Map<Long, Long> drops0;
        /** Datagrams the kernel dropped at the server's sockets, and at everyone else's (the clients'). */
        long serverDrops;
        long clientDrops;
        double elapsed;
        double serverCpu;
        double helperCpu;
        UdpCounters udp;

        private Window(long serverPid, long helperPid) throws IOException {
            this.serverPid = serverPid;
            this.helperPid = helperPid;
            serverCpu0 = ProcessCpu.seconds(serverPid);
            helperCpu0 = helperPid > 0 ? ProcessCpu.seconds(helperPid) : 0;
            udp0 = UdpCounters.read();
            serverSockets = UdpCounters.socketsOf(serverPid);
            drops0 = UdpCounters.dropsBySocket();
        }

        static Window open(long serverPid, long helperPid) throws IOException {
            return new Window(serverPid, helperPid);
        }

        void close() throws IOException {
            udp = UdpCounters.read().minus(udp0);
            for (Map.Entry<Long, Long> d : UdpCounters.dropsBySocket().entrySet()) {
                long n = d.getValue() - drops0.getOrDefault(d.getKey(), 0L);
                if (serverSockets.contains(d.getKey())) {
                    serverDrops += n;
                } else {
                    clientDrops += n;
                }
            }
            double s = ProcessCpu.seconds(serverPid) - serverCpu0;
            double h = helperPid > 0 ? ProcessCpu.seconds(helperPid) - helperCpu0 : 0;
            elapsed = (System.nanoTime() - start) / 1e9;
            serverCpu = 100 * s / elapsed;
            helperCpu = 100 * h / elapsed;
        }
    }

    static Map<String, Object> row(String system, int members, double cpu, double datagramsPerSecond,
                                   double upPerMember, double downPerMember, double loss) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("system", system);
        r.put("members", members);
        r.put("server_cpu_percent", round(cpu));
        r.put("datagrams_per_s", round(datagramsPerSecond));
        r.put("packets_per_s_per_member", round(upPerMember));
        r.put("packets_per_s_per_member_down", round(downPerMember));
        r.put("loss", loss);
        r.put("host_load_1min", loadAverage());
        r.put("udp_counters", PRIVATE_NET ? "this bench's own network namespace" : "the machine's (other traffic included)");
        return r;
    }

    /** The machine's 1-minute load average as the row is made: how busy the other programs kept it. */
    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void write(Path out, List<Map<String, Object>> rows) throws IOException {
        Files.writeString(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows) + "\n");
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static int positive(String key, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        fail(key + " takes positive whole numbers, got '" + value + "'");
        return 0;
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(2);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
