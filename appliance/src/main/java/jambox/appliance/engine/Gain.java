package jambox.appliance.engine;

import jambox.common.MixLaw;
import jambox.dsp.Smoothed;

/**
 * The engine's gains: set in dB from any thread, applied by the audio thread as {@link Smoothed}
 * one-pole glides, a step per period ramped linearly across the period, so that a fader or a mute
 * never clicks.
 */
final class Gain {
    /** Time constant of every gain's glide: the strips' (see {@link MixLaw}). */
    static final double SECONDS = MixLaw.GLIDE_SECONDS;

    private Gain() {
    }

    /** A gain starting at {@code initial} (linear), gliding to whatever it is set to. */
    static Smoothed smoothed(float initial) {
        return Smoothed.exponential(SECONDS, initial);
    }

    static float fromDb(double db) {
        return MixLaw.fromDb(db);
    }
}
