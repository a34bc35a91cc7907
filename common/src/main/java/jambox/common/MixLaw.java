package jambox.common;

/**
 * The law of one mixer strip, written once for the box's headphone mix and the room server's
 * mix-minus, so that a player's faders sound the same whichever of the two applies them.
 *
 * <p>A strip takes one mono channel into a stereo pair. Its gain is in dB (-120 and below is
 * silence), its pan is constant-power (-3 dB per side at the centre, so moving a player across
 * the stage makes them neither louder nor softer), and a mute is a gain of 0. The two resulting
 * side gains never jump: once a block they move a one-pole step toward their targets (time
 * constant {@link #GLIDE_SECONDS}), and across the block the gain is ramped linearly from the old
 * value to the new one. A settled gain lands exactly on its target, so a resting strip is
 * bit-exact and leaves no tail of tiny steps.
 *
 * <p>Pure arithmetic: no state, no I/O, no allocation. Callers keep the state (target and current
 * side gains) wherever suits them: objects on the box, flat arrays on the server.
 */
public final class MixLaw {
    /** Time constant of every strip's glide. */
    public static final double GLIDE_SECONDS = 0.010;

    /**
     * A glide lands on its target once this close, relative to the target (absolute below 1):
     * -80 dB, wider than where a float one-pole stalls at any rate up to 192 kHz.
     */
    public static final float LANDING = 1e-4f;

    /** Faders go from here (silence) ... */
    public static final double MIN_DB = -120;
    /** ... to here. */
    public static final double MAX_DB = 12;

    private MixLaw() {
    }

    /** A gain in dB as a linear factor; {@link #MIN_DB} and below are exactly 0. */
    public static float fromDb(double db) {
        return db <= MIN_DB ? 0f : (float) Math.pow(10, db / 20);
    }

    /** The left side's target gain for a strip at {@code db}, muted or not, panned to {@code pan} (-1 .. 1). */
    public static float left(double db, boolean mute, double pan) {
        return mute ? 0f : (float) (fromDb(db) * Math.cos(angle(pan)));
    }

    /** The right side's target gain: see {@link #left}. */
    public static float right(double db, boolean mute, double pan) {
        return mute ? 0f : (float) (fromDb(db) * Math.sin(angle(pan)));
    }

    private static double angle(double pan) {
        return (pan + 1) * Math.PI / 4;
    }

    /**
     * The share of the way to its target a gain covers in a block of {@code frames} at
     * {@code sampleRate}, with time constant {@code seconds}; 0 seconds jumps (a share of 1).
     * Worked out once per block size, not per block.
     */
    public static float blockShare(double seconds, float sampleRate, int frames) {
        return (float) (1 - Math.exp(-frames / (seconds * sampleRate)));
    }

    /** {@link #blockShare} with the strips' own time constant. */
    public static float blockShare(float sampleRate, int frames) {
        return blockShare(GLIDE_SECONDS, sampleRate, frames);
    }

    /** A gain's value at the end of the block: one step from {@code current} toward {@code target}. */
    public static float glide(float current, float target, float share) {
        if (current == target) {
            return target;
        }
        float next = current + (target - current) * share;
        return Math.abs(target - next) <= LANDING * Math.max(1f, Math.abs(target)) ? target : next;
    }

    /**
     * Adds {@code src[0..n)} into {@code outL} and {@code outR}, the side gains ramped across the
     * block from {@code l0}, {@code r0} (where the last block ended) to {@code l1}, {@code r1}. A
     * strip settled at silence costs nothing. Plain counted loops over float arrays: C2 turns
     * them into vector instructions.
     */
    public static void mixInto(float[] src, float[] outL, float[] outR, int n,
                               float l0, float l1, float r0, float r1) {
        if (l0 == l1 && r0 == r1) {
            if (l1 == 0f && r1 == 0f) {
                return;
            }
            for (int i = 0; i < n; i++) {
                float v = src[i];
                outL[i] += v * l1;
                outR[i] += v * r1;
            }
            return;
        }
        float dl = (l1 - l0) / n;
        float dr = (r1 - r0) / n;
        for (int i = 0; i < n; i++) {
            float v = src[i];
            outL[i] += v * (l0 + dl * (i + 1));
            outR[i] += v * (r0 + dr * (i + 1));
        }
    }
}
