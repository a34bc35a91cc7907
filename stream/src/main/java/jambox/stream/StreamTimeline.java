package jambox.stream;

import jambox.protocol.Sequence;

/**
 * Network thread: places each packet of one member on a single, ever-increasing timeline of packet
 * indices, and notices when the sender's stream has restarted.
 *
 * <p>The place comes from the sample position, not the sequence number: a sender numbers every
 * packet it sends (pings too), so sequence gaps are not audio gaps. The sequence number is the
 * cross-check: between two packets of one stream it moves the same way as the position and by at
 * least as many steps. A packet that fails the check is held as a suspect and dropped; if the next
 * packets agree with it rather than with the old stream, the sender has restarted and a new stream
 * begins, otherwise it was garbage.
 */
final class StreamTimeline {
    /** Returned by {@link #place} for a packet that belongs to no stream we play. */
    static final long REJECTED = Long.MIN_VALUE;
    /** Further than this from the newest packet (about 1.4 s at 64 frames) is not the same stream. */
    private static final int FAR_PACKETS = 1024;
    /** A suspect is confirmed by a packet at most this many packets after it. */
    private static final int CONFIRM_WITHIN = 16;

    private boolean started;
    private boolean restarted;
    private int frames;
    private long basePosition;
    private long baseIndex;
    private long newest;
    private int newestSequence;

    private boolean suspect;
    private int suspectSequence;
    private long suspectPosition;
    private int suspectFrames;

    /**
     * The timeline index of a packet, or {@link #REJECTED}. When the packet starts a new stream
     * it gets index {@code freshIndex} and {@link #restarted()} turns true until the next call.
     */
    long place(int sequence, long position, int packetFrames, long freshIndex) {
        restarted = false;
        if (!started) {
            return start(sequence, position, packetFrames, freshIndex);
        }
        if (packetFrames == frames && Math.floorMod(position - basePosition, (long) frames) == 0) {
            long k = Math.floorDiv(position - basePosition, (long) frames);
            if (agree(k - newest, Sequence.distance(sequence, newestSequence))) {
                suspect = false;
                if (k > newest) {
                    newest = k;
                    newestSequence = sequence;
                }
                return baseIndex + k;
            }
        }
        if (suspect && packetFrames == suspectFrames
                && Math.floorMod(position - suspectPosition, (long) packetFrames) == 0) {
            long k = Math.floorDiv(position - suspectPosition, (long) packetFrames);
            if (k >= 1 && k <= CONFIRM_WITHIN && agree(k, Sequence.distance(sequence, suspectSequence))) {
                return start(sequence, position, packetFrames, freshIndex);
            }
        }
        suspect = true;
        suspectSequence = sequence;
        suspectPosition = position;
        suspectFrames = packetFrames;
        return REJECTED;
    }

    /** Starts a new stream at this packet, whatever came before (the reader fell hopelessly behind). */
    long start(int sequence, long position, int packetFrames, long freshIndex) {
        started = true;
        restarted = true;
        suspect = false;
        frames = packetFrames;
        basePosition = position;
        baseIndex = freshIndex;
        newest = 0;
        newestSequence = sequence;
        return freshIndex;
    }

    boolean restarted() {
        return restarted;
    }

    /**
     * Whether a step of {@code packets} in position and {@code steps} in sequence can come from one
     * stream: same direction, at least one sequence step per packet, and not wildly more (the other
     * packet types a sender numbers are a small share of its traffic).
     */
    private static boolean agree(long packets, int steps) {
        long p = Math.abs(packets);
        long s = Math.abs((long) steps);
        return p <= FAR_PACKETS && Long.signum(packets) == Integer.signum(steps) && s >= p && s <= 4 * p + 64;
    }
}
