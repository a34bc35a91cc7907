package jambox.stream;

/**
 * Audio thread: sound for a packet that is not there when it is due.
 *
 * <p>Music is locally periodic, so the best guess for the next few milliseconds is the last cycle
 * of the waveform played again. The cycle length is found by normalised autocorrelation over the
 * last {@value #WINDOW} frames, lags 32..600 (1500 Hz down to 80 Hz), and the shortest lag scoring
 * near the best wins so a pure tone is repeated one cycle at a time rather than several (each
 * repetition rounds the period to whole frames; fewer frames per repetition, less phase error).
 * Repeating one cycle for long turns into a buzz, so after {@value #HOLD_FRAMES} frames the
 * repetition fades to silence over {@value #FADE_FRAMES}. When real audio returns it is crossfaded
 * in over {@value #CROSSFADE} frames from the continuing repetition, so neither edge clicks.
 */
final class Concealer {
    private static final int MIN_LAG = 32;
    private static final int MAX_LAG = 600;
    private static final int WINDOW = 256;
    private static final float NEAR_BEST = 0.95f;
    private static final int HOLD_FRAMES = 240;
    private static final int FADE_FRAMES = 480;
    private static final int CROSSFADE = 64;

    private final float[][] cycle;
    private final float[] scores = new float[MAX_LAG + 1];
    private int period;
    private int phase;
    private int elapsed;
    private boolean active;

    Concealer(int channels) {
        cycle = new float[channels][MAX_LAG];
    }

    boolean active() {
        return active;
    }

    /** The repetition has faded all the way out: what it fills now is silence. */
    boolean silent() {
        return elapsed >= HOLD_FRAMES + FADE_FRAMES;
    }

    /** A gap starts after {@code history[channel][end - 1]}: take the cycle to repeat from there. */
    void begin(float[][] history, int end) {
        period = findPeriod(history[0], end);
        for (int c = 0; c < cycle.length; c++) {
            System.arraycopy(history[c], end - period, cycle[c], 0, period);
        }
        phase = 0;
        elapsed = 0;
        active = true;
    }

    /** Writes {@code frames} frames of concealment into {@code dst[channel][off..]}. */
    void fill(float[][] dst, int off, int frames) {
        for (int i = 0; i < frames; i++) {
            float g = gain();
            for (int d = 0; d < dst.length; d++) {
                dst[d][off + i] = period == 0 ? 0f : g * cycle[Math.min(d, cycle.length - 1)][phase];
            }
            step();
        }
    }

    /** Real audio is in {@code dst[channel][off..off+frames)}: fade it in over the concealment. */
    void handBack(float[][] dst, int off, int frames) {
        int n = Math.min(CROSSFADE, frames);
        for (int i = 0; i < n; i++) {
            float w = (i + 1f) / (n + 1f);
            float g = gain();
            for (int c = 0; c < dst.length; c++) {
                float guess = period == 0 ? 0f : g * cycle[Math.min(c, cycle.length - 1)][phase];
                dst[c][off + i] = w * dst[c][off + i] + (1f - w) * guess;
            }
            step();
        }
        active = false;
    }

    private float gain() {
        return elapsed < HOLD_FRAMES ? 1f : Math.max(0f, 1f - (float) (elapsed - HOLD_FRAMES) / FADE_FRAMES);
    }

    private void step() {
        elapsed = Math.min(elapsed + 1, HOLD_FRAMES + FADE_FRAMES);
        if (period > 0 && ++phase == period) {
            phase = 0;
        }
    }

    /** The waveform's period in frames, or 0 when there is too little history to repeat. */
    private int findPeriod(float[] x, int end) {
        int maxLag = Math.min(MAX_LAG, end - WINDOW);
        if (maxLag < MIN_LAG) {
            return 0;
        }
        float best = 0f;
        for (int lag = MIN_LAG; lag <= maxLag; lag++) {
            float s = similarity(x, end, lag);
            scores[lag] = s;
            best = Math.max(best, s);
        }
        if (best <= 0f) {
            return maxLag;
        }
        for (int lag = MIN_LAG; lag <= maxLag; lag++) {
            if (scores[lag] >= NEAR_BEST * best && (lag == maxLag || scores[lag] >= scores[lag + 1])) {
                return lag;
            }
        }
        return maxLag;
    }

    /** Normalised correlation of the last window with the window {@code lag} frames earlier. */
    private static float similarity(float[] x, int end, int lag) {
        float xy = 0f;
        float xx = 0f;
        float yy = 0f;
        for (int i = end - WINDOW; i < end; i += 2) {
            float a = x[i];
            float b = x[i - lag];
            xy += a * b;
            xx += a * a;
            yy += b * b;
        }
        return xx > 0f && yy > 0f ? xy / (float) Math.sqrt(xx * yy) : 0f;
    }
}
