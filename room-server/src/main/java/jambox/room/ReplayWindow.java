package jambox.room;

import jambox.protocol.Sequence;

/**
 * Which of the last 64 sequence numbers were seen, so a duplicate or a replayed packet is
 * dropped while a merely reordered one still passes (late, but new).
 */
final class ReplayWindow {
    static final int SIZE = 64;

    enum Verdict { NEXT, GAP, LATE, DUPLICATE, TOO_OLD }

    private boolean started;
    private int highest;
    private long seen; // bit i: highest - i was seen
    private int skipped;

    /** Classifies a sequence number and records it. GAP means packets between were skipped. */
    Verdict accept(int sequence) {
        if (!started) {
            started = true;
            highest = sequence;
            seen = 1;
            return Verdict.NEXT;
        }
        int d = Sequence.distance(sequence, highest);
        if (d > 0) {
            seen = d >= SIZE ? 1 : (seen << d) | 1;
            highest = sequence;
            skipped = d - 1;
            return d == 1 ? Verdict.NEXT : Verdict.GAP;
        }
        int back = -d;
        if (back >= SIZE) {
            return Verdict.TOO_OLD;
        }
        long bit = 1L << back;
        if ((seen & bit) != 0) {
            return Verdict.DUPLICATE;
        }
        seen |= bit;
        return Verdict.LATE;
    }

    /** How many sequence numbers the last GAP jumped over. */
    int skipped() {
        return skipped;
    }
}
