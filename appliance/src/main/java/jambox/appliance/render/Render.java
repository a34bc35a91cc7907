package jambox.appliance.render;

import java.util.Arrays;

import jambox.appliance.board.BoardSpec;
import jambox.dsp.Board;
import jambox.dsp.Catalog;
import jambox.dsp.ParamSpec;

/**
 * Offline rendering: each channel of the audio runs through its own board in 64-frame blocks,
 * exactly as the audio thread would run it live, so what you hear here is what the box plays.
 */
public final class Render {
    /** The period the box runs at (JACK, 64 frames). */
    public static final int BLOCK = 64;

    private Render() {
    }

    /** A tail rings out until the output stays below this... */
    public static final double SILENCE_DBFS = -90;
    /** ...for this long at the end of the file, */
    public static final double SILENCE_SECONDS = 0.1;
    /** ...or until it has lasted this long (a long feedback delay can take minutes to die away). */
    public static final double MAX_TAIL_SECONDS = 30;
    /**
     * The longest silence an echo can follow: the longest time any pedal's parameter can hold, in
     * ms (the delay's 2 s). A single pluck into a long delay falls silent until its first repeat:
     * the render listens this long past the last sound before it decides the board is done.
     */
    static final double LONGEST_GAP_SECONDS = Catalog.ALL.stream().flatMap(t -> t.params().stream())
            .filter(p -> p.unit().equals("ms")).mapToDouble(ParamSpec::max).max().orElse(0) / 1000;

    /**
     * @param tailSeconds silence appended to the input so delays and reverbs can ring out
     */
    public static float[][] render(float[][] in, float sampleRate, BoardSpec spec, double tailSeconds) {
        int frames = in[0].length + (int) Math.round(tailSeconds * sampleRate);
        float[][] out = new float[in.length][];
        for (int c = 0; c < in.length; c++) {
            out[c] = Arrays.copyOf(in[c], frames);
            run(spec.build(c, sampleRate, BLOCK), out[c], 0, frames);
        }
        return out;
    }

    /**
     * Renders the input, then lets the boards ring out on silence until every channel has stayed
     * below {@link #SILENCE_DBFS} for longer than any echo can take to come back; the file ends
     * {@link #SILENCE_SECONDS} after the last sound (in silence, not on a cut reverb), at most
     * {@link #MAX_TAIL_SECONDS} after the input.
     */
    public static float[][] renderRingingOut(float[][] in, float sampleRate, BoardSpec spec) {
        int channels = in.length;
        Board[] boards = new Board[channels];
        float[][] out = new float[channels][];
        int length = in[0].length;
        for (int c = 0; c < channels; c++) {
            boards[c] = spec.build(c, sampleRate, BLOCK);
            out[c] = Arrays.copyOf(in[c], length + (int) sampleRate);
            run(boards[c], out[c], 0, length);
        }
        float threshold = (float) Math.pow(10, SILENCE_DBFS / 20);
        int window = (int) Math.round(SILENCE_SECONDS * sampleRate);
        int listen = window + (int) Math.round(LONGEST_GAP_SECONDS * sampleRate);
        int inputLength = length;
        int maxLength = length + (int) Math.round(MAX_TAIL_SECONDS * sampleRate);
        int loudEnd = length; // just past the last sample, since the input ended, at or above the threshold anywhere
        while (length - loudEnd < listen && length < maxLength) {
            int n = Math.min(BLOCK, maxLength - length);
            for (int c = 0; c < channels; c++) {
                if (out[c].length < length + n) {
                    out[c] = Arrays.copyOf(out[c], out[c].length * 2); // the new room is silence, the tail's input
                }
                run(boards[c], out[c], length, n);
                for (int i = length; i < length + n; i++) {
                    if (Math.abs(out[c][i]) >= threshold) {
                        loudEnd = Math.max(loudEnd, i + 1);
                    }
                }
            }
            length += n;
        }
        // What was heard after the last sound is silence: keep the window of it, no more.
        int end = length >= maxLength ? maxLength : Math.max(inputLength, Math.min(length, loudEnd + window));
        for (int c = 0; c < channels; c++) {
            out[c] = Arrays.copyOf(out[c], end);
        }
        return out;
    }

    /** Runs {@code frames} samples of {@code x} from {@code from} through the board in place, a period at a time. */
    private static void run(Board board, float[] x, int from, int frames) {
        float[] block = new float[BLOCK];
        for (int at = from; at < from + frames; at += BLOCK) {
            int n = Math.min(BLOCK, from + frames - at);
            System.arraycopy(x, at, block, 0, n);
            board.process(block, n);
            System.arraycopy(block, 0, x, at, n);
        }
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
