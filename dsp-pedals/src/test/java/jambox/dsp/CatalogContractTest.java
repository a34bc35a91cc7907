package jambox.dsp;

import static jambox.dsp.Signals.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every pedal in the catalog promises, checked on every pedal in the catalog. */
class CatalogContractTest {

    static Stream<PedalType> types() {
        return Catalog.ALL.stream();
    }

    @ParameterizedTest
    @MethodSource("types")
    void nothingNonFiniteHugeOrDenormalLeavesWhateverTheParametersAndInput(PedalType type) {
        Random rnd = new Random(type.id().hashCode());
        Pedal p = pedal(type);
        Param[] params = p.params();
        float[] block = new float[BLOCK];
        for (int b = 0; b < 6000; b++) {
            if (b % 50 == 0) {
                randomise(params, rnd);
            }
            if (b % 700 == 0) {
                p.setBypassed(rnd.nextInt(4) == 0);
            }
            fillHostile(block, rnd, b);
            p.run(block, BLOCK);
            for (float v : block) {
                assertTrue(Float.isFinite(v), type.id() + " gave " + v + " at block " + b);
                assertTrue(Math.abs(v) <= Pedal.OUTPUT_LIMIT, type.id() + " gave " + v);
                assertTrue(v == 0f || Math.abs(v) >= Float.MIN_NORMAL, type.id() + " gave a denormal " + v);
            }
        }
        // After all that, it still plays: a sine in gives a sound out.
        p.setBypassed(false);
        for (var spec : type.params()) {
            p.set(spec.id(), spec.defaultValue());
        }
        float[] out = run(p, sine(220, 0.3, 1.0));
        assertTrue(rms(slice(out, 0.5, 1.0)) > 1e-3, type.id() + " went quiet for good");
    }

    @ParameterizedTest
    @MethodSource("types")
    void theAudioThreadAllocatesNothingAfterWarmUp(PedalType type) {
        Random rnd = new Random(42);
        Pedal p = pedal(type);
        Param[] params = p.params();
        float[] block = new float[BLOCK];
        Runnable periods = () -> {
            for (int b = 0; b < 4000; b++) {
                if (b % 100 == 0) {
                    randomise(params, rnd);
                }
                if (b % 1000 == 500) {
                    p.setBypassed(!p.isBypassed());
                }
                for (int i = 0; i < BLOCK; i++) {
                    block[i] = (float) (0.5 * Math.sin(b * 0.37 + i * 0.11));
                }
                p.run(block, BLOCK);
            }
        };
        for (int warm = 0; warm < 8; warm++) {
            periods.run();
        }
        // A pedal that allocates per block allocates in every window (64 KB and more for 16 bytes
        // a block). The JVM itself now and then allocates a few hundred bytes on this thread (seen
        // under surefire after a deoptimisation, never in the same window twice), so the proof is
        // a window of 4000 blocks with exactly zero, within five tries.
        java.util.List<Long> windows = new java.util.ArrayList<>();
        for (int window = 0; window < 5; window++) {
            long bytes = Allocation.bytesDuring(periods);
            windows.add(bytes);
            if (bytes == 0) {
                return;
            }
        }
        fail(type.id() + " allocated in every window of 4000 blocks: " + windows + " bytes");
    }

    @ParameterizedTest
    @MethodSource("types")
    void bypassCrossfadesWithoutAClick(PedalType type) {
        Pedal p = pedal(type);
        float[] in = sine(330, 0.25, 1.5);
        int toggle = 250 * BLOCK;
        float[] out = runBlocks(in, p::run, at -> {
            if (at == toggle) {
                p.setBypassed(true);
            }
        });
        Pedal steady = pedal(type);
        float[] wet = run(steady, in);
        double dryStep = maxStep(in, 1, in.length);
        double wetStep = maxStep(wet, toggle - 4800, toggle);
        double fadeStep = (peak(in) + peak(wet)) * 1.0 / (Pedal.FADE_SECONDS * FS);
        double allowed = Math.max(dryStep, wetStep) + fadeStep;
        double seen = maxStep(out, toggle, toggle + (int) (0.05 * FS));
        assertTrue(seen <= allowed * 1.05, type.id() + ": step of " + seen + " while bypassing, allowed " + allowed);
        // Once bypassed, the output is the input.
        for (int i = toggle + 4800; i < in.length; i++) {
            assertEquals(in[i], out[i], 0f, type.id() + " bypassed changes the signal at " + i);
        }
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> parameters() {
        return Catalog.ALL.stream().flatMap(t -> t.params().stream()
                .map(spec -> org.junit.jupiter.params.provider.Arguments.of(t, spec.id())));
    }

    /**
     * Turning any knob (or flipping any choice) from one end to the other while a sine plays
     * moves no sample further from the last than the steady sound does at the old setting, the
     * new one, or settings between: the change glides or crossfades, it never clicks.
     */
    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("parameters")
    void aParameterJumpDoesNotClick(PedalType type, String paramId) {
        ParamSpec spec = type.param(paramId);
        for (double[] jump : new double[][] {{spec.min(), spec.max()}, {spec.max(), spec.min()}}) {
            float[] in = sine(220, 0.25, 1.0);
            int at = 375 * BLOCK;
            Pedal p = pedal(type);
            p.set(paramId, jump[0]);
            float[] out = runBlocks(in, p::run, start -> {
                if (start == at) {
                    p.set(paramId, jump[1]);
                }
            });
            // The sound at the new setting, and at settings on the way there: a glide may pass
            // through a louder or brighter setting (a flanger's comb peak), but never beyond.
            float[] after = null;
            double settled = 0;
            for (int k = 1; k <= 4; k++) {
                double n0 = spec.toNormalized(jump[0]), n1 = spec.toNormalized(jump[1]);
                Pedal steady = pedal(type);
                steady.set(paramId, spec.fromNormalized(n0 + (n1 - n0) * k / 4));
                float[] sound = run(steady, in);
                settled = Math.max(settled, maxStep(sound, at, out.length));
                if (k == 4) {
                    after = sound;
                }
            }
            double before = maxStep(out, at - 4800, at);
            if (rms(java.util.Arrays.copyOfRange(out, at - 4800, at)) < 1e-4 || rms(java.util.Arrays.copyOfRange(after, at, out.length)) < 1e-4) {
                // From silence to sound or back (a gate's threshold): that is the pedal's own
                // attack or release, which its own test measures.
                continue;
            }
            // A change may also crossfade, like the bypass, but no faster.
            double fade = (peak(out) + peak(after)) / (Pedal.FADE_SECONDS * FS);
            double allowed = 1.1 * Math.max(before, settled) + fade + 1e-3;
            double seen = maxStep(out, at, out.length);
            assertTrue(seen <= allowed, String.format(java.util.Locale.ROOT,
                    "%s.%s %s -> %s: a step of %.4f, while the sound itself steps at most %.4f before and %.4f at settings on the way",
                    type.id(), paramId, spec.format(jump[0]), spec.format(jump[1]), seen, before, settled));
        }
    }

    /** Sets every parameter to a random value (a fifth of the time an extreme); allocates nothing. */
    private static void randomise(Param[] params, Random rnd) {
        for (Param param : params) {
            ParamSpec spec = param.spec();
            double v = spec.fromNormalized(rnd.nextDouble());
            if (rnd.nextInt(5) == 0) {
                v = rnd.nextBoolean() ? spec.min() : spec.max();
            }
            param.set(v);
        }
    }

    /** Loud noise, silence, DC, and now and then NaN, infinities, huge and denormal values. */
    private static void fillHostile(float[] block, Random rnd, int b) {
        int mode = (b / 97) % 5;
        for (int i = 0; i < block.length; i++) {
            block[i] = switch (mode) {
                case 0 -> (float) (rnd.nextGaussian() * 4);
                case 1 -> 0f;
                case 2 -> 1e-40f;
                case 3 -> (float) Math.sin(b * 0.3 + i);
                default -> 0.8f;
            };
        }
        if (rnd.nextInt(40) == 0) {
            float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e30f, -1e30f, Float.MIN_VALUE};
            block[rnd.nextInt(block.length)] = bad[rnd.nextInt(bad.length)];
        }
    }
}
