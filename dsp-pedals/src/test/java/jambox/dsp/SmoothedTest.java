package jambox.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SmoothedTest {
    private static final float RATE = 48000f;

    /** The values of {@code s} sample by sample until it rests on its target (at most {@code limit}). */
    private static List<Float> rampToRest(Smoothed s, int limit) {
        List<Float> values = new ArrayList<>();
        s.latch();
        while (s.isSmoothing() && values.size() < limit) {
            values.add(s.next());
            if (values.size() % 64 == 0) {
                s.settle(); // a block ends
            }
        }
        return values;
    }

    /** Each value of {@code ramp} moves from {@code from} toward {@code to} or stays, never past it; {@code s} rests on {@code to}. */
    private static void assertMonotonicWithin(Smoothed s, List<Float> ramp, float from, float to) {
        float previous = from;
        for (int i = 0; i < ramp.size(); i++) {
            float v = ramp.get(i);
            assertTrue(to > from ? v >= previous : v <= previous, "sample " + i + " turned back: " + previous + " -> " + v);
            assertTrue(Math.min(from, to) <= v && v <= Math.max(from, to), "sample " + i + " overshot: " + v);
            previous = v;
        }
        assertEquals(to, s.current(), "it lands exactly on the target");
        assertFalse(s.isSmoothing());
    }

    @Test
    void aLinearFadeTakesItsTimeAtEveryRateAndLandsExactly() {
        for (float rate : new float[] {44100f, 48000f, 96000f}) {
            for (double seconds : new double[] {0.010, 0.020, 0.040}) {
                Smoothed s = Smoothed.linear(seconds, 0f);
                s.prepare(rate);
                s.setTarget(1f);
                List<Float> up = rampToRest(s, 100_000);
                assertMonotonicWithin(s, up, 0f, 1f);
                long samples = Math.round(seconds * rate);
                // Adding 1/N N times in float can fall a few ulps short: then one more tiny step lands.
                assertTrue(up.size() == samples || up.size() == samples + 1,
                        seconds + " s at " + rate + " Hz took " + up.size() + " samples, not " + samples);
                s.setTarget(0f);
                List<Float> down = rampToRest(s, 100_000);
                assertMonotonicWithin(s, down, 1f, 0f);
                assertEquals(up.size(), down.size(), "down takes as long as up");
            }
        }
    }

    @Test
    void anExponentialGlideHasItsTimeConstantNeverOvershootsAndLands() {
        Smoothed s = Smoothed.exponential(0.012, 100f);
        s.prepare(RATE);
        s.setTarget(1000f);
        List<Float> glide = rampToRest(s, 100_000);
        assertMonotonicWithin(s, glide, 100f, 1000f);
        int tau = Math.round(0.012f * RATE); // 576 samples
        float atTau = glide.get(tau - 1);
        assertEquals(1000 - 900 / Math.E, atTau, 0.01, "after one time constant 1 - 1/e of the way is covered");
        // It lands at the end of the block in which it came within 1e-4 of 1000 (0.1): 900 -> 0.1 is
        // ln(9000) = 9.1 time constants, 5244 samples, rounded up to the 64-sample block.
        int expected = ((int) Math.ceil(tau * Math.log(9000)) / 64 + 1) * 64;
        assertTrue(Math.abs(glide.size() - expected) <= 64, "landed after " + glide.size() + " samples, about " + expected);
    }

    @Test
    void aBlockCallGivesTheSameValuesAsSampleCalls() {
        // Linear: exactly, block by block of mixed sizes, and for applyGain sample by sample.
        Smoothed bySample = Smoothed.linear(0.010, 0f);
        Smoothed byBlock = Smoothed.linear(0.010, 0f);
        bySample.setTarget(1f);
        byBlock.setTarget(1f);
        bySample.latch();
        for (int n : new int[] {64, 37, 64, 1, 64, 128, 200}) {
            for (int i = 0; i < n; i++) {
                bySample.next();
            }
            assertEquals(bySample.current(), byBlock.next(n), "after a block of " + n);
        }
        assertEquals(1f, byBlock.current());
        Smoothed samples = Smoothed.linear(0.010, 0f);
        Smoothed gains = Smoothed.linear(0.010, 0f);
        samples.setTarget(1f);
        gains.setTarget(1f);
        samples.latch();
        float[] ones = new float[64];
        for (int block = 0; block < 10; block++) {
            java.util.Arrays.fill(ones, 1f);
            gains.applyGain(ones, 64);
            for (int i = 0; i < 64; i++) {
                assertEquals(samples.next(), ones[i], "applyGain's sample " + (block * 64 + i));
            }
        }
        // Exponential: the block's one step is the same glide as its samples, up to float rounding.
        Smoothed expSample = Smoothed.exponential(0.012, 0f);
        Smoothed expBlock = Smoothed.exponential(0.012, 0f);
        expSample.setTarget(1f);
        expBlock.setTarget(1f);
        expSample.latch();
        for (int block = 0; block < 200; block++) {
            for (int i = 0; i < 64; i++) {
                expSample.next();
            }
            expSample.settle();
            float b = expBlock.next(64);
            assertEquals(expSample.current(), b, 2e-6, "after block " + block);
        }
        assertEquals(1f, expBlock.current());
        assertEquals(1f, expSample.current());
        Smoothed one = Smoothed.exponential(0.012, 0f);
        one.setTarget(1f);
        expSample.reset(0f);
        expSample.setTarget(1f);
        expSample.latch();
        assertEquals(expSample.next(), one.next(1), "a block of one sample is one sample, bit for bit");
    }

    @Test
    void aNewTargetMidRampContinuesFromWhereTheValueIs() {
        Smoothed lin = Smoothed.linear(0.010, 0f);
        lin.setTarget(1f);
        lin.latch();
        for (int i = 0; i < 200; i++) {
            lin.next();
        }
        float at = lin.current();
        lin.setTarget(0f); // reversed at 200/480 of the way
        List<Float> back = rampToRest(lin, 10_000);
        assertEquals(at - 1f / 480, back.get(0), 1e-6, "the first step back is one step from where it was");
        assertMonotonicWithin(lin, back, at, 0f);
        assertTrue(Math.abs(back.size() - 200) <= 1, "back at the same speed: " + back.size() + " samples");

        Smoothed exp = Smoothed.exponential(0.012, 0f);
        exp.setTarget(1f);
        exp.latch();
        for (int i = 0; i < 300; i++) {
            exp.next();
        }
        float from = exp.current();
        exp.setTarget(-1f);
        List<Float> turn = rampToRest(exp, 100_000);
        float share = 1f - (float) Math.exp(-1 / (0.012 * RATE));
        assertEquals(from + (-1f - from) * share, turn.get(0), 1e-6, "no jump: one step of the glide from " + from);
        assertMonotonicWithin(exp, turn, from, -1f);
    }

    @Test
    void aZeroTimeJumps() {
        Smoothed choice = Smoothed.exponential(0, 0f);
        choice.setTarget(2f);
        choice.latch();
        assertEquals(2f, choice.next());
        choice.setTarget(1f);
        assertEquals(1f, choice.next(64));
        Smoothed cut = Smoothed.linear(0, 1f);
        cut.setTarget(0f);
        cut.latch();
        assertEquals(0f, cut.next());
        assertThrows(IllegalArgumentException.class, () -> Smoothed.linear(-1, 0f));
    }

    @Test
    void anEqualPowerCrossfadeKeepsThePowerWithinAHundredthOfADecibel() {
        Smoothed xf = Smoothed.crossfade(Smoothed.Style.CROSSFADE_EQUAL_POWER, 0.040);
        assertFalse(xf.isSmoothing(), "at rest on the incoming side");
        assertEquals(1f, xf.fadeIn());
        assertEquals(0f, xf.fadeOut());
        xf.startFade();
        assertEquals(0f, xf.fadeIn());
        assertEquals(1f, xf.fadeOut());
        double worst = 0;
        int samples = 0;
        float lastIn = 0f;
        while (xf.isSmoothing()) {
            xf.next();
            samples++;
            float in = xf.fadeIn(), out = xf.fadeOut();
            double db = 10 * Math.log10((double) in * in + (double) out * out);
            worst = Math.max(worst, Math.abs(db));
            assertTrue(in >= lastIn, "the incoming gain only rises");
            lastIn = in;
            double exactIn = Math.sin(xf.current() * Math.PI / 2);
            assertEquals(exactIn, in, 1e-5, "a quarter sine at " + xf.current());
        }
        assertTrue(worst < 0.01, "power off by " + worst + " dB");
        assertTrue(Math.abs(samples - 1920) <= 1, "40 ms: " + samples + " samples");
        assertEquals(1f, xf.fadeIn());
        assertEquals(0f, xf.fadeOut());
    }

    @Test
    void aLinearCrossfadeKeepsTheSum() {
        Smoothed xf = Smoothed.crossfade(Smoothed.Style.CROSSFADE_LINEAR, 0.020);
        xf.startFade();
        double worst = 0;
        while (xf.isSmoothing()) {
            xf.next();
            worst = Math.max(worst, Math.abs(xf.fadeIn() + xf.fadeOut() - 1.0));
        }
        assertTrue(worst <= 6e-8, "the gains sum to 1 within float rounding: " + worst);
        assertThrows(IllegalArgumentException.class, () -> Smoothed.crossfade(Smoothed.Style.LINEAR, 0.02));
    }

    /**
     * The ramps this type replaced, written out as they were, and the values it gives in their
     * place: the same floats, bit for bit, for the per-sample ones.
     */
    @Test
    void theRampsItReplacedAreReproduced() {
        // Pedal's bypass fade and the tuner's mute: a fixed step per sample, clamped, reversed mid-way.
        float step = (float) (1 / (Pedal.FADE_SECONDS * RATE));
        Smoothed wet = Smoothed.linear(Pedal.FADE_SECONDS, 0f);
        wet.prepare(RATE);
        float w = 0f;
        for (int i = 0; i < 900; i++) {
            float target = i < 300 ? 1f : 0f;
            if (i == 0 || i == 300) {
                wet.setTarget(target);
                wet.latch();
            }
            w += target > w ? step : -step;
            w = w < 0f ? 0f : (w > 1f ? 1f : w);
            assertEquals(w, wet.next(), "fade sample " + i);
        }
        // The delay's head crossfade: f = min(1, f + step), gains (1 - f, f).
        Smoothed xf = Smoothed.crossfade(Smoothed.Style.CROSSFADE_LINEAR, 40 * 0.001);
        xf.prepare(RATE);
        xf.startFade();
        float f = 0f;
        float fadeStep = (float) (1 / (40 * 0.001 * RATE));
        for (int i = 0; i < 2000; i++) {
            f = Math.min(1f, f + fadeStep);
            xf.next();
            assertEquals(1f - f, xf.fadeOut(), "crossfade sample " + i);
            assertEquals(f, xf.fadeIn());
        }
        // Param: a one-pole per sample, landing at the block's end when within 1e-4.
        Smoothed knob = Smoothed.exponential(Param.SMOOTHING_SECONDS, 100f);
        knob.prepare(RATE);
        knob.setTarget(1000f);
        float per = (float) (1 - Math.exp(-1 / (Param.SMOOTHING_SECONDS * RATE)));
        float c = 100f;
        for (int block = 0; block < 200; block++) {
            knob.latch();
            for (int i = 0; i < 64; i++) {
                c += (1000f - c) * per;
                assertEquals(c, knob.next(), "knob sample " + (block * 64 + i));
            }
            if (Math.abs(1000f - c) <= 1e-4f * 1000f) {
                c = 1000f;
            }
            knob.settle();
            assertEquals(c, knob.current());
        }
        // The engine's gains: a 10 ms one-pole step per period, landing within 1e-4 (at or below unity).
        float alpha = (float) (1 - Math.exp(-64 / (0.010 * RATE)));
        Smoothed gain = Smoothed.exponential(0.010, 1f);
        gain.prepare(RATE);
        gain.setTarget(0.25f);
        float g = 1f;
        for (int period = 0; period < 100; period++) {
            float next = g + (0.25f - g) * alpha;
            if (Math.abs(0.25f - next) < 1e-4f) {
                next = 0.25f;
            }
            g = next;
            assertEquals(g, gain.next(64), "gain after period " + period);
        }
    }

    @Test
    void blocksAllocateNothing() {
        Smoothed lin = Smoothed.linear(0.010, 0f);
        Smoothed exp = Smoothed.exponential(0.012, 0f);
        Smoothed xf = Smoothed.crossfade(Smoothed.Style.CROSSFADE_EQUAL_POWER, 0.020);
        float[] buf = new float[64];
        Runnable blocks = () -> {
            for (int b = 0; b < 4000; b++) {
                if (b % 50 == 0) {
                    lin.setTarget(lin.target() == 0f ? 1f : 0f);
                    exp.setTarget(b % 100 == 0 ? 10f : -3f);
                    xf.startFade();
                }
                java.util.Arrays.fill(buf, 0.5f);
                lin.applyGain(buf, 64);
                exp.latch();
                for (int i = 0; i < 64; i++) {
                    buf[i] += exp.next() + xf.next() * xf.fadeIn() + xf.fadeOut();
                }
                exp.settle();
                exp.next(64 - b % 3);
            }
        };
        for (int warm = 0; warm < 8; warm++) {
            blocks.run();
        }
        // As in CatalogContractTest: the JVM may allocate on this thread now and then, never twice in a row.
        List<Long> windows = new ArrayList<>();
        for (int window = 0; window < 5; window++) {
            long bytes = Allocation.bytesDuring(blocks);
            windows.add(bytes);
            if (bytes == 0) {
                return;
            }
        }
        fail("allocated in every window of 4000 blocks: " + windows + " bytes");
    }
}
