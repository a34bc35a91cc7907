package jambox.appliance.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import jambox.appliance.app.Appliance;
import jambox.appliance.audio.SimulatedBackend;
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
 * Redundancy against real loss: box A reaches the room server through the relay that stands in for
 * netem in {@code NetemTest} (5 ms +- 5 ms, 5 % of datagrams lost, both ways), box B directly, so
 * what B hears of A has lost about 5 % of its packets on the way up. The relay counts the AUDIO
 * datagrams it dropped; B's jitter buffer counts the packets it filled from copies. With each
 * packet carrying the one before it, at least 90 % of the lost must come back (a loss is beyond
 * reach only when the next packet is lost too, about 5 %); without copies, none.
 *
 * <p>The relay also weighs what A sends: the uplink of stereo PCM16 at 64 frames for each
 * redundancy, written into docs/benchmarks.md ("Bandwidth per member").
 *
 * <p>Real UDP, a real room server and relay, the boxes' real stream clients and buffers; the
 * audio backends are the simulated ones (paced in real time), as in {@code RoomMidiLossTest}.
 */
class RedundancyLossTest {
    private static final String SECRET = "redundancy loss secret";
    private static final BoardSpec EMPTY = new BoardSpec("empty", List.of(List.of(), List.of()));
    private static final int RATE = 48_000;
    private static final int MEASURE_SECONDS = 12;
    /** IPv4 (20 bytes, no options) and UDP (8) around each datagram. */
    private static final int UDP_IP_HEADERS = 28;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        closeOpen();
    }

    private void closeOpen() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
    }

    /** One run's figures. */
    private record Run(int redundancy, long lost, long recovered, long concealed, long late, long packets,
                       double seconds, double bytesPerPacket) {
        double recoveredPercent() {
            return lost == 0 ? 0 : 100.0 * recovered / lost;
        }

        double packetsPerSecond() {
            return packets / seconds;
        }

        double mbitPerSecond(int overhead) {
            return packetsPerSecond() * (bytesPerPacket + overhead) * 8 / 1e6;
        }
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void redundancyOneRecoversAtLeastNinetyPercentOfFivePercentLossAndNoneWithout() throws Exception {
        List<Run> runs = new ArrayList<>();
        for (int redundancy : new int[] {0, 1, 2}) {
            runs.add(run(redundancy, 40 + redundancy));
            closeOpen();
        }
        System.out.println("RedundancyLossTest: A -> relay (5 ms +- 5 ms, 5 % loss) -> server -> B, "
                + MEASURE_SECONDS + " s each, stereo PCM16, 64 frames");
        System.out.println("| redundancy | recovered of lost | B concealed | B late | A's AUDIO datagrams/s | bytes each"
                + " (UDP payload) | Mbit/s payload | Mbit/s with UDP/IPv4 headers |");
        for (Run r : runs) {
            System.out.printf(Locale.ROOT, "| %d | %d of %d (%.1f %%) | %d | %d | %.1f | %.0f | %.3f | %.3f |%n",
                    r.redundancy(), r.recovered(), r.lost(), r.recoveredPercent(), r.concealed(), r.late(),
                    r.packetsPerSecond(), r.bytesPerPacket(), r.mbitPerSecond(0), r.mbitPerSecond(UDP_IP_HEADERS));
        }
        Run none = runs.get(0);
        Run one = runs.get(1);
        Run two = runs.get(2);
        for (Run r : runs) {
            assertTrue(r.lost() > 100, "the relay dropped too few of A's packets to tell: " + r);
        }
        assertEquals(0, none.recovered(), "nothing to recover from without copies: " + none);
        assertTrue(one.recovered() >= 0.9 * one.lost(), "redundancy 1: " + one);
        assertTrue(two.recovered() >= 0.9 * two.lost(), "redundancy 2: " + two);
        // The sizes follow from the layout: 44 + 256 x (1 + copies) + 8 bytes.
        assertEquals(308, none.bytesPerPacket(), 0.5);
        assertEquals(564, one.bytesPerPacket(), 0.5);
        assertEquals(820, two.bytesPerPacket(), 0.5);
    }

    private Run run(int redundancy, long seed) throws Exception {
        // A server timeout longer than the default second: a loaded machine stalls the relay's
        // threads now and then, and a rejoin is not what this test is about.
        RoomServer room = RoomServer.start(ServerConfig.defaults().withPort(0).withStatusPort(0)
                .withTimeoutMillis(3000), List.of(new RoomConfig("jam", SECRET, 16)));
        open.add(room);
        int serverPort = room.address().getPort();
        ImpairingRelay relay = new ImpairingRelay(new InetSocketAddress("127.0.0.1", 0),
                new InetSocketAddress("127.0.0.1", serverPort), 5, 5, 0.05, seed);
        open.add(relay);
        Appliance a = box(relay.port(), "Ann", redundancy);
        Appliance b = box(serverPort, "Bob", 0);
        waitFor("B hearing A", 30, () -> ann(b) != null && ann(b).depthFrames > 0);
        Thread.sleep(3000); // the depth settles on what the link needs
        JitterStats before = ann(b);
        long droppedBefore = relay.audioUpDropped.get();
        long packetsBefore = relay.audioUpPackets.get();
        long bytesBefore = relay.audioUpBytes.get();
        long t0 = System.nanoTime();
        Thread.sleep(MEASURE_SECONDS * 1000L);
        JitterStats after = ann(b);
        long lost = relay.audioUpDropped.get() - droppedBefore;
        long packets = relay.audioUpPackets.get() - packetsBefore;
        long bytes = relay.audioUpBytes.get() - bytesBefore;
        double seconds = (System.nanoTime() - t0) / 1e9;
        Run r = new Run(redundancy, lost, after.recovered - before.recovered, after.concealed - before.concealed,
                after.late - before.late, packets, seconds, packets == 0 ? 0 : (double) bytes / packets);
        System.out.println("RedundancyLossTest: redundancy " + redundancy + ": B hears Ann: " + after);
        System.out.println("RedundancyLossTest: redundancy " + redundancy + ": A: " + a.status() + " | joins "
                + a.stream().joins());
        assertEquals(1, a.stream().joins(), "A stayed in the room throughout");
        return r;
    }

    /** What B's buffer for Ann says now, or null before B has heard her. */
    private static JitterStats ann(Appliance b) {
        for (RoomMembers.Member m : b.members().members()) {
            if (m.name().equals("Ann") && m.stats() != null) {
                return m.stats();
            }
        }
        return null;
    }

    private Appliance box(int port, String name, int redundancy) throws Exception {
        SimulatedBackend backend = new SimulatedBackend(RATE, 64, true, Long.MAX_VALUE, null, null);
        StreamConfig room = new StreamConfig("127.0.0.1", port, "jam", SECRET, name, List.of("guitar", "voice"),
                Codec.PCM16, 64, jambox.protocol.Opus.DEFAULT_BITRATE, redundancy);
        Appliance app = Appliance.start(new ApplianceConfig(ApplianceConfig.Audio.DEFAULT, null, room,
                ApplianceConfig.Jitter.DEFAULT), EMPTY, backend);
        open.add(app);
        return app;
    }

    private static void waitFor(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
