package jambox.stream;

/**
 * Audio thread: the member's stream laid out contiguously, read at a fractional rate.
 *
 * <p>Interpolation is 4-point cubic Hermite (Catmull-Rom). The rate only ever differs from 1 by a
 * few hundred ppm, so the read position sweeps slowly through every fraction and what matters is
 * that the curve is continuous in value and slope across sample boundaries (no clicks, no
 * zipper); Catmull-Rom is, costs 4 taps, and adds no latency beyond 2 frames of look-ahead. Its
 * mild top-octave droop when the fraction is near one half is far below the network's own damage.
 * At rate exactly 1 from a whole position it returns the input samples bit for bit.
 *
 * <p>The last {@link #HISTORY} frames before the read position are kept so the concealer can look
 * back for the waveform's period.
 */
final class Resampler {
    static final int HISTORY = 1024;
    private static final int CAPACITY = 4096;

    private final float[][] buffer;
    private int end;
    private double position;
    /** Frames dropped from the front so far: buffer index i is frame base + i of everything written. */
    private long base;

    Resampler(int channels) {
        buffer = new float[channels][CAPACITY];
    }

    /** The stream's samples; frames [0, end) are written, more go at {@link #end()}. */
    float[][] buffer() {
        return buffer;
    }

    int end() {
        return end;
    }

    /** Makes room for {@code frames} more at {@link #end()} by dropping history no one needs. */
    void reserve(int frames) {
        int drop = (int) position - HISTORY;
        if (end + frames > CAPACITY && drop > 0) {
            for (float[] ch : buffer) {
                System.arraycopy(ch, drop, ch, 0, end - drop);
            }
            end -= drop;
            position -= drop;
            base += drop;
        }
    }

    /** Commits {@code frames} written at {@link #end()}. */
    void advance(int frames) {
        end += frames;
    }

    /** Frames still missing to render {@code frames} at {@code ratio}; zero or less when none. */
    int shortfall(int frames, double ratio) {
        return (int) Math.floor(position + ratio * (frames - 1)) + 3 - end;
    }

    /** The first frame not yet played: where a gap would begin if the stream stopped now. */
    int playPosition() {
        return (int) position;
    }

    /** Written but not yet read, in (fractional) input frames. */
    double unread() {
        return end - position;
    }

    /** Frames dropped from the front of the buffer so far (see {@link #reserve}). */
    long base() {
        return base;
    }

    /** The read position, in (fractional) buffer frames. */
    double position() {
        return position;
    }

    /** Forgets everything: the next stream starts from scratch. */
    void clear() {
        end = 0;
        position = 0;
    }

    /**
     * Renders {@code frames} output frames into {@code out[channel][off..]} reading {@code ratio}
     * input frames per output frame. A mono stream feeds every output channel; extra stream
     * channels beyond the output's are dropped.
     */
    void render(float[][] out, int off, int frames, double ratio) {
        for (int o = 0; o < out.length; o++) {
            float[] in = buffer[Math.min(o, buffer.length - 1)];
            float[] dst = out[o];
            for (int i = 0; i < frames; i++) {
                double p = position + ratio * i;
                int k = (int) p;
                float t = (float) (p - k);
                float ym1 = in[k > 0 ? k - 1 : k];
                float y0 = in[k];
                float y1 = in[k + 1];
                float y2 = in[k + 2];
                dst[off + i] = y0 + 0.5f * t * (y1 - ym1
                        + t * (2f * ym1 - 5f * y0 + 4f * y1 - y2
                        + t * (3f * (y0 - y1) + y2 - ym1)));
            }
        }
        position += ratio * frames;
    }
}
