package jambox.appliance.sim;

import java.util.Random;

/**
 * A guitar-like riff from plucked strings (Karplus-Strong: a burst of noise circulating in a
 * tuned, slightly damped delay loop). The simulated input of the box when no guitar is there:
 * deterministic (fixed seed), so renders and tests repeat exactly.
 */
public final class Riff {
    /** Notes (MIDI numbers) and their lengths in eighths: an E-minor pentatonic figure. */
    private static final int[][] NOTES = {
            {40, 2}, {43, 1}, {45, 1}, {47, 2}, {45, 1}, {43, 1},
            {40, 2}, {50, 1}, {47, 1}, {45, 2}, {43, 2},
            {40, 1}, {40, 1}, {52, 1}, {50, 1}, {47, 2}, {45, 1}, {43, 1},
            {40, 4}, {35, 4}};

    private Riff() {
    }

    /** {@code seconds} of the riff at {@code bpm}, looping, mono, peaking near -6 dBFS. */
    public static float[] render(float sampleRate, double seconds, double bpm) {
        float[] out = new float[(int) Math.round(seconds * sampleRate)];
        Random noise = new Random(7);
        int eighth = (int) Math.round(sampleRate * 30 / bpm);
        int at = 0;
        for (int i = 0; at < out.length; i = (i + 1) % NOTES.length) {
            int length = NOTES[i][1] * eighth;
            pluck(out, at, Math.min(out.length - at, length + eighth), 440 * Math.pow(2, (NOTES[i][0] - 69) / 12.0), sampleRate, noise);
            at += length;
        }
        float peak = 0;
        for (float v : out) {
            peak = Math.max(peak, Math.abs(v));
        }
        float g = peak > 0 ? 0.5f / peak : 0f;
        for (int i = 0; i < out.length; i++) {
            out[i] *= g;
        }
        return out;
    }

    private static void pluck(float[] out, int start, int length, double hz, float sampleRate, Random noise) {
        int period = Math.max(2, (int) Math.round(sampleRate / hz));
        float[] loop = new float[period];
        for (int i = 0; i < period; i++) {
            loop[i] = (float) (noise.nextDouble() * 2 - 1);
        }
        float prev = 0;
        for (int i = 0; i < length; i++) {
            int k = i % period;
            float y = loop[k];
            // Averaging neighbours damps the highs a little each trip round the loop: the string's decay.
            loop[k] = 0.996f * 0.5f * (y + prev);
            prev = y;
            float fadeOut = i > length - 256 ? (length - i) / 256f : 1f;
            out[start + i] += y * fadeOut;
        }
    }
}
