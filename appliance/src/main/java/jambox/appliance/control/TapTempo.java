package jambox.appliance.control;

/**
 * Tap tempo: the player taps the beat; from the fourth tap on, the tempo is the average of the
 * last three intervals. A pause longer than two seconds starts counting again.
 */
final class TapTempo {
    private static final long RESET_NANOS = 2_000_000_000L;
    private static final int TAPS = 4;

    private final long[] times = new long[TAPS];
    private int taps;

    /** One tap at {@code nanos}; returns the tempo in bpm, or NaN until there are enough taps. */
    double tap(long nanos) {
        if (taps > 0 && nanos - times[(taps - 1) % TAPS] > RESET_NANOS) {
            taps = 0;
        }
        times[taps % TAPS] = nanos;
        taps++;
        if (taps < TAPS) {
            return Double.NaN;
        }
        long first = times[(taps - TAPS) % TAPS];
        double beat = (nanos - first) / (double) (TAPS - 1);
        return 60e9 / beat;
    }

    int taps() {
        return taps;
    }
}
