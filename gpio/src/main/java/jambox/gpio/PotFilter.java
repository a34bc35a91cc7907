package jambox.gpio;

/**
 * A pot's raw ADC counts to a knob position that stays still while the pot does. An exponential average
 * takes off the fast noise; then the position follows the average only when it leaves a dead band
 * around the position, dragging the band along (backlash). The band is {@code 2 * (hysteresis - 1)} counts
 * either side, which is what makes any noise of less than {@code hysteresis} counts either way of where the
 * pot rests give no change at all, wherever in that noise the first reading fell. While the pot moves the
 * position moves count by count, so nothing is lost in resolution but the band at each end.
 */
final class PotFilter {

    static final int MAX_COUNT = 1023;
    /** Weight of each new reading: at 100 readings a second the average follows a move within ~40 ms. */
    private static final double SMOOTHING = 0.25;

    private final int band;
    private double average = Double.NaN;
    private int tracked;

    /** @param hysteresis noise of fewer counts than this, either way, never moves the position (>= 1) */
    PotFilter(int hysteresis) {
        if (hysteresis < 1) {
            throw new IllegalArgumentException("hysteresis must be at least 1 count, not " + hysteresis);
        }
        band = 2 * (hysteresis - 1);
    }

    /**
     * One reading, 0..1023. Returns the new position 0..1 when it changed, or NaN when it did not
     * (the first reading only sets where the pot is: nothing moved yet).
     */
    double update(int raw) {
        if (Double.isNaN(average)) {
            average = raw;
            tracked = raw;
            return Double.NaN;
        }
        average += SMOOTHING * (raw - average);
        int smoothed = (int) Math.round(average);
        int next = Math.clamp(tracked, smoothed - band, smoothed + band);
        if (next == tracked) {
            return Double.NaN;
        }
        double before = position(tracked);
        tracked = next;
        double after = position(tracked);
        return after == before ? Double.NaN : after;
    }

    /** Where the pot is, 0..1; NaN before the first reading. */
    double position() {
        return Double.isNaN(average) ? Double.NaN : position(tracked);
    }

    /** The band keeps the tracked value {@code band} counts off each end: those ends are 0 and 1. */
    private double position(int counts) {
        return Math.clamp((counts - band) / (double) (MAX_COUNT - 2 * band), 0, 1);
    }
}
