package jambox.protocol;

/**
 * Sequence numbers are 32-bit counters that wrap. Comparisons use serial-number arithmetic
 * (RFC 1982): a is after b when the signed 32-bit difference a - b is positive.
 */
public final class Sequence {
    private Sequence() {
    }

    /** How far a is ahead of b (negative when behind), correct across the wrap. */
    public static int distance(int a, int b) {
        return a - b;
    }

    public static boolean isAfter(int a, int b) {
        return a - b > 0;
    }
}
