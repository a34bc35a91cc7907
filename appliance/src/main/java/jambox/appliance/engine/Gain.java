package jambox.appliance.engine;

import jambox.dsp.Smoothed;

/**
 * The engine's gains: set in dB from any thread, applied by the audio thread as {@link Smoothed}
 * one-pole glides, a step per period ramped linearly across the period, so that a fader or a mute
 * never clicks.
 */
final class Gain {
    /** Time constant of every gain's glide. */
    static final double SECONDS = 0.010;

    private Gain() {
    }

    /** A gain starting at {@code initial} (linear), gliding to whatever it is set to. */
    static Smoothed smoothed(float initial) {
        return Smoothed.exponential(SECONDS, initial);
    }

    static float fromDb(double db) {
        return db <= -120 ? 0f : (float) Math.pow(10, db / 20);
    }
}
