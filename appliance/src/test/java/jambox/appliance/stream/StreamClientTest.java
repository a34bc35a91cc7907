package jambox.appliance.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import jambox.protocol.Codec;
import jambox.protocol.PacketReader;
import jambox.protocol.Pcm;
import jambox.protocol.message.Roster;
import jambox.room.RoomConfig;
import jambox.room.RoomServer;
import jambox.room.ServerConfig;

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
                List.of("guitar", "voice"), Codec.PCM16, 64), up, down);
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

    @Test
    void audioInPeriodsOf48FramesArrivesAsContinuous64FramePacketsAtTheOtherBox() throws Exception {
        int port = server(0).address().getPort();
        Packetizer aUp = new Packetizer(2, 64);
        Received bDown = new Received();
        StreamClient a = client(port, "Ann", SECRET, aUp, new Received());
        StreamClient b = client(port, "Bob", SECRET, new Packetizer(2, 64), bDown);
        await("both joined", 10_000, () -> a.joined() && b.joined());
        await("the roster names both", 10_000, () -> bDown.rosterEntries == 2);
        float[][] period = new float[2][48];
        long position = 0;
        for (int k = 0; k < 200; k++) {
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
        for (Received.Packet p : bDown.packets) {
            assertEquals(a.memberId(), p.member());
            for (int i = 0; i < 64; i++) {
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

    @Test
    void aWrongSecretIsRefusedAndSaysSo() throws Exception {
        int port = server(0).address().getPort();
        StreamClient c = client(port, "Eve", "not the secret", new Packetizer(2, 64), new Received());
        await("refused", 10_000, () -> c.state().startsWith("refused"));
        assertTrue(c.state().contains("WRONG_SECRET"), c.state());
        assertTrue(!c.joined());
    }
}
