package jambox.gpio;

/**
 * Turns detents into steps: one step each when the knob is turned slowly (fine setting), up to
 * {@link #MAX_STEPS} each when it is spun (crossing the range in a flick). The speed is taken over the
 * last couple of detents so one jittery interval does not jump; a change of direction starts slow again.
 */
final class Acceleration {

    /** At or below this many detents a second, a detent is one step. */
    static final double SLOW = 8;
    /** At or above this many detents a second, a detent is {@link #MAX_STEPS} steps. */
    static final double FAST = 40;
    static final int MAX_STEPS = 8;
    /** A pause this long forgets the speed. */
    private static final long PAUSE_NANOS = 250_000_000L;

    private long lastNanos;
    private int lastDirection;
    private double interval;

    /** A detent in {@code direction} (+1 or -1) at {@code nanos}; returns the signed steps it is worth. */
    int steps(int direction, long nanos) {
        long since = nanos - lastNanos;
        boolean fresh = direction != lastDirection || since > PAUSE_NANOS || since <= 0;
        lastNanos = nanos;
        lastDirection = direction;
        if (fresh) {
            interval = PAUSE_NANOS;
            return direction;
        }
        interval = (interval + since) / 2;
        double rate = 1e9 / interval;
        double speed = Math.clamp((rate - SLOW) / (FAST - SLOW), 0, 1);
        return direction * (int) Math.round(1 + speed * (MAX_STEPS - 1));
    }
}
