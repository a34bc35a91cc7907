package jambox.surface;

import java.util.Arrays;

/**
 * Keeps a pot or a MIDI fader (an absolute control) from yanking its parameter. When the box's value changes under the pot (a preset loads,
 * the web page turns the parameter), the pot lets go; it takes hold again only when it is turned to
 * within {@link #CATCH} of the box's value or across it. Until the box says anything, the pot holds.
 * The box also reports the pot's own changes back, late: a value the pot sent lately is its echo and
 * does not make it let go, or a fast turn would keep dropping the parameter.
 *
 * <p>One behaviour for every surface: the GPIO pots and the MIDI controllers both use this class.
 * Not thread-safe: each surface calls it from its own thread only.
 */
public final class SoftTakeover {

    /** How near the box's value the pot must come to catch it: 2 % of the range. */
    public static final double CATCH = 0.02;
    /** How many of the pot's last values count as echoes: 16 readings, 160 ms at 100 Hz. */
    private static final int ECHOES = 16;

    private final double[] sent = new double[ECHOES];
    private int nextSent;
    private boolean holding = true;
    private double boxValue = Double.NaN;
    private double potPosition = Double.NaN;

    public SoftTakeover() {
        Arrays.fill(sent, Double.NaN);
    }

    /** The box's value now, 0..1. */
    public void current(double value) {
        if (holding && isEcho(value)) {
            return;
        }
        boxValue = value;
        holding = near(potPosition, value);
    }

    /** The pot's first reading: where it stands, not a move. */
    public void rests(double position) {
        potPosition = position;
        if (!Double.isNaN(boxValue)) {
            holding = near(position, boxValue);
        }
    }

    /** The pot moved to {@code position}; true when that move should reach the box. */
    public boolean moved(double position) {
        double from = potPosition;
        potPosition = position;
        if (!holding) {
            boolean crossed = !Double.isNaN(from) && (from - boxValue) * (position - boxValue) <= 0;
            holding = near(position, boxValue) || crossed;
        }
        if (holding) {
            boxValue = position;
            sent[nextSent] = position;
            nextSent = (nextSent + 1) % ECHOES;
        }
        return holding;
    }

    private boolean isEcho(double value) {
        for (double s : sent) {
            if (near(s, value)) {
                return true;
            }
        }
        return false;
    }

    /** NaN is near nothing. */
    private static boolean near(double a, double b) {
        return Math.abs(a - b) <= CATCH;
    }
}
