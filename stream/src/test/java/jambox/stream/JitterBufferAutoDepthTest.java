package jambox.stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jambox.protocol.Codec;

/**
 * The automatic depth against the truth, in simulated time: for a link (packets of 64 frames sent
 * at the sender's rate, each delayed by a seeded random jitter) the smallest manual depth whose
 * concealment stays under 0.5 % is found by trying them all; the automatic depth, started fresh
 * on the same link, must target within one packet of it within 5 s of the first packet and stay
 * there, hold its depth within a packet and a half of that target, and conceal under 0.5 % from then on.
 */
class JitterBufferAutoDepthTest {
    private static final int FRAMES = 64;
    private static final int PER_SECOND = JitterBuffer.SAMPLE_RATE / FRAMES;
    private static final int SECONDS = 40;
    private static final int CONVERGE_SECONDS = 5;
    private static final double MAX_CONCEALED = 0.005;
    /** From here on the target must hold still (two changes at most: a rare rough moment and back). */
    private static final int STEADY_FROM_SECONDS = 20;

    /** A link: the extra delay of packet {@code n} in seconds. */
    interface Link {
        double jitter(long n, SplittableRandom random);
    }

    @ParameterizedTest(name = "{0}, periods of {3}")
    @CsvSource({
        "loopback (0..0.1 ms), 0, 0.0001, 64",
        "half-normal 0.8 ms (at most 3 ms), 1, 0.0008, 64",
        "uniform 0..10 ms, 2, 0.010, 64",
        "uniform 0..10 ms, 2, 0.010, 128",
        "uniform 0..4 ms, 2, 0.004, 256",
        "two hops of uniform 0..10 ms (netem 5ms 5ms twice), 3, 0.010, 64",
        "two hops of uniform 0..10 ms (netem 5ms 5ms twice), 3, 0.010, 128",
    })
    void autoDepthIsWithinAPacketOfTheSmallestThatHoldsWithinFiveSeconds(String name, int kind, double scale,
                                                                          int period) {
        Link link = switch (kind) {
            case 0, 2 -> (n, r) -> r.nextDouble() * scale;
            case 3 -> (n, r) -> (r.nextDouble() + r.nextDouble()) * scale;
            default -> (n, r) -> Math.min(3e-3, Math.abs(gaussian(r)) * scale);
        };
        long[] arrivals = arrivals(link, SECONDS, 20261206L + kind);

        int needed = 0;
        double neededConcealed = 0;
        StringBuilder tried = new StringBuilder();
        for (int d = DepthPolicy.MIN_PACKETS; d <= DepthPolicy.MAX_PACKETS && needed == 0; d++) {
            JitterBuffer manual = new JitterBuffer(1);
            manual.setDepthMode(DepthMode.MANUAL);
            manual.setManualDepth(d);
            Run run = play(manual, arrivals, period, null);
            double share = run.concealedAfter / (double) run.dueAfter;
            tried.append(String.format(Locale.ROOT, " %d:%.2f%%", d, 100 * share));
            if (share < MAX_CONCEALED) {
                needed = d;
                neededConcealed = share;
            }
        }
        assertTrue(needed > 0, "no manual depth holds:" + tried);

        JitterBuffer auto = new JitterBuffer(1);
        int[] targetPerSecond = new int[SECONDS];
        Run run = play(auto, arrivals, period, targetPerSecond);
        double share = run.concealedAfter / (double) run.dueAfter;
        System.out.printf(Locale.ROOT, "%s, periods of %d: smallest manual depth under 0.5 %% concealment %d packets"
                        + " (%.2f %%; tried%s); auto: within a packet of it after %.2f s, from %d s on"
                        + " depth %d..%d frames, concealed %.3f %%, %d target changes in the last %d s;"
                        + " targets per second %s%n",
                name, period, needed, 100 * neededConcealed, tried, run.withinAt(needed), CONVERGE_SECONDS,
                run.minDepthAfter, run.maxDepthAfter, 100 * share, run.changesFrom(STEADY_FROM_SECONDS),
                SECONDS - STEADY_FROM_SECONDS, Arrays.toString(targetPerSecond));

        assertTrue(run.minTargetAfter >= (needed - 1) * FRAMES && run.maxTargetAfter <= (needed + 1) * FRAMES,
                "from " + CONVERGE_SECONDS + " s on the target was " + run.minTargetAfter + ".." + run.maxTargetAfter
                        + " frames; the smallest depth that holds is " + needed * FRAMES);
        // A step of the target glides (a packet takes 1.3 s), so just after one the depth is a packet
        // from the new target, plus the loop's wobble.
        assertTrue(run.worstDeviationAfter <= FRAMES * 3 / 2, "the depth strayed " + run.worstDeviationAfter
                + " frames from its target");
        assertTrue(share < MAX_CONCEALED, "concealed " + 100 * share + " % after convergence");
        // No pumping: a link whose rough moments recur every few seconds settles at what they need.
        assertTrue(run.changesFrom(STEADY_FROM_SECONDS) <= 2, run.changesFrom(STEADY_FROM_SECONDS)
                + " target changes in the last " + (SECONDS - STEADY_FROM_SECONDS) + " s");
    }

    /** A stall of 8 ms on a calm link: the target rises at once, and is back within seconds. */
    @Test
    void aBurstRaisesTheDepthAtOnceAndACalmLinkLowersItWithinSeconds() {
        double stallAt = 10;
        double stall = 0.008;
        long[] arrivals = arrivals((n, r) -> {
            double sent = (double) n / PER_SECOND;
            double calm = r.nextDouble() * 0.0001;
            return sent >= stallAt && sent < stallAt + stall ? stallAt + stall - sent + calm : calm;
        }, 30, 7L);
        JitterBuffer buffer = new JitterBuffer(1);
        JitterStats s = new JitterStats();
        float[][] out = new float[1][FRAMES];
        int before = 0;
        double raisedAt = -1;
        int raisedTo = 0;
        double backAt = -1;
        int a = 0;
        for (int p = 0; p < 30 * PER_SECOND; p++) {
            long now = Math.round(p * 1e9 / PER_SECOND);
            while (a < arrivals.length && arrivals[a] >>> 20 <= now) {
                SENDER.make(arrivals[a] & 0xFFFFF).offerTo(buffer, arrivals[a] >>> 20);
                a++;
            }
            buffer.pull(out, FRAMES);
            buffer.stats(s);
            double t = (double) p / PER_SECOND;
            if (t < stallAt) {
                before = s.targetFrames;
            } else if (raisedAt < 0 && s.targetFrames > before) {
                raisedAt = t;
            }
            raisedTo = Math.max(raisedTo, s.targetFrames);
            if (raisedAt > 0 && backAt < 0 && s.targetFrames == before && Math.abs(s.depthFrames - before) <= FRAMES) {
                backAt = t;
            }
        }
        System.out.printf(Locale.ROOT, "8 ms stall at 10 s: target %d frames before, raised %.3f s after the stall"
                        + " ended to %d, back to %d (depth within a packet) %.1f s after; %s%n",
                before, raisedAt - stallAt - stall, raisedTo, before, backAt - stallAt - stall, s);
        assertTrue(before <= 2 * FRAMES, "a calm link needs 2 packets, the target was " + before);
        assertTrue(raisedAt > 0 && raisedAt - stallAt - stall < 0.01, "raised at " + raisedAt + " s");
        assertTrue(raisedTo >= before + 4 * FRAMES, "raised only to " + raisedTo);
        assertTrue(backAt > 0 && backAt - stallAt - stall < 20, "back at " + backAt + " s");
    }

    private static final Sender SENDER = new Sender(Codec.PCM16, 1, FRAMES, 1, 0L, Sender.sine(440));

    private static final class Run {
        long concealedAfter;
        long dueAfter;
        int minDepthAfter = Integer.MAX_VALUE;
        int maxDepthAfter = Integer.MIN_VALUE;
        int minTargetAfter = Integer.MAX_VALUE;
        int maxTargetAfter = Integer.MIN_VALUE;
        int worstDeviationAfter;
        /** Per period: the target in frames. */
        int[] targets;
        int periodFrames;

        /** How often the target moved from {@code seconds} on. */
        int changesFrom(int seconds) {
            int changes = 0;
            for (int p = seconds * JitterBuffer.SAMPLE_RATE / periodFrames + 1; p < targets.length; p++) {
                if (targets[p] != targets[p - 1]) {
                    changes++;
                }
            }
            return changes;
        }

        /** The first time (s) from which on the target stays within a packet of {@code packets}. */
        double withinAt(int packets) {
            int last = targets.length;
            while (last > 0 && Math.abs(targets[last - 1] - packets * FRAMES) <= FRAMES) {
                last--;
            }
            return (double) last * periodFrames / JitterBuffer.SAMPLE_RATE;
        }
    }

    /** Plays the arrivals in periods of {@code period} frames of our clock; counts from the convergence time. */
    private static Run play(JitterBuffer buffer, long[] arrivals, int period, int[] targetPerSecond) {
        Run run = new Run();
        int periods = SECONDS * JitterBuffer.SAMPLE_RATE / period;
        run.targets = new int[periods];
        run.periodFrames = period;
        float[][] out = new float[1][period];
        JitterStats s = new JitterStats();
        long concealedAtConvergence = -1;
        int a = 0;
        for (int p = 0; p < periods; p++) {
            long now = Math.round((double) p * period * 1e9 / JitterBuffer.SAMPLE_RATE);
            while (a < arrivals.length && arrivals[a] >>> 20 <= now) {
                SENDER.make(arrivals[a] & 0xFFFFF).offerTo(buffer, arrivals[a] >>> 20);
                a++;
            }
            buffer.pull(out, period);
            buffer.stats(s);
            run.targets[p] = s.targetFrames;
            double t = (double) p * period / JitterBuffer.SAMPLE_RATE;
            if (targetPerSecond != null && (p + 1) * period % JitterBuffer.SAMPLE_RATE < period) {
                targetPerSecond[(int) t] = s.targetFrames / FRAMES;
            }
            if (t >= CONVERGE_SECONDS) {
                if (concealedAtConvergence < 0) {
                    concealedAtConvergence = s.concealed;
                }
                run.minDepthAfter = Math.min(run.minDepthAfter, s.depthFrames);
                run.maxDepthAfter = Math.max(run.maxDepthAfter, s.depthFrames);
                run.minTargetAfter = Math.min(run.minTargetAfter, s.targetFrames);
                run.maxTargetAfter = Math.max(run.maxTargetAfter, s.targetFrames);
                run.worstDeviationAfter = Math.max(run.worstDeviationAfter, Math.abs(s.depthFrames - s.targetFrames));
            }
        }
        run.concealedAfter = s.concealed - concealedAtConvergence;
        run.dueAfter = (long) (SECONDS - CONVERGE_SECONDS) * PER_SECOND;
        return run;
    }

    /**
     * Arrival times of the packets sent in {@code seconds}, as (nanoseconds << 20 | packet number),
     * in arrival order: sent at exactly our rate, 2 ms of fixed delay plus the link's jitter.
     */
    private static long[] arrivals(Link link, int seconds, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int packets = seconds * PER_SECOND + 100;
        long[] arrivals = new long[packets];
        for (int n = 0; n < packets; n++) {
            double at = (double) n / PER_SECOND + 2e-3 + link.jitter(n, random);
            arrivals[n] = Math.round(at * 1e9) << 20 | n;
        }
        Arrays.sort(arrivals);
        return arrivals;
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
