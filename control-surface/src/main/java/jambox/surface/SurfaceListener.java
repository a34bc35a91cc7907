package jambox.surface;

/**
 * What a control surface says: the box's own knobs and footswitches (the gpio module), a MIDI
 * controller, anything else a player touches. The box implements it once and every surface calls
 * it the same way.
 *
 * <p>Threads: each surface calls from its own thread (the knobs from {@code jambox-gpio}, MIDI from
 * its input thread), in the order things happened on that surface. An implementation never blocks:
 * it hands the intent to the box's control thread and returns at once, so a command that takes a
 * while (a pedal fading out, a preset loading) never delays a knob, a switch or an LED after it.
 */
public interface SurfaceListener {

    /** A pot or fader moved: its position 0..1, after smoothing, hysteresis and soft takeover. */
    void absolute(Target target, double position);

    /**
     * An encoder turned: detents since the last call (always one detent's worth, times the acceleration),
     * the sign is the direction. For PRESET, +1 is next and -1 previous, never accelerated.
     */
    void relative(Target target, int steps);

    /**
     * Where a value in the target's own units (a parameter's Hz, ms, %...; dB for the master and
     * the monitors) sits on its travel 0..1, by the target's taper: how a control bound over a
     * heel..toe span of the values finds its ends. NaN when the target is unknown. Any thread;
     * this default knows no units.
     */
    default double travel(Target target, double value) {
        return Double.NaN;
    }

    /** A footswitch, button or encoder push gesture (tap, double tap or long press) bound to this target. PRESET means next. */
    void pressed(Target target);
}
