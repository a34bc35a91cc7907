package jambox.appliance.engine;

/**
 * A gain any thread may set and the audio thread applies without clicks: each period it moves a
 * step of a 10 ms glide toward the target and ramps linearly across the period to that step.
 */
final class Gain {
    private volatile float target;
    private float current;

    Gain(float initial) {
        target = initial;
        current = initial;
    }

    void set(float linear) {
        target = linear;
    }

    float target() {
        return target;
    }

    // ---- audio thread ----

    /** The gain at the start of this period; {@link #step} gives the one at its end. */
    float current() {
        return current;
    }

    /** Advances the glide by one period ({@code alpha} from {@link #alpha}); returns the new gain. */
    float step(float alpha) {
        float t = target;
        float next = current + (t - current) * alpha;
        if (Math.abs(t - next) < 1e-4f) {
            next = t; // -80 dB from the target: settle exactly, so a resting gain costs no ramp and unity is bit-exact
        }
        current = next;
        return next;
    }

    /** The per-period glide factor for a 10 ms time constant. */
    static float alpha(int frames, int sampleRate) {
        return (float) (1 - Math.exp(-frames / (0.010 * sampleRate)));
    }

    static float fromDb(double db) {
        return db <= -120 ? 0f : (float) Math.pow(10, db / 20);
    }
}
