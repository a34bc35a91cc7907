package jambox.appliance.engine;

/**
 * Peak and RMS of one signal, measured on the audio thread and read from any thread. Peak falls
 * back at 20 dB a second (a meter the eye can follow); RMS is a 300 ms running mean of the
 * square. Both are published once a period through volatile fields: no locks.
 *
 * <p>Clipping is counted too: samples at or over the meter's full scale. The audio thread is the
 * only writer of a running total (a plain volatile add, no compare-and-set); the reader keeps
 * where it last read and takes the difference, so a read "resets" the count without the audio
 * thread ever waiting or retrying.
 */
public final class Meter {
    /** Full scale of a float signal: at or over it, a converter or a file clips. */
    static final float FULL_SCALE = 1f;
    /**
     * Full scale of a signal that was integers (an audio interface's 24-bit samples, a member's
     * PCM16 or PCM24 stream): the largest is 1 - 2^-23 or 1 - 2^-15 as a float, never 1.0, so a
     * clip is caught just below (-0.009 dBFS).
     */
    static final float INTEGER_FULL_SCALE = 0.999f;

    private final float clipAt;
    private float peak;
    private double meanSquare;
    private float peakFall = 1f;
    private double rmsAlpha = 1;
    private volatile float publishedPeak;
    private volatile float publishedRms;
    private volatile long clips;
    private long clipsTaken;

    Meter() {
        this(FULL_SCALE);
    }

    Meter(float clipAt) {
        this.clipAt = clipAt;
    }

    void format(int sampleRate, int frames) {
        peakFall = (float) Math.pow(10, -20.0 / 20 * frames / sampleRate);
        rmsAlpha = 1 - Math.exp(-frames / (0.300 * sampleRate));
    }

    // ---- audio thread ----

    void measure(float[] x, int n) {
        measure(x, n, 1f);
    }

    /**
     * Measures {@code x[0..n)} scaled by {@code gain}: a strip's level after its fader, without
     * a buffer to hold the scaled copy. A gain of 0 (muted) skips the samples and lets the
     * meter fall.
     */
    void measure(float[] x, int n, float gain) {
        float max = 0f;
        double sum = 0;
        int over = 0;
        if (gain != 0f) {
            float limit = clipAt / gain;
            for (int i = 0; i < n; i++) {
                float v = x[i];
                float a = Math.abs(v);
                sum += v * v;
                max = Math.max(max, a);
                over += a >= limit ? 1 : 0;
            }
            max *= gain;
            sum *= (double) gain * gain;
        }
        peak = Math.max(max, peak * peakFall);
        meanSquare += (sum / n - meanSquare) * rmsAlpha;
        publishedPeak = peak;
        publishedRms = (float) Math.sqrt(meanSquare);
        if (over != 0) {
            clips += over; // single writer: the audio thread
        }
    }

    // ---- any thread ----

    /** Linear peak, 0..; over 1 means clipping at the output. */
    public float peak() {
        return publishedPeak;
    }

    public float rms() {
        return publishedRms;
    }

    /** Samples at or over full scale since this meter started. */
    public long clips() {
        return clips;
    }

    /**
     * Samples at or over full scale since the last call: the read clears the count. Meant for
     * one reader (the meters push); the lock is the readers' only, the audio thread never takes it.
     */
    public synchronized int takeClips() {
        long now = clips;
        long since = now - clipsTaken;
        clipsTaken = now;
        return (int) Math.min(since, Integer.MAX_VALUE);
    }

    public static double dbfs(float linear) {
        return linear <= 0 ? Double.NEGATIVE_INFINITY : 20 * Math.log10(linear);
    }
}
