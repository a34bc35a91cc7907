package jambox.dsp.unit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class OversamplerTest {
    /** Up, a cubic clip at the high rate (so the high buffer matters), down: one block in place. */
    private static void run(Oversampler os, float[] block, int n) {
        os.up(block, n);
        float[] high = os.high();
        for (int i = os.offset(); i < os.offset() + Oversampler.FACTOR * n; i++) {
            float x = high[i];
            high[i] = x - x * x * x / 3;
        }
        os.down(block, n);
    }

    /**
     * A reset clears only the filters' history, not the whole buffers (sized for 8192 frames in the
     * box, and a fading-in pedal resets on the audio thread): after loud full-size blocks and a reset,
     * small blocks come out bit for bit as from a new oversampler.
     */
    @Test
    void afterAResetItPlaysExactlyAsANewOne() {
        int max = 8192;
        Oversampler used = new Oversampler(max);
        Random random = new Random(17);
        float[] noise = new float[max];
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < max; i++) {
                noise[i] = (float) random.nextGaussian();
            }
            run(used, noise, max);
        }
        used.reset();
        Oversampler fresh = new Oversampler(max);
        double energy = 0;
        for (int k = 0; k < 40; k++) {
            float[] a = new float[64];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * (k * 64 + i) / 48_000.0));
            }
            float[] b = a.clone();
            run(used, a, 64);
            run(fresh, b, 64);
            assertArrayEquals(b, a, 0f, "block " + k);
            for (float v : a) {
                energy += v * v;
            }
        }
        assertTrue(energy > 1, "the sine came through: " + energy);
    }
}
