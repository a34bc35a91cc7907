package jambox.appliance.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.junit.jupiter.api.Assumptions;

import jambox.protocol.Codec;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketWriter;
import jambox.protocol.Pcm;
import jambox.protocol.message.Refuse;
import jambox.protocol.message.Roster;
import jambox.room.RoomConfig;
import jambox.room.RoomServer;
import jambox.room.ServerConfig;
import jambox.room.testnet.PrivateNet;
import jambox.room.testnet.RawUdp;

/** Two boxes' stream clients in a real room server on loopback: join, audio both ways, RTT, restart. */
class StreamClientTest {
    private static final String SECRET = "stream test secret";
    private final List<AutoCloseable> open = new ArrayList<>();

    /** What one box received: every AUDIO packet decoded, with its sender and position. */
    static final class Received implements Downlink {
        record Packet(int member, long position, float[][] audio) {
        }

        final ConcurrentLinkedQueue<Packet> packets = new ConcurrentLinkedQueue<>();
        volatile int rosterEntries;
        volatile int resets;

        @Override
        public void audio(PacketReader r, long arrivalNanos) {
            float[][] a = new float[r.header.channels][r.header.frames];
            Pcm.decode(r.header.codec, r.array(), r.bodyOffset(), r.header.channels, r.header.frames, a);
            packets.add(new Packet(r.header.member, r.header.samplePosition, a));
        }

        @Override
        public void roster(Roster roster) {
            rosterEntries = roster.entries().size();
        }

        @Override
        public void reset() {
            resets++;
        }
    }

    private RoomServer server(int port) throws Exception {
        RoomServer s = RoomServer.start(ServerConfig.defaults().withPort(port).withStatusPort(0),
                List.of(new RoomConfig("jam", SECRET, 16)));
        open.add(s);
        return s;
    }

    private StreamClient client(int port, String name, String secret, Packetizer up, Downlink down) throws Exception {
        StreamClient c = new StreamClient(new StreamConfig("127.0.0.1", port, "jam", secret, name,
                List.of("guitar", "voice"), Codec.PCM16, up.frames()), up, down);
        open.add(c);
        c.start();
        return c;
    }

    private static void await(String what, long millis, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("within " + millis + " ms: " + what);
            }
            Thread.sleep(10);
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** A ramp that never repeats within the test, so every sample says where it came from. */
    private static float sample(long position, int channel) {
        return ((position * 7 + channel * 3) % 20_000 - 10_000) / 32_767f; // PCM16 full scale is 32767
    }

    /**
     * The stream's network threads, read from the kernel: SCHED_FIFO at {@link NetworkPriority#PRIORITY}
     * where this process may use it (root here), normal scheduling where it may not; the client
     * joins either way.
     */
    @Test
    void theNetworkThreadsRunUnderSchedFifoWhereAllowed() throws Exception {
        int port = server(0).address().getPort();
        StreamClient a = client(port, "Ann", SECRET, new Packetizer(2, 64), new Received());
        await("joined", 10_000, a::joined);
        boolean allowed = jambox.appliance.audio.JackdProcess.realtimeAllowed();
        List<String> seen = new ArrayList<>();
        try (java.util.stream.Stream<java.nio.file.Path> tasks = java.nio.file.Files.list(
                java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path task : tasks.toList()) {
                String comm;
                String stat;
                try {
                    comm = java.nio.file.Files.readString(task.resolve("comm")).strip();
                    stat = java.nio.file.Files.readString(task.resolve("stat"));
                } catch (java.io.IOException gone) {
                    continue; // a thread that ended while we looked
                }
                if (!comm.equals("stream-send") && !comm.equals("stream-receive")) {
                    continue;
                }
                // Fields after the name in parentheses start at field 3; rt_priority is 40, policy 41.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                int rtPriority = Integer.parseInt(f[40 - 3]);
                int policy = Integer.parseInt(f[41 - 3]);
                seen.add(comm + " policy " + policy + " priority " + rtPriority);
                assertEquals(allowed ? 1 : 0, policy, comm + ": SCHED_FIFO is 1, SCHED_OTHER 0");
                assertEquals(allowed ? NetworkPriority.PRIORITY : 0, rtPriority, comm);
            }
        }
        assertTrue(seen.stream().anyMatch(x -> x.startsWith("stream-send "))
                && seen.stream().anyMatch(x -> x.startsWith("stream-receive ")), "threads seen: " + seen);
    }

    @ParameterizedTest(name = "packets of {0} frames")
    @ValueSource(ints = {32, 64, 128})
    void audioInPeriodsOf48FramesArrivesAsContinuousPacketsAtTheOtherBox(int frames) throws Exception {
        int port = server(0).address().getPort();
        Packetizer aUp = new Packetizer(2, frames);
        Received bDown = new Received();
        StreamClient a = client(port, "Ann", SECRET, aUp, new Received());
        StreamClient b = client(port, "Bob", SECRET, new Packetizer(2, frames), bDown);
        await("both joined", 10_000, () -> a.joined() && b.joined());
        await("the roster names both", 10_000, () -> bDown.rosterEntries == 2);
        float[][] period = new float[2][48];
        long position = 0;
        for (int k = 0; k < 200 * frames / 64; k++) {
            for (int i = 0; i < 48; i++) {
                period[0][i] = sample(position + i, 0);
                period[1][i] = sample(position + i, 1);
            }
            aUp.send(period, 48);
            position += 48;
            Thread.sleep(1);
        }
        await("150 packets at Bob", 10_000, () -> bDown.packets.size() >= 150);
        int checked = 0;
        long last = -frames;
        for (Received.Packet p : bDown.packets) {
            assertEquals(a.memberId(), p.member());
            assertEquals(frames, p.audio()[0].length, "frames in the packet on the wire");
            assertEquals(last + frames, p.position(), "continuous: each packet starts where the last ended");
            last = p.position();
            for (int i = 0; i < frames; i++) {
                assertEquals(sample(p.position() + i, 0), p.audio()[0][i], 0f, "PCM16 of an exact 16-bit value");
                assertEquals(sample(p.position() + i, 1), p.audio()[1][i], 0f);
            }
            checked++;
        }
        assertEquals(150, checked);
        assertEquals(0, aUp.dropped());
        await("a round-trip time", 5_000, () -> a.rttMicros() > 0);
        System.out.println("stream: rtt " + a.rttMicros() + " us, " + a.state());
    }

    @Test
    void bothBoxesJoinAgainByThemselvesWhenTheServerRestarts() throws Exception {
        RoomServer first = server(0);
        int port = first.address().getPort();
        Packetizer aUp = new Packetizer(2, 64);
        Received bDown = new Received();
        StreamClient a = client(port, "Ann", SECRET, aUp, new Received());
        StreamClient b = client(port, "Bob", SECRET, new Packetizer(2, 64), bDown);
        await("both joined", 10_000, () -> a.joined() && b.joined());
        first.close();
        server(port);
        long restarted = System.nanoTime();
        await("both joined again", 15_000, () -> a.joins() == 2 && b.joins() == 2 && a.joined() && b.joined());
        System.out.printf("stream: both back %.0f ms after the server restarted%n", (System.nanoTime() - restarted) / 1e6);
        assertTrue(bDown.resets >= 1, "Bob forgot the old session's members");
        bDown.packets.clear();
        float[][] period = new float[2][64];
        period[0][5] = 0.5f;
        for (int k = 0; k < 20; k++) {
            aUp.send(period, 64);
            Thread.sleep(2);
        }
        await("audio flows again", 10_000, () -> !bDown.packets.isEmpty());
        assertEquals(a.memberId(), bDown.packets.peek().member());
        assertEquals(0.5f, bDown.packets.peek().audio()[0][5], 1 / 32767f);
    }

    /**
     * REFUSE carries no tag: anyone who knows a box's address and its server's can forge one. Sent
     * through a raw socket in a private network namespace (so the forgery stays there), 50 of them
     * must not cost the playing box a packet; a real refusal (the server restarted) still rejoins.
     */
    @Test
    void forgedRefusalsDoNotInterruptAPlayingBoxButARealOneStillRejoins() throws Exception {
        String why = PrivateNet.unavailable();
        Assumptions.assumeTrue(why == null, () -> "skipped: " + why);
        try (PrivateNet net = PrivateNet.create("jbrefuse")) {
            net.run(() -> {
                forgedRefusals();
                return null;
            });
        }
    }

    private void forgedRefusals() throws Exception {
        RoomServer first = server(0);
        int port = first.address().getPort();
        Packetizer aUp = new Packetizer(2, 64);
        Received bDown = new Received();
        StreamClient a = client(port, "Ann", SECRET, aUp, new Received());
        StreamClient b = client(port, "Bob", SECRET, new Packetizer(2, 64), bDown);
        await("both joined", 10_000, () -> a.joined() && b.joined());
        await("the roster names both", 10_000, () -> bDown.rosterEntries == 2);
        int annId = a.memberId();
        PacketWriter w = new PacketWriter();
        new Refuse(Refuse.Reason.NOT_JOINED, "not a member of this room (the server may have restarted): join again")
                .write(w);
        int n = w.finish(null);
        byte[] refuse = java.util.Arrays.copyOf(w.array(), n);
        InetSocketAddress serverAt = new InetSocketAddress("127.0.0.1", port);
        InetSocketAddress annAt = new InetSocketAddress("127.0.0.1", ((InetSocketAddress) a.localAddress()).getPort());
        Thread forger = new Thread(() -> {
            try (RawUdp raw = new RawUdp()) {
                for (int i = 0; i < 50; i++) {
                    raw.send(serverAt, annAt, refuse, n);
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "forger");
        forger.start();
        float[][] period = new float[2][64];
        long position = 0;
        int sent = 0;
        while (forger.isAlive() || sent < 600) {
            period[0][0] = sent / 32_767f;
            aUp.send(period, 64);
            position += 64;
            sent++;
            Thread.sleep(2);
        }
        int total = sent;
        await("Bob has all " + total + " of Ann's packets", 10_000,
                () -> bDown.packets.stream().filter(p -> p.member() == annId).count() >= total);
        TreeSet<Long> positions = new TreeSet<>();
        bDown.packets.forEach(p -> positions.add(p.position()));
        System.out.printf("forged refusals: Ann sent %d, Bob got %d (%d distinct positions), joins %d, "
                + "refusals disproved %d, rtt %d us%n", total, bDown.packets.size(), positions.size(), a.joins(),
                a.refusalsDisproved(), a.rttMicros());
        assertEquals(1, a.joins(), "Ann kept her session: " + a.state());
        assertEquals(annId, a.memberId());
        assertEquals(total, positions.size(), "every period arrived once");
        assertEquals(position - 64, positions.last() - positions.first(), "no gap");
        assertTrue(a.refusalsDisproved() >= 1, "the server's PONGs disproved the refusals");

        first.close(); // a real refusal: the restarted server no longer knows anyone
        server(port);
        long restarted = System.nanoTime();
        for (int k = 0; k < 50; k++) {
            aUp.send(period, 64); // keeps Ann sending, so the new server refuses her at once
            Thread.sleep(2);
        }
        await("Ann joined again", 15_000, () -> a.joins() == 2 && a.joined());
        System.out.printf("forged refusals: Ann back %.0f ms after the restart%n", (System.nanoTime() - restarted) / 1e6);
    }

    @Test
    void aWrongSecretIsRefusedAndSaysSo() throws Exception {
        int port = server(0).address().getPort();
        StreamClient c = client(port, "Eve", "not the secret", new Packetizer(2, 64), new Received());
        await("refused", 10_000, () -> c.state().startsWith("refused"));
        assertTrue(c.state().contains("WRONG_SECRET"), c.state());
        assertTrue(!c.joined());
    }
}
