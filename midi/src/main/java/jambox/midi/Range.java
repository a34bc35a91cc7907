package jambox.midi;

/**
 * The span of a target's values an absolute CC sweeps, in the target's own units (the parameter's:
 * Hz, ms, ...; dB for the master and the monitor). {@code min} is where the fader is at 0 and
 * {@code max} where it is at 127, so {@code min > max} turns the fader round.
 */
public record Range(double min, double max, Curve curve) {

    public Range {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("min and max must be numbers, not " + min + " and " + max);
        }
        if (min == max) {
            throw new IllegalArgumentException("min and max are both " + min + ": the fader would do nothing");
        }
        if (curve == Curve.LOG && (min <= 0 || max <= 0)) {
            throw new IllegalArgumentException("a log curve needs min and max above 0, not " + min + " and " + max);
        }
    }

    /** The value at {@code travel} (0..1) of the fader. */
    public double value(double travel) {
        return curve == Curve.LOG ? min * Math.pow(max / min, travel) : min + travel * (max - min);
    }
}
