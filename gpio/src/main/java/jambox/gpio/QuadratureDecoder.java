package jambox.gpio;

/**
 * Counts detents from an encoder's two contact levels. Every legal transition (one contact changes)
 * moves a quarter-step counter by one, so a bouncing contact only walks back and forth between two
 * neighbouring states and nets nothing. A detent is reported when the contacts arrive at a rest state
 * (where the encoder clicks in) with the counter more than half a detent away from zero, and the counter
 * starts again there: a transition lost to a missed sample costs at most that one detent and does not
 * shift every later one. The rest state is the one the contacts are in when the decoder is made
 * (an encoder at rest sits in a detent), so it works whether the detents are at both-open or both-closed.
 */
final class QuadratureDecoder {

    /** Quarter steps from state (a << 1 | b) to state: +1 for A leading B (00, 10, 11, 01), 0 for none or both changed. */
    private static final int[][] STEP = {
            //  to 00 01 10 11
            {0, -1, +1, 0},  // from 00
            {+1, 0, 0, -1},  // from 01
            {-1, 0, 0, +1},  // from 10
            {0, +1, -1, 0},  // from 11
    };

    private final int transitionsPerDetent;
    private final int rest;
    private int state;
    private int quarters;

    /** @param transitionsPerDetent 4 (one rest state), 2 (two opposite rest states) or 1 (every state rests) */
    QuadratureDecoder(int transitionsPerDetent, boolean a, boolean b) {
        if (transitionsPerDetent != 1 && transitionsPerDetent != 2 && transitionsPerDetent != 4) {
            throw new IllegalArgumentException("transitions per detent: 4, 2 or 1, not " + transitionsPerDetent);
        }
        this.transitionsPerDetent = transitionsPerDetent;
        this.state = code(a, b);
        this.rest = state;
    }

    /** The contacts' levels now; returns the detents completed: +1, -1 or 0. */
    int update(boolean a, boolean b) {
        int next = code(a, b);
        if (next == state) {
            return 0;
        }
        quarters += STEP[state][next];
        state = next;
        if (!isRest(next)) {
            return 0;
        }
        int detent = 2 * Math.abs(quarters) >= transitionsPerDetent ? Integer.signum(quarters) : 0;
        quarters = 0;
        return detent;
    }

    private boolean isRest(int s) {
        return switch (transitionsPerDetent) {
            case 4 -> s == rest;
            case 2 -> s == rest || s == (rest ^ 0b11);
            default -> true;
        };
    }

    private static int code(boolean a, boolean b) {
        return (a ? 2 : 0) | (b ? 1 : 0);
    }
}
