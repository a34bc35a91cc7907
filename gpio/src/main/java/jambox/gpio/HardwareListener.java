package jambox.gpio;

/**
 * What the box's controls say. Every call comes on the one hardware thread ({@code jambox-gpio}),
 * in the order things happened; a call that blocks delays every knob, switch and LED after it.
 */
public interface HardwareListener {

    /** A pot moved: its knob position 0..1, after smoothing, hysteresis and soft takeover. */
    void absolute(Target target, double position);

    /**
     * An encoder turned: detents since the last call (always one detent's worth, times the acceleration),
     * the sign is the direction. For PRESET, +1 is next and -1 previous, never accelerated.
     */
    void relative(Target target, int steps);

    /** A footswitch or encoder push gesture (tap, double tap or long press) bound to this target. PRESET means next. */
    void pressed(Target target);
}
