package jambox.midi;

import jambox.surface.SurfaceListener;

/**
 * What the MIDI surface says: everything a knob or a footswitch can, and one thing more, a preset
 * chosen by its number (a program change, or a binding that names the preset). Called on the MIDI
 * thread; the same rule as for every surface: hand the intent over and return at once.
 */
public interface MidiListener extends SurfaceListener {

    /** Load the preset at {@code index} in the preset list (0 is the first); past the end, nothing. */
    void loadPreset(int index);
}
