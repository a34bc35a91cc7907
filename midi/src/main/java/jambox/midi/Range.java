package jambox.midi;

import jambox.surface.Target;

/**
 * The span of a target's values an absolute CC sweeps, in the target's own units (the parameter's:
 * Hz, ms, ...; dB for the master and the monitor). {@code min} is where the fader is at 0 (an
 * expression pedal's heel) and {@code max} where it is at 127 (its toe), so {@code min > max}
 * turns the fader round. In the map a TAPER range is written {@code heel}/{@code toe}, the others
 * {@code min}/{@code max}.
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

    /** The value at {@code travel} (0..1) of the fader, for a LINEAR or LOG range (a TAPER one needs the target's taper: {@link #position}). */
    public double value(double travel) {
        if (curve == Curve.TAPER) {
            throw new IllegalStateException("a taper range has no value without its target's taper");
        }
        return curve == Curve.LOG ? min * Math.pow(max / min, travel) : min + travel * (max - min);
    }

    /** Where {@code travelled} (0..1 of the fader) puts {@code target} on its own travel; NaN when {@code travel} cannot place it. */
    public double position(Target target, double travelled, Travel travel) {
        if (curve == Curve.TAPER) {
            double heel = travel.position(target, min);
            return heel + travelled * (travel.position(target, max) - heel);
        }
        return travel.position(target, value(travelled));
    }
}
