package jambox.appliance.engine;

/**
 * Peak and RMS of one signal, measured on the audio thread and read from any thread. Peak falls
 * back at 20 dB a second (a meter the eye can follow); RMS is a 300 ms running mean of the
 * square. Both are published once a period through volatile fields: no locks.
 */
public final class Meter {
    private float peak;
    private double meanSquare;
    private float peakFall = 1f;
    private double rmsAlpha = 1;
    private volatile float publishedPeak;
    private volatile float publishedRms;

    void format(int sampleRate, int frames) {
        peakFall = (float) Math.pow(10, -20.0 / 20 * frames / sampleRate);
        rmsAlpha = 1 - Math.exp(-frames / (0.300 * sampleRate));
    }

    void measure(float[] x, int n) {
        float max = 0f;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float v = x[i];
            sum += v * v;
            max = Math.max(max, Math.abs(v));
        }
        peak = Math.max(max, peak * peakFall);
        meanSquare += (sum / n - meanSquare) * rmsAlpha;
        publishedPeak = peak;
        publishedRms = (float) Math.sqrt(meanSquare);
    }

    /** Linear peak, 0..; over 1 means clipping at the output. */
    public float peak() {
        return publishedPeak;
    }

    public float rms() {
        return publishedRms;
    }

    public static double dbfs(float linear) {
        return linear <= 0 ? Double.NEGATIVE_INFINITY : 20 * Math.log10(linear);
    }
}
