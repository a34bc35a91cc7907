package jambox.midi;

import jambox.surface.Target;

/**
 * Where a target's value, in its own units, sits on its travel 0..1 (the knob's scale on the page):
 * the box knows each parameter's range and taper, the MIDI module does not. Used for bindings with
 * a {@link Range}; NaN when the target is unknown (a pedal that is no pedal type), and the move is dropped.
 */
@FunctionalInterface
public interface Travel {

    double position(Target target, double value);
}
