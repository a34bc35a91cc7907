package jambox.stream;

import java.util.Arrays;

import jambox.protocol.Opus;

/**
 * An Opus member's decoder, fed in the stream's order on the network thread. Opus frames are not
 * independent: each overlaps the one before it, so a frame decoded after the wrong predecessor (a
 * pair swapped on the way) or straight after a gap splices. Frames that arrive ahead of a missing
 * one wait here, as bytes, until it comes; once it is nearly due at the reader, or too many wait,
 * the decoder conceals it (Opus's own concealment, which carries the decoder across the gap; the
 * buffer's concealer still fills the slot) and decodes what waited. A frame that comes after its
 * gap was given up on is too late for the decoder and is dropped.
 *
 * <p>Network thread only. Made at the member's first Opus packet; its memory (a slot of bytes per
 * ring slot) is allocated once, then nothing is allocated here but what Concentus allocates as it
 * decodes.
 */
final class OpusInOrder {
    /**
     * Give a missing frame up once the reader wants it (it is the next the audio thread takes): it
     * is concealed there anyway, and the frames behind it are then decoded in time for theirs.
     */
    private static final int DUE_PACKETS = 0;
    /** ...or when this many frames wait behind it (the reader may not be moving: priming). */
    private static final int MAX_WAITING = 8;

    private final Opus.Decoder decoder;
    private final byte[][] waiting = new byte[PacketRing.SLOTS][Opus.MAX_BODY];
    private final int[] lengths = new int[PacketRing.SLOTS];
    private final long[] indices = new long[PacketRing.SLOTS];
    private final float[][] scratch;
    /** The index the decoder takes next; -1 before the stream's first frame. */
    private long next = -1;
    private long newest = -1;
    private long concealed;

    OpusInOrder(int channels) {
        decoder = new Opus.Decoder(channels);
        scratch = new float[channels][Opus.FRAMES];
        Arrays.fill(indices, -1);
    }

    /** A new stream (a new encoder at the sender) begins at {@code index}. */
    void restart(long index) {
        decoder.reset();
        Arrays.fill(indices, -1);
        next = index;
        newest = index - 1;
    }

    /** Frames the decoder concealed because they had not come in time. */
    long concealed() {
        return concealed;
    }

    /**
     * The frame for {@code index} (checked: one 2.5 ms frame), with the reader at {@code reader}:
     * decodes it and every frame it lets through into {@code ring}. Returns false when the decoder
     * has already gone past it (a gap given up on): the frame is too late and is dropped.
     */
    boolean offer(long index, byte[] b, int off, int length, long reader, PacketRing ring) {
        if (next < 0) {
            restart(index);
        }
        if (index < next) {
            return false;
        }
        int s = slot(index);
        System.arraycopy(b, off, waiting[s], 0, length);
        lengths[s] = length;
        indices[s] = index;
        newest = Math.max(newest, index);
        while (next <= newest) {
            int n = slot(next);
            if (indices[n] == next) {
                indices[n] = -1;
                try {
                    decoder.decode(waiting[n], 0, lengths[n], ring.beginWrite(next));
                    ring.endWrite(next, Opus.FRAMES);
                } catch (RuntimeException e) {
                    // Opus could not read it: the slot stays empty and is concealed when due.
                }
            } else if (next <= reader + DUE_PACKETS || newest - next >= MAX_WAITING) {
                decoder.conceal(scratch);
                concealed++;
            } else {
                break; // the missing frame may still come
            }
            next++;
        }
        return true;
    }

    private static int slot(long index) {
        return (int) (index & (PacketRing.SLOTS - 1));
    }
}
