package jambox.appliance.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jambox.appliance.audio.ImpulseProbe;
import jambox.appliance.audio.JackBackend;
import jambox.appliance.audio.JackConfig;
import jambox.appliance.audio.JackdProcess;
import jambox.appliance.audio.Signals;
import jambox.appliance.audio.SineProbe;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.board.PedalSpec;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.engine.Mixer;
import jambox.stream.JitterStats;
import jambox.appliance.stream.RoomMembers;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;
import jambox.room.RoomConfig;
import jambox.room.RoomServer;
import jambox.room.ServerConfig;

/**
 * The whole box (engine, boards, mixer, stream client, jitter buffers) on a real jackd with the
 * dummy driver, measured from outside by other JACK clients. The dummy driver is not realtime and
 * the VM is shared: timeouts are generous, levels and frequencies are what is asserted.
 */
class JackApplianceTest {
    private static final int RATE = 48_000;
    private static final int PERIOD = 64;
    private static final double HERTZ = 1000;
    /** -12 dBFS peak. */
    private static final float AMPLITUDE = (float) Math.pow(10, -12 / 20.0);
    private static final double SINE_RMS_DB = 20 * Math.log10(AMPLITUDE / Math.sqrt(2));
    private static final String SECRET = "jack appliance secret";
    private static final BoardSpec BOOST = new BoardSpec("boost",
            List.of(List.of(new PedalSpec("boost", false, Map.of("gain", 6.0))), List.of()));
    private static final BoardSpec EMPTY = new BoardSpec("empty", List.of(List.of(), List.of()));
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private static JackdProcess jackd;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void startJackd() throws Exception {
        jackd = JackdProcess.startedForTests();
    }

    @AfterAll
    static void stopJackd() {
        if (jackd != null) {
            jackd.close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
    }

    @Test
    void aSineThroughTheBoardAndTheSelfMonitorComesOutBoostedAndPannedLeft() throws Exception {
        Box a = box(BOOST, null);
        a.app.engine().mixer().self(0).setPan(-1);
        a.app.engine().mixer().self(1).setMute(true);
        SineProbe probe = sine();
        probe.wire(a.client);
        float[][] x = settledRecording(probe, "through the box");
        double left = Signals.rmsDb(x[0]) - SINE_RMS_DB;
        double right = Signals.rmsDb(x[1]);
        double f = Signals.frequency(x[0], RATE);
        System.out.printf("JackApplianceTest: board: left %+.3f dB re input, %.2f Hz; right %.1f dBFS%n", left, f, right);
        assertEquals(6.0, left, 0.3, "channel 1 boosted by 6 dB");
        assertEquals(HERTZ, f, HERTZ * 0.01, "frequency");
        assertTrue(right < -80, "hard left leaves the right output silent, channel 2 muted: " + right + " dBFS");
    }

    /**
     * JACK's own part of the path: the probe feeds A and B feeds the probe, and a JACK2 client runs
     * in a cycle once every client feeding it has finished in that cycle. So each cycle runs B, then
     * the probe, then A: the probe's impulse reaches A, and B's output reaches the probe, in the
     * same cycle. The graph adds 0 frames each way; only a feedback loop would cost a cycle. (The
     * latencies JACK reports for the probe's ports say 0 as well: no client here declares any.)
     *
     * <p>The rest: A sends each period's packet when its cycle ends; B, earlier in the cycle, pulls
     * it in the next one. The jitter buffer's depth runs from the play position to the end of the
     * newest packet, so a sample in that packet is played exactly the depth later, and B's safety
     * limiter's lookahead after that. When a packet
     * misses the next cycle (loopback plus thread wake-ups exceed what is left of the 1.33 ms), the
     * depth measured at that pull is a packet short of the path: up to a period more latency.
     */
    @ParameterizedTest(name = "periods of {0} frames, packets of {1}")
    @CsvSource({"32, 32", "64, 64", "128, 128", "32, 64", "128, 48"})
    void anImpulseFromAsInputReachesBsOutputAfterTheJitterBufferAndNothingMore(int period, int packet) throws Exception {
        // The box's own period on a jackd started at it, as jambox-jack does from audio.frames.
        JackdProcess server = jackd;
        if (period != PERIOD) {
            server = JackdProcess.startedForTests(period);
            open.add(server);
        }
        RoomServer room = room(0);
        int port = room.address().getPort();
        Box a = box(server, period, EMPTY, stream(port, "Ann", packet));
        Box b = box(server, period, EMPTY, stream(port, "Bob", packet));
        for (Box x : List.of(a, b)) {
            x.app.engine().mixer().self(0).setMute(true);
            x.app.engine().mixer().self(1).setMute(true);
        }
        assertEquals(period, a.app.backend().periodFrames());
        ImpulseProbe probe = new ImpulseProbe(server.name(), 12_011);
        open.add(probe);
        probe.wire(a.client, b.client);
        waitFor("both joined and B hearing A", 30, () -> statsFor(b, "Ann") != null);
        Thread.sleep(3000); // the buffer primes and settles
        probe.listen();
        List<Integer> depths = new ArrayList<>();
        long end = System.nanoTime() + 60_000_000_000L;
        while (probe.heard() < 30 && System.nanoTime() < end) {
            Thread.sleep(50);
            JitterStats s = statsFor(b, "Ann");
            if (s != null) {
                depths.add(s.depthFrames);
            }
        }
        List<Long> latencies = probe.latencies();
        assertTrue(latencies.size() >= 10, "impulses heard at B: " + latencies.size() + "\n" + b.app.status());
        List<Long> sorted = latencies.stream().sorted().toList();
        long median = sorted.get(sorted.size() / 2);
        // The median, as for the latencies: a few samples taken in a burst of packets after a late
        // one (a loaded machine) move an average, not a median.
        List<Integer> sortedDepths = depths.stream().sorted().toList();
        double depth = sortedDepths.get(sortedDepths.size() / 2);
        int graph = 0;
        int limiter = b.app.engine().limiter().latencySamples(); // B's safety limiter, on by default
        double expected = graph + depth + limiter;
        System.out.printf("JackApplianceTest: %d-frame periods, %d-frame packets: A -> B %d frames (%.2f ms) median of "
                        + "%d; expected %.1f = graph %d + jitter buffer depth %.1f (median; %d-%d; packetization %d + queue, target %d)"
                        + " + limiter %d; JACK reports %s; rtt %.2f ms; all %s%n", period, packet, median,
                median * 1000.0 / RATE, latencies.size(), expected, graph, depth, sortedDepths.get(0),
                sortedDepths.get(sortedDepths.size() - 1), packet,
                statsFor(b, "Ann").targetFrames, limiter, probe.reportedLatency(), b.app.stream().rttMicros() / 1000.0,
                latencies);
        System.out.println("JackApplianceTest: A: " + a.app.status());
        System.out.println("JackApplianceTest: B: " + b.app.status());
        // Up to a period for a packet that misses the next cycle (or, with packets longer than the
        // period, the depth's swing of a packet between arrivals), plus 32 frames for the rate
        // loop's smoothing of the depth figure, the resampler's interpolation of the impulse, and
        // the depth moving between its samples and the impulses. Measured at 64 frames over 20
        // passing runs: the median latency less the expected -2 to +35 frames; one CI run on a
        // loaded machine gave -25 (211 against 236, with the depth then an average of its
        // samples). At 32 frames the dummy driver's xruns here (1000-2700 a run) move the depth by
        // a packet too.
        int swing = Math.max(period, packet);
        int slack = 32;
        assertEquals(expected + swing / 2.0, median, swing / 2.0 + slack,
                "latency = graph + jitter buffer depth + limiter (+ a period or a packet)");
    }

    @Test
    void jackdKilledAndBackFindsTheBoxPlayingWithItsBoardMixAndRoom() throws Exception {
        RoomServer server = room(0);
        Box a = box(BOOST, stream(server.address().getPort(), "Ann"));
        Mixer mixer = a.app.engine().mixer();
        mixer.self(0).setPan(-1);
        mixer.self(1).setMute(true);
        mixer.member(4, 1).setGainDb(-7);
        mixer.setMasterDb(-1);
        waitFor("joined", 30, a.app.stream()::joined);
        int member = a.app.stream().memberId();
        try (SineProbe probe = sine()) {
            probe.wire(a.client);
            settledRecording(probe, "before jackd is killed");
        }
        jackd.kill();
        waitFor("the box to notice jackd is gone", 20, () -> !a.app.backend().running());
        Thread.sleep(500); // away for a moment, as a crash and a systemd restart would be
        jackd.start();
        long back = System.nanoTime();
        SineProbe probe = sine();
        waitFor("the box's ports on the new server", 20, () -> {
            try {
                probe.wire(a.client);
                return true;
            } catch (Exception notYet) {
                return false;
            }
        });
        double expectedDb = SINE_RMS_DB + 6 - 1;
        float[][] chunk;
        do {
            chunk = probe.record(RATE / 20, 30);
            assertNotNull(chunk, "no periods from the new server");
            assertTrue(System.nanoTime() - back < 20_000_000_000L, "no sine at the box's output 20 s after jackd came back");
        } while (Math.abs(Signals.rmsDb(chunk[0]) - expectedDb) > 1);
        double seconds = (System.nanoTime() - back) / 1e9;
        float[][] x = settledRecording(probe, "after jackd came back");
        double left = Signals.rmsDb(x[0]) - SINE_RMS_DB;
        System.out.printf("JackApplianceTest: sine at the output %.2f s after jackd accepted clients; left %+.3f dB re "
                        + "input, %.2f Hz; joins %d, member %d -> %d; %s%n", seconds, left, Signals.frequency(x[0], RATE),
                a.app.stream().joins(), member, a.app.stream().memberId(), a.app.status());
        assertTrue(seconds < 3, "audio flowed again only after " + seconds + " s");
        assertEquals(5.0, left, 0.3, "the board's +6 dB and the master's -1 dB still apply");
        assertEquals(HERTZ, Signals.frequency(x[0], RATE), HERTZ * 0.01);
        assertTrue(Signals.rmsDb(x[1]) < -80, "channel 1 still hard left, channel 2 still muted");
        assertEquals(BOOST, a.app.engine().board());
        assertEquals(-1, mixer.self(0).pan());
        assertTrue(mixer.self(1).mute());
        assertEquals(-7, mixer.member(4, 1).gainDb());
        assertEquals(-1, mixer.masterDb());
        // The stream client never depended on the audio: its pings kept the session alive throughout.
        assertTrue(a.app.stream().joined());
        assertEquals(1, a.app.stream().joins(), "the same session, not a rejoin");
        assertEquals(member, a.app.stream().memberId());
    }

    @Test
    void aRestartedRoomServerIsRejoinedAndAudioFlowsAgain() throws Exception {
        RoomServer first = RoomServer.start(ServerConfig.defaults().withPort(0).withStatusPort(0),
                List.of(new RoomConfig("jam", SECRET, 16)));
        int port = first.address().getPort();
        Box a = box(EMPTY, stream(port, "Ann"));
        Box b = box(EMPTY, stream(port, "Bob"));
        for (Box x : List.of(a, b)) {
            x.app.engine().mixer().self(0).setMute(true);
            x.app.engine().mixer().self(1).setMute(true);
        }
        SineProbe probe = sine();
        probe.wire(a.client, b.client);
        // A's two channels both carry the sine; B mixes each at centre pan (-3 dB a side): +3 dB in all.
        double expectedDb = SINE_RMS_DB + 3;
        awaitSine(probe, expectedDb, "A -> B before the restart");
        first.close();
        long down = System.nanoTime();
        waitFor("both boxes to notice the server is gone", 30,
                () -> !a.app.stream().joined() && !b.app.stream().joined());
        RoomServer second = room(port);
        long up = System.nanoTime();
        waitFor("both boxes to join the new server", 30,
                () -> a.app.stream().joins() >= 2 && b.app.stream().joins() >= 2);
        double joined = (System.nanoTime() - up) / 1e9;
        float[][] x = awaitSine(probe, expectedDb, "A -> B after the restart");
        System.out.printf("JackApplianceTest: server down %.2f s; both rejoined %.2f s after the restart, sine at B "
                        + "%.2f s after it (%+.2f dB re input, %.2f Hz); A joins %d, B joins %d%n",
                (up - down) / 1e9, joined, (System.nanoTime() - up) / 1e9, Signals.rmsDb(x[0]) - SINE_RMS_DB,
                Signals.frequency(x[0], RATE), a.app.stream().joins(), b.app.stream().joins());
        assertTrue(second.address().getPort() == port);
    }

    private record Box(Appliance app, String client) {
    }

    private Box box(BoardSpec board, StreamConfig room) throws Exception {
        return box(jackd, PERIOD, board, room);
    }

    /** A box on {@code server} whose config says {@code frames} (audio.frames), as jackd was started with. */
    private Box box(JackdProcess server, int frames, BoardSpec board, StreamConfig room) throws Exception {
        String client = "jambox-" + CLIENTS.incrementAndGet();
        JackBackend backend = new JackBackend(new JackConfig(client, server.name(), List.of(), List.of()));
        ApplianceConfig.Audio d = ApplianceConfig.Audio.DEFAULT;
        ApplianceConfig.Audio audio = new ApplianceConfig.Audio(d.backend(), server.name(), client, List.of(), List.of(),
                d.input(), RATE, frames, null, 2);
        // A fixed depth: these tests are about the path, not how the depth adapts (JitterBufferTest).
        ApplianceConfig config = new ApplianceConfig(audio, null, room, new ApplianceConfig.Jitter(false, 4));
        Appliance app = Appliance.start(config, board, backend);
        open.add(app);
        return new Box(app, client);
    }

    private RoomServer room(int port) throws Exception {
        RoomServer server = RoomServer.start(ServerConfig.defaults().withPort(port).withStatusPort(0),
                List.of(new RoomConfig("jam", SECRET, 16)));
        open.add(server);
        return server;
    }

    private static StreamConfig stream(int port, String name) {
        return stream(port, name, PERIOD);
    }

    private static StreamConfig stream(int port, String name, int packet) {
        return new StreamConfig("127.0.0.1", port, "jam", SECRET, name, List.of("guitar", "voice"), Codec.PCM16, packet);
    }

    private SineProbe sine() throws Exception {
        SineProbe probe = new SineProbe(jackd.name(), HERTZ, AMPLITUDE);
        open.add(probe);
        return probe;
    }

    private static JitterStats statsFor(Box box, String name) {
        return box.app.members().members().stream().filter(m -> m.name().equals(name)).findFirst()
                .map(RoomMembers.Member::stats).orElse(null);
    }

    /** A second of output after half a second for gains and buffers to settle. */
    private static float[][] settledRecording(SineProbe probe, String when) throws InterruptedException {
        assertNotNull(probe.record(RATE / 2, 30), "no audio arrived " + when);
        float[][] x = probe.record(RATE, 30);
        assertNotNull(x, "no audio arrived " + when);
        return x;
    }

    /** Records half-second pieces until one holds the sine at the expected level; gives up after 30 s. */
    private static float[][] awaitSine(SineProbe probe, double expectedDb, String what) throws InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < end) {
            float[][] x = probe.record(RATE / 2, 30);
            assertNotNull(x, "no periods while waiting for " + what);
            if (Math.abs(Signals.rmsDb(x[0]) - expectedDb) < 2
                    && Math.abs(Signals.frequency(x[0], RATE) - HERTZ) < HERTZ * 0.01) {
                return x;
            }
        }
        throw new AssertionError("no sine for " + what);
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
