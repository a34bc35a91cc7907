package jambox.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jambox.protocol.Codec;

/**
 * Ten simulated minutes between two boxes whose clocks differ by 200 ppm, either way, over a
 * network with a couple of milliseconds of jitter. Simulated time only: the run is decided by the
 * seed, not by the machine it runs on.
 */
class JitterBufferDriftTest {
    private static final int FRAMES = 64;
    private static final int PERIODS = 450_000;
    /** The first second is priming; from then on everything counts. */
    private static final int WARM_UP = 750;
    /** By half a minute the loop has settled on the clock difference. */
    private static final int SETTLED = 30 * 750;
    private static final double HZ = 440;
    private static final double PERIOD_SECONDS = (double) FRAMES / JitterBuffer.SAMPLE_RATE;

    @ParameterizedTest(name = "sender clock {0} ppm")
    @ValueSource(ints = {200, -200})
    void tenMinutesWithoutUnderrunOrOverrunAtTargetDepth(int ppm) {
        Sender sender = new Sender(Codec.FLOAT32, 1, FRAMES, 0xFFFF_FF00, 5_000_000L, Sender.sine(HZ));
        long[] arrivals = arrivals(ppm, new SplittableRandom(20261123L + ppm));
        JitterBuffer buffer = new JitterBuffer(1);
        // The depth the automatic policy held here before it learnt to start low (5 packets): this
        // test is about the clocks, at a depth that never moves and never underruns. How the
        // automatic depth finds its level on this very link is JitterBufferAutoDepthTest's.
        buffer.setDepthMode(DepthMode.MANUAL);
        buffer.setManualDepth(5);
        JitterStats stats = new JitterStats();
        float[][] out = new float[2][FRAMES];

        double worstCurvature = 0;
        double worstDeviation = 0;
        double worstSettledDeviation = 0;
        int minTarget = Integer.MAX_VALUE;
        int maxTarget = 0;
        long crossings = 0;
        double firstCrossing = 0;
        double lastCrossing = 0;
        float before = 0;
        float previous = 0;
        int a = 0;
        for (int period = 0; period < PERIODS; period++) {
            long now = Math.round(period * PERIOD_SECONDS * 1e9);
            while (a < arrivals.length && arrivals[a] >>> 20 <= now) {
                sender.make(arrivals[a] & 0xFFFFF).offerTo(buffer, arrivals[a] >>> 20);
                a++;
            }
            buffer.pull(out, FRAMES);
            if (period < WARM_UP) {
                before = out[0][FRAMES - 2];
                previous = out[0][FRAMES - 1];
                continue;
            }
            buffer.stats(stats);
            int deviation = Math.abs(stats.depthFrames - stats.targetFrames);
            worstDeviation = Math.max(worstDeviation, deviation);
            if (period >= SETTLED) {
                worstSettledDeviation = Math.max(worstSettledDeviation, deviation);
            }
            minTarget = Math.min(minTarget, stats.targetFrames);
            maxTarget = Math.max(maxTarget, stats.targetFrames);
            for (int i = 0; i < FRAMES; i++) {
                float y = out[0][i];
                worstCurvature = Math.max(worstCurvature, Math.abs(y - 2 * previous + before));
                if (previous < 0 && y >= 0) {
                    double t = (double) period * FRAMES + i - 1 + previous / (previous - y);
                    if (crossings++ == 0) {
                        firstCrossing = t;
                    }
                    lastCrossing = t;
                }
                before = previous;
                previous = y;
            }
        }
        buffer.stats(stats);

        double hz = (crossings - 1) / ((lastCrossing - firstCrossing) / JitterBuffer.SAMPLE_RATE);
        double expectedHz = HZ * (1 + ppm * 1e-6);
        double omega = 2 * Math.PI * HZ / JitterBuffer.SAMPLE_RATE;
        double sineCurvature = 0.5 * omega * omega;
        System.out.printf(Locale.ROOT, "drift %+d ppm: %s%n  after %d s: depth within %.0f frames of target"
                        + " (within %.0f after %d s; target %d..%d), output %.5f Hz (expected %.5f, error %.2f ppm),"
                        + " max |second difference| %.6f (a clean sine: %.6f)%n",
                ppm, stats, WARM_UP / 750, worstDeviation, worstSettledDeviation, SETTLED / 750, minTarget,
                maxTarget, hz, expectedHz,
                (hz / expectedHz - 1) * 1e6, worstCurvature, sineCurvature);

        assertEquals(0, stats.concealed, "underruns (packets missing when due)");
        assertEquals(0, stats.overruns, "overruns");
        assertEquals(0, stats.late, "late packets");
        assertEquals(0, stats.restarts, "restarts");
        assertTrue(worstDeviation <= FRAMES, "depth strayed " + worstDeviation + " frames from its target");
        assertTrue(worstSettledDeviation <= FRAMES / 2, "settled depth strayed " + worstSettledDeviation + " frames");
        assertTrue(maxTarget - minTarget <= FRAMES, "target moved " + minTarget + ".." + maxTarget);
        assertEquals(ppm, stats.driftPpm, 10, "drift estimate");
        assertEquals(expectedHz, hz, expectedHz * 5e-6, "output frequency");
        assertTrue(worstCurvature < 1.2 * sineCurvature, "discontinuity: second difference " + worstCurvature);
    }

    /**
     * Arrival times of enough packets for the run, as (nanoseconds << 20 | packet number), in
     * arrival order: sent at the sender's rate, 5 ms of network delay plus |N(0, 0.8 ms)| of
     * jitter, at most 3 ms, so packets overtake one another now and then.
     */
    private static long[] arrivals(int ppm, SplittableRandom random) {
        int packets = (int) (PERIODS * (1 + ppm * 1e-6)) + 100;
        long[] arrivals = new long[packets];
        double interval = PERIOD_SECONDS / (1 + ppm * 1e-6);
        for (int n = 0; n < packets; n++) {
            double jitter = Math.min(3e-3, Math.abs(gaussian(random)) * 0.8e-3);
            long nanos = Math.round((n * interval + 5e-3 + jitter) * 1e9);
            arrivals[n] = nanos << 20 | n;
        }
        Arrays.sort(arrivals);
        return arrivals;
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
