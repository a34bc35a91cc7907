package jambox.bench.room;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import jambox.protocol.Header;
import jambox.protocol.PacketType;
import jambox.protocol.PacketWriter;
import jambox.protocol.message.Hello;

/**
 * {@code ./jambox bench soak}: a room server, started as its launcher starts it, under a long UDP
 * fuzz, while its resident memory is read from {@code /proc/<pid>/status} every 30 s. Three real
 * members play (so forwarding runs) while random, mutated and badly tagged datagrams, HELLOs from
 * ever new source ports and tagged packets from strangers come from a pool of sockets that is
 * renewed as it goes. Passes when every reading after the first minute stays within 20 % of the
 * reading at one minute. Not part of CI: it takes as long as it is told to.
 *
 * <p>usage: {@code RoomSoak [--minutes N] [--rate PPS] -- COMMAND...} where COMMAND starts the
 * server (the soak adds {@code --room}, {@code --port} and {@code --status-port 0}).
 */
public final class RoomSoak {
    private static final String ROOM = "soak";
    private static final String SECRET = "soak secret";
    private static final int MEMBERS = 3;
    private static final int SOCKETS = 64;

    private RoomSoak() {
    }

    public static void main(String[] args) throws Exception {
        double minutes = 10;
        int rate = 5000;
        List<String> command = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> minutes = Double.parseDouble(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--" -> {
                    command.addAll(Arrays.asList(args).subList(i + 1, args.length));
                    i = args.length;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (command.isEmpty()) {
            throw new IllegalArgumentException("usage: RoomSoak [--minutes N] [--rate PPS] -- SERVER COMMAND...");
        }
        int port;
        try (DatagramSocket probe = new DatagramSocket(0)) {
            port = probe.getLocalPort();
        }
        command.addAll(List.of("--room", ROOM + ":" + SECRET + ":16", "--port", Integer.toString(port),
                "--status-port", "0"));
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        int code;
        try {
            code = soak(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), minutes, rate);
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        System.exit(code);
    }

    private static int soak(Process server, InetSocketAddress at, double minutes, int rate) throws Exception {
        List<SimulatedMember> members = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; i < MEMBERS; i++) {
            while (true) {
                SimulatedMember m = new SimulatedMember(i, 1, ROOM, SECRET, 64, at);
                try {
                    m.join();
                    members.add(m);
                    break;
                } catch (IOException e) {
                    m.channel.close();
                    if (System.nanoTime() > deadline || !server.isAlive()) {
                        throw new IOException("the server did not let member " + i + " join: " + e.getMessage(), e);
                    }
                    Thread.sleep(500); // still starting
                }
            }
        }
        long pid = server.pid();
        System.out.printf("soak: server pid %d on UDP %s, %d members, %d datagrams/s of fuzz for %.1f min%n", pid, at,
                MEMBERS, rate, minutes);
        Fuzzer fuzz = new Fuzzer(at, members, new Random(20261206));
        long start = System.nanoTime();
        long end = start + (long) (minutes * 60e9);
        long nextReading = start + TimeUnit.SECONDS.toNanos(30);
        long tick = TimeUnit.MILLISECONDS.toNanos(1);
        long next = start;
        double perTick = rate / 1000.0;
        double owed = 0;
        long audioEvery = 2; // each member plays 500 packets a second
        long ticks = 0;
        List<long[]> readings = new ArrayList<>();
        while (System.nanoTime() < end) {
            if (!server.isAlive()) {
                System.out.println("soak: the server exited with " + server.exitValue());
                return 1;
            }
            if (ticks++ % audioEvery == 0) {
                for (SimulatedMember m : members) {
                    m.send(System.nanoTime() / 1000, 64 * ticks);
                }
            }
            owed += perTick;
            for (; owed >= 1; owed--) {
                fuzz.one();
            }
            long now = System.nanoTime();
            if (now >= nextReading) {
                long rss = rssKb(pid);
                long s = Math.round((now - start) / 1e9);
                readings.add(new long[] {s, rss});
                System.out.printf(Locale.ROOT, "soak: %4d s  RSS %7.1f MB  %,d datagrams of fuzz%n", s, rss / 1024.0,
                        fuzz.sent);
                nextReading += TimeUnit.SECONDS.toNanos(30);
            }
            next += tick;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            } else if (wait < -TimeUnit.MILLISECONDS.toNanos(100)) {
                next = System.nanoTime(); // fell behind (a busy machine): do not try to catch up in a burst
            }
        }
        return verdict(readings);
    }

    private static int verdict(List<long[]> readings) {
        long[] base = null;
        for (long[] r : readings) {
            if (r[0] >= 60 && base == null) {
                base = r;
            }
        }
        if (base == null) {
            System.out.println("soak: too short for a verdict (the base is the reading at one minute)");
            return 0;
        }
        double worst = 0;
        for (long[] r : readings) {
            if (r[0] > base[0]) {
                worst = Math.max(worst, Math.abs(r[1] - base[1]) / (double) base[1]);
            }
        }
        System.out.printf(Locale.ROOT, "soak: RSS at %d s %.1f MB, last %.1f MB, furthest from it %.1f %% (limit 20 %%): %s%n",
                base[0], base[1] / 1024.0, readings.get(readings.size() - 1)[1] / 1024.0, worst * 100,
                worst <= 0.20 ? "PASS" : "FAIL");
        return worst <= 0.20 ? 0 : 1;
    }

    static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for process " + pid);
    }

    /** The bad traffic: from a pool of sockets renewed one at a time, and from the members' own. */
    private static final class Fuzzer {
        private final InetSocketAddress at;
        private final List<SimulatedMember> members;
        private final Random random;
        private final DatagramChannel[] pool = new DatagramChannel[SOCKETS];
        private final ByteBuffer out = ByteBuffer.allocateDirect(Header.MAX_PACKET + 64);
        private final ByteBuffer in = ByteBuffer.allocateDirect(Header.MAX_PACKET + 64);
        private final PacketWriter writer = new PacketWriter();
        private final byte[] buf = new byte[Header.MAX_PACKET + 64];
        long sent;

        Fuzzer(InetSocketAddress at, List<SimulatedMember> members, Random random) throws IOException {
            this.at = at;
            this.members = members;
            this.random = random;
            for (int i = 0; i < SOCKETS; i++) {
                pool[i] = open();
            }
        }

        private DatagramChannel open() throws IOException {
            DatagramChannel c = DatagramChannel.open();
            c.bind(new InetSocketAddress(at.getAddress(), 0));
            c.configureBlocking(false);
            return c;
        }

        void one() throws IOException {
            int k = random.nextInt(SOCKETS);
            if (random.nextInt(500) == 0) { // a new source port: the server meets ever new addresses
                pool[k].close();
                pool[k] = open();
            }
            DatagramChannel c = pool[k];
            in.clear();
            while (c.receive(in) != null) { // answers are read and thrown away
                in.clear();
            }
            int len;
            switch (random.nextInt(6)) {
                case 0 -> { // random bytes
                    len = random.nextInt(Header.MAX_PACKET + 1);
                    random.nextBytes(buf);
                    if (len >= 2 && random.nextBoolean()) {
                        buf[0] = 'J';
                        buf[1] = 'B';
                    }
                }
                case 1 -> { // a padded HELLO: the server answers with a CHALLENGE
                    byte[] nonce = new byte[16];
                    random.nextBytes(nonce);
                    new Hello(nonce).write(writer);
                    len = writer.finish(null);
                    System.arraycopy(writer.array(), 0, buf, 0, len);
                }
                case 2, 3 -> { // a member's packet, mutated, from the member's own address
                    SimulatedMember m = members.get(random.nextInt(members.size()));
                    len = m.session.audio(new float[2][64], 0, 0);
                    System.arraycopy(m.session.writer().array(), 0, buf, 0, len);
                    for (int j = random.nextInt(4); j >= 0; j--) {
                        buf[random.nextInt(len)] ^= (byte) (1 + random.nextInt(255));
                    }
                    send(m.channel, len);
                    return;
                }
                default -> { // a well-formed tagged packet from a stranger: REFUSE "not joined" if small enough
                    writer.begin(PacketType.PING);
                    writer.put32(random.nextInt());
                    writer.header.room = 1;
                    writer.header.member = 1 + random.nextInt(16);
                    len = writer.finish(new jambox.protocol.PacketKey(new byte[32]));
                    System.arraycopy(writer.array(), 0, buf, 0, len);
                    if (random.nextBoolean()) { // padded, so the refusal fits
                        Arrays.fill(buf, len, len + 40, (byte) 0);
                        len += 40;
                    }
                }
            }
            send(c, len);
        }

        private void send(DatagramChannel c, int len) throws IOException {
            out.clear();
            out.put(buf, 0, len).flip();
            c.send(out, at);
            sent++;
        }
    }
}
