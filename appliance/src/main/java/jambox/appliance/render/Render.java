package jambox.appliance.render;

import java.util.Arrays;

import jambox.appliance.board.BoardSpec;
import jambox.dsp.Board;

/**
 * Offline rendering: each channel of the audio runs through its own board in 64-frame blocks,
 * exactly as the audio thread would run it live, so what you hear here is what the box plays.
 */
public final class Render {
    /** The period the box runs at (JACK, 64 frames). */
    public static final int BLOCK = 64;

    private Render() {
    }

    /**
     * @param tailSeconds silence appended to the input so delays and reverbs can ring out
     */
    public static float[][] render(float[][] in, float sampleRate, BoardSpec spec, double tailSeconds) {
        int frames = in[0].length + (int) Math.round(tailSeconds * sampleRate);
        float[][] out = new float[in.length][];
        float[] block = new float[BLOCK];
        for (int c = 0; c < in.length; c++) {
            Board board = spec.build(c, sampleRate, BLOCK);
            float[] x = Arrays.copyOf(in[c], frames);
            for (int at = 0; at < frames; at += BLOCK) {
                int n = Math.min(BLOCK, frames - at);
                System.arraycopy(x, at, block, 0, n);
                board.process(block, n);
                System.arraycopy(block, 0, x, at, n);
            }
            out[c] = x;
        }
        return out;
    }

    /** Peak level over all channels, in dBFS. */
    public static double peakDb(float[][] audio) {
        double peak = 0;
        for (float[] ch : audio) {
            for (float v : ch) {
                peak = Math.max(peak, Math.abs(v));
            }
        }
        return 20 * Math.log10(Math.max(peak, 1e-12));
    }
}
