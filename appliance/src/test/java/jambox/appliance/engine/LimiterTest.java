package jambox.appliance.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.management.ThreadMXBean;

import jambox.appliance.sim.Riff;

/** The safety limiter measured on its output: true peak after a +20 dB step, transparency below it, latency, allocation. */
class LimiterTest {
    private static final int RATE = 48_000;
    private static final int N = 64;

    /** Runs {@code in} (2 channels) through {@code limiter} in periods of {@code n}; returns the output. */
    private static float[][] run(Limiter limiter, float[][] in, int n) {
        float[][] out = {new float[in[0].length], new float[in[1].length]};
        float[][] block = {new float[n], new float[n]};
        for (int at = 0; at < in[0].length; at += n) {
            int k = Math.min(n, in[0].length - at);
            for (int c = 0; c < 2; c++) {
                System.arraycopy(in[c], at, block[c], 0, k);
            }
            limiter.process(block, k);
            for (int c = 0; c < 2; c++) {
                System.arraycopy(block[c], 0, out[c], at, k);
            }
        }
        return out;
    }

    /** A signal whose peak (true peak, for the sines) is {@code db} dBFS, then {@code db + 20} from {@code step} on. */
    private static float[][] stepped(String kind, double db, int length, int step) {
        float[][] s = new float[2][length];
        Random noise = new Random(16);
        float[] riff = kind.equals("riff") ? Riff.render(RATE, length / (double) RATE + 0.1, 100) : null;
        for (int i = 0; i < length; i++) {
            double a = Math.pow(10, (i < step ? db : db + 20) / 20);
            double l;
            double r;
            switch (kind) {
                case "sine" -> {
                    l = Math.sin(2 * Math.PI * 997 * i / RATE);
                    r = Math.sin(2 * Math.PI * 997 * i / RATE + 1);
                }
                // A quarter of the rate, 45 degrees off: every sample is 3 dB under the sine's peak,
                // which only a true-peak detector sees.
                case "quarter-rate sine" -> {
                    l = Math.sin(Math.PI / 2 * i + Math.PI / 4);
                    r = l;
                }
                case "noise" -> {
                    l = noise.nextGaussian() / 3;
                    r = noise.nextGaussian() / 3;
                }
                // The demo riff's plucks (its sample peak scaled to the level; a pluck's true peak is higher).
                case "riff" -> {
                    l = 2 * riff[i];
                    r = 2 * riff[i + RATE / 20];
                }
                // A feedback squeal on one side only.
                case "squeal" -> {
                    l = Math.sin(2 * Math.PI * 3150 * i / RATE);
                    r = 0;
                }
                default -> throw new IllegalArgumentException(kind);
            }
            s[0][i] = (float) (a * l);
            s[1][i] = (float) (a * r);
        }
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sine", "quarter-rate sine", "noise", "squeal", "riff"})
    void aTwentyDbStepToWellOverFullScaleStaysBelowZeroDbTruePeak(String kind) {
        int step = RATE / 2;
        float[][] in = stepped(kind, -6, RATE * 3 / 2, step);
        Limiter limiter = new Limiter(2);
        float[][] out = run(limiter, in, N);
        int d = limiter.lookaheadSamples();
        double inPeak = TruePeak.dbtp(in, step, in[0].length);
        int end = out[0].length - TruePeak.HALF; // the array's end is a step to silence: not the limiter's
        double outPeak = TruePeak.dbtp(out, 0, end);
        double settled = TruePeak.dbtp(out, step + d + RATE / 2, end);
        System.out.printf("limiter, %s: +20 dB step to %.1f dBTP in; out %.2f dBTP over the whole run, %.2f dBTP"
                + " once settled (ceiling %.1f); lowest gain %.1f dB%n", kind, inPeak, outPeak, settled,
                Limiter.CEILING_DB, 20 * Math.log10(limiter.gain()));
        assertTrue(inPeak > 13, "the step goes well over full scale: " + inPeak);
        assertTrue(outPeak < 0, "true peak out " + outPeak + " dBTP");
        // Points 4x the rate apart can miss a little of a peak near the top of the band (white
        // noise and the riff's noise-burst plucks have plenty there): the 1 dB between the ceiling
        // and full scale is for that.
        assertTrue(outPeak <= Limiter.CEILING_DB + 0.75, "at most 0.75 dB over the ceiling: " + outPeak);
        assertTrue(settled > Limiter.CEILING_DB - 1.5, "it limits, it does not mute: " + settled + " dBTP");
        // Before the step, and before the lookahead sees it coming, nothing changes.
        int untouched = step + d - 2 * limiter.lookaheadSamples();
        for (int c = 0; c < 2; c++) {
            for (int i = d; i < untouched; i++) {
                assertEquals(in[c][i - d], out[c][i], "sample " + i + " before the step");
            }
        }
    }

    @Test
    void aBurstOfIsolatedClicksStaysBelowTheCeiling() {
        float[][] in = new float[2][RATE];
        for (int i = 1000; i < RATE - 1000; i += 997) {
            in[0][i] = 8f;
            in[1][i + 3] = -5f;
            in[0][i + 1] = -8f;
        }
        Limiter limiter = new Limiter(2);
        double out = TruePeak.dbtp(run(limiter, in, 32), 0, RATE - TruePeak.HALF);
        System.out.printf("limiter, clicks of +18 dBFS: out %.2f dBTP%n", out);
        assertTrue(out < Limiter.CEILING_DB + 0.5, out + " dBTP");
    }

    @ParameterizedTest(name = "periods of {0} frames")
    @ValueSource(ints = {32, 64, 128})
    void aSignalAtMinusThreeDbfsComesOutBitIdenticalOnlyLater(int n) {
        float[] riff = Riff.render(RATE, 4, 100);
        float[][] in = new float[2][riff.length];
        // The riff's plucks put its true peak well over its sample peak: set the true peak to -3 dBTP.
        double g = Math.pow(10, -3 / 20.0) / TruePeak.of(riff, 0, riff.length - TruePeak.HALF);
        for (int i = 0; i < riff.length; i++) {
            in[0][i] = (float) (riff[i] * g);
            in[1][i] = (float) (0.7071 * Math.sin(2 * Math.PI * 440 * i / RATE));
        }
        Limiter limiter = new Limiter(2);
        float[][] out = run(limiter, in, n);
        int d = limiter.lookaheadSamples();
        double worst = 0;
        for (int c = 0; c < 2; c++) {
            for (int i = d; i < out[c].length; i++) {
                worst = Math.max(worst, Math.abs(out[c][i] - in[c][i - d]));
            }
            for (int i = 0; i < d; i++) {
                assertEquals(0f, out[c][i], "silence while the lookahead fills");
            }
        }
        System.out.printf("limiter, -3 dBFS riff and sine (%.2f dBTP), %d frames: largest difference from the input"
                + " %d samples earlier: %.3g; lowest gain %.7f%n", TruePeak.dbtp(in, 0, RATE), n, d, worst, limiter.gain());
        assertEquals(0.0, worst, 1e-6);
        assertEquals(1f, limiter.gain());
    }

    @Test
    void itsLatencyIsItsLookaheadUnderOneAndAHalfMillisecondsAndNoneWhenOff() {
        Limiter limiter = new Limiter(2);
        float[][] in = new float[2][4800];
        in[0][1234] = 0.5f;
        float[][] out = run(limiter, in, N);
        int at = 0;
        for (int i = 0; i < out[0].length; i++) {
            if (Math.abs(out[0][i]) > Math.abs(out[0][at])) {
                at = i;
            }
        }
        System.out.printf("limiter latency: impulse at 1234 comes out at %d: %d samples (%.3f ms), reported %d%n", at,
                at - 1234, (at - 1234) * 1000.0 / RATE, limiter.latencySamples());
        assertEquals(limiter.latencySamples(), at - 1234);
        assertEquals(0.5f, out[0][at]);
        assertTrue(limiter.latencySamples() > 0 && limiter.latencySamples() <= 1.5 * RATE / 1000);

        limiter.setOn(false);
        run(limiter, new float[2][N], N); // the crossfade to off
        float[][] off = run(limiter, in, N);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < in[c].length; i++) {
                assertEquals(in[c][i], off[c][i], "off passes the input straight through, sample " + i);
            }
        }
        assertEquals(0, limiter.latencySamples());
        assertEquals(limiter.lookaheadSamples(), at - 1234);
    }

    @Test
    void switchingOnWhileALoudSignalPlaysProtectsFromTheNextPeriod() {
        float[][] in = stepped("sine", -6, RATE, 0);
        Limiter limiter = new Limiter(2);
        limiter.setOn(false);
        float[][] out = new float[2][RATE];
        float[][] block = {new float[N], new float[N]};
        for (int at = 0; at < RATE; at += N) {
            limiter.setOn(at >= RATE / 4 && at < RATE * 3 / 4);
            for (int c = 0; c < 2; c++) {
                System.arraycopy(in[c], at, block[c], 0, N);
            }
            limiter.process(block, N);
            for (int c = 0; c < 2; c++) {
                System.arraycopy(block[c], 0, out[c], at, N);
            }
        }
        double on = TruePeak.dbtp(out, RATE / 4 + N + TruePeak.HALF, RATE * 3 / 4 - TruePeak.HALF);
        System.out.printf("limiter switched on under a +14 dBFS sine: %.2f dBTP from the next period on%n", on);
        assertTrue(on < 0, on + " dBTP");
    }

    @ParameterizedTest(name = "periods of {0} frames")
    @ValueSource(ints = {32, 64, 128})
    void aPeriodAllocatesNothingWhileLimitingOrSwitching(int n) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        float[][] loud = stepped("noise", -10, RATE, RATE / 3);
        Limiter limiter = new Limiter(2);
        float[][] block = {new float[n], new float[n]};
        int periods = RATE / n;
        long best = Long.MAX_VALUE;
        // Surefire's JVM may allocate a little on a thread after a deoptimisation: take the best of several windows.
        for (int window = 0; window < 8; window++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int k = 0; k < periods; k++) {
                if (k % 50 == 0) {
                    limiter.setOn(k % 200 != 0);
                }
                for (int c = 0; c < 2; c++) {
                    System.arraycopy(loud[c], k * n, block[c], 0, n);
                }
                limiter.process(block, n);
            }
            long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            if (window > 0) {
                best = Math.min(best, bytes);
            }
        }
        // What a period costs when it is at its dearest: every sample loud, the interpolator always
        // on. The best of a few runs: a shared machine only ever adds to it.
        limiter.setOn(true);
        int from = RATE / 2 / n;
        double perPeriod = Double.MAX_VALUE;
        for (int run = 0; run < 10; run++) {
            long t0 = System.nanoTime();
            for (int k = from; k < periods; k++) {
                for (int c = 0; c < 2; c++) {
                    System.arraycopy(loud[c], k * n, block[c], 0, n);
                }
                limiter.process(block, n);
            }
            perPeriod = Math.min(perPeriod, (System.nanoTime() - t0) / (double) (periods - from));
        }
        System.out.printf("limiter, %d frames: best window %d bytes over %d periods; %.1f us a loud period%n", n, best,
                periods, perPeriod / 1000);
        assertEquals(0, best, "bytes allocated by " + periods + " periods after warm-up");
    }
}
