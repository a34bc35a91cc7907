package jambox.stream;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

import jambox.protocol.Header;

/**
 * The hand-over between the network thread (writer) and the audio thread (reader): a fixed set of
 * preallocated slots, each holding one packet's decoded samples, addressed by the packet's index
 * on the member's timeline modulo the slot count. Packets may land out of order; the reader asks
 * for exactly the index it wants next.
 *
 * <p>Each slot is guarded like a seqlock: its tag says which packet it holds, is cleared before
 * the writer touches the samples and set (release) after. The reader checks the tag before and
 * after copying, so a slot rewritten under it (a restart, or a packet that arrived at the very
 * moment it was due) reads as missing rather than as torn audio. No locks, no allocation.
 */
final class PacketRing {
    static final int SLOTS = 64;
    private static final long EMPTY = -1L;
    private static final long WRITING = Long.MIN_VALUE;
    private static final VarHandle TAG = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] tags = new long[SLOTS];
    private final int[] frames = new int[SLOTS];
    private final float[][][] samples;

    PacketRing(int channels) {
        samples = new float[SLOTS][channels][Header.MAX_FRAMES];
        Arrays.fill(tags, EMPTY);
    }

    /** Writer: whether the slot for {@code index} already holds that very packet. */
    boolean holds(long index) {
        return (long) TAG.getAcquire(tags, slot(index)) == index;
    }

    /** Writer: claims the slot for {@code index} and returns its sample arrays to decode into. */
    float[][] beginWrite(long index) {
        int s = slot(index);
        TAG.setOpaque(tags, s, WRITING);
        VarHandle.storeStoreFence();
        return samples[s];
    }

    /** Writer: publishes the packet written since {@link #beginWrite}. */
    void endWrite(long index, int frameCount) {
        int s = slot(index);
        frames[s] = frameCount;
        TAG.setRelease(tags, s, index);
    }

    /**
     * Reader: copies packet {@code index} into {@code dst[channel][off..]}; returns its frame count,
     * or -1 when the slot does not hold it (not arrived, or overwritten during the copy).
     */
    int take(long index, float[][] dst, int off) {
        int s = slot(index);
        if ((long) TAG.getAcquire(tags, s) != index) {
            return -1;
        }
        int n = Math.min(frames[s], Header.MAX_FRAMES);
        float[][] src = samples[s];
        for (int c = 0; c < src.length; c++) {
            System.arraycopy(src[c], 0, dst[c], off, n);
        }
        VarHandle.loadLoadFence();
        return (long) TAG.getOpaque(tags, s) == index ? n : -1;
    }

    private static int slot(long index) {
        return (int) (index & (SLOTS - 1));
    }
}
