package jambox.stream;

/** Measurements on recorded samples: level and frequency, the two things a listener notices. */
final class Signals {
    private Signals() {
    }

    static double rmsDb(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += (double) v * v;
        }
        return 10 * Math.log10(sum / x.length);
    }

    /** Frequency from rising zero crossings, each placed between samples by linear interpolation. */
    static double frequency(float[] x, int sampleRate) {
        double first = -1;
        double last = -1;
        int crossings = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i - 1] < 0 && x[i] >= 0) {
                double at = i - 1 + x[i - 1] / (double) (x[i - 1] - x[i]);
                if (first < 0) {
                    first = at;
                }
                last = at;
                crossings++;
            }
        }
        return crossings < 2 ? 0 : (crossings - 1) * sampleRate / (last - first);
    }
}
