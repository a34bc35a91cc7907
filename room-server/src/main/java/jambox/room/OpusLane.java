package jambox.room;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import jambox.protocol.Opus;

/**
 * One Opus listener's mix in a mix room, on its way from the tick to the wire. The tick writes
 * the listener's 64-frame blocks into a ring of samples ({@link #put}); the {@code room-opus}
 * thread ({@link MixCoder}) cuts them into 120-frame frames and codes each one ({@link #code}:
 * Concentus allocates tens of KB a frame, so never on the tick); the event loop sends the coded
 * packets ({@link #next}). Each hand-over is one writer and one reader, ordered by a volatile
 * count; a reader that fell a whole ring behind finds its slot overwritten, skips it and counts it.
 *
 * <p>The stream has its own sequence and sample positions: frame {@code f} (counted from the
 * first block the lane saw) is sequence {@code f / 120} at position {@code start + f}. A coder
 * that falls a ring behind skips whole frames, so sequence and position jump together and the
 * box's buffer takes the gap as lost packets.
 */
final class OpusLane {
    /** 64 ms of the listener's mix: a coder descheduled for that long loses the oldest. */
    static final int RING = MixRoom.FRAMES * 48;
    /** Packets coded and not yet sent: 80 ms. */
    static final int PACKETS = 32;
    private static final VarHandle LONG = MethodHandles.arrayElementVarHandle(long[].class);

    final int channels;
    private final Opus.Encoder encoder;
    private final float[][] ring;
    private final float[][] frame;
    // written by the tick, read by the coder
    private volatile long written;
    private long start = -1;
    // written by the coder, read by the event loop
    private long read;
    private final byte[][] bodies = new byte[PACKETS][Opus.MAX_BODY];
    private final int[] lengths = new int[PACKETS];
    private final long[] positions = new long[PACKETS];
    private final int[] sequences = new int[PACKETS];
    private final long[] made = new long[1];
    // the event loop's
    private long sent;
    private long unsent;
    private int takenSequence;
    private long takenPosition;

    /** On the event loop, when the listener joins: the encoder is made here, used by the coder only. */
    OpusLane(int channels, int bitrate) {
        this.channels = channels;
        this.encoder = new Opus.Encoder(channels, bitrate);
        ring = new float[channels][RING];
        frame = new float[channels][Opus.FRAMES];
    }

    // ---- the tick ----

    /** The listener's mix of block {@code k}: {@code src[c][0..64)}. No allocation, no lock. */
    void put(float[][] src, long k) {
        long w = written;
        if (start < 0) {
            start = k * MixRoom.FRAMES; // published by the write of written below
        }
        int at = (int) (w % RING);
        for (int c = 0; c < channels; c++) {
            System.arraycopy(src[c], 0, ring[c], at, MixRoom.FRAMES);
        }
        written = w + MixRoom.FRAMES;
    }

    // ---- the coder ----

    /** Codes every whole frame waiting; returns how many. The {@code room-opus} thread only. */
    int code() {
        long w = written;
        if (w - read > RING - MixRoom.FRAMES) {
            // Behind by nearly a ring: the tick is writing over the oldest. Keep the newest two frames.
            read += (w - read - 2L * Opus.FRAMES) / Opus.FRAMES * Opus.FRAMES;
        }
        int n = 0;
        while (w - read >= Opus.FRAMES) {
            int at = (int) (read % RING);
            int first = Math.min(Opus.FRAMES, RING - at);
            for (int c = 0; c < channels; c++) {
                System.arraycopy(ring[c], at, frame[c], 0, first);
                System.arraycopy(ring[c], 0, frame[c], first, Opus.FRAMES - first);
            }
            VarHandle.loadLoadFence();
            if (written - read > RING - MixRoom.FRAMES) {
                read += Opus.FRAMES; // the tick wrote over it while we copied
                continue;
            }
            long p = (long) LONG.getOpaque(made, 0);
            int slot = (int) (p % PACKETS);
            lengths[slot] = encoder.encode(frame, bodies[slot], 0);
            positions[slot] = start + read;
            sequences[slot] = (int) (read / Opus.FRAMES);
            LONG.setRelease(made, 0, p + 1);
            read += Opus.FRAMES;
            n++;
        }
        return n;
    }

    // ---- the event loop ----

    /**
     * Copies the oldest coded packet not yet taken into {@code packet} at {@code bodyOffset} and
     * returns its body's length, or -1 when none is waiting; its sequence and sample position are
     * then {@link #sequence} and {@link #position}. A packet the coder wrote over before or while
     * the loop copied it is skipped and counted in {@link #unsent}, never handed out torn.
     */
    int next(byte[] packet, int bodyOffset) {
        while (true) {
            long m = (long) LONG.getAcquire(made, 0);
            if (sent >= m) {
                return -1;
            }
            if (m - sent >= PACKETS) {
                unsent += m - PACKETS + 1 - sent; // written over before the loop came to them
                sent = m - PACKETS + 1;
            }
            long k = sent++;
            int slot = (int) (k % PACKETS);
            int length = lengths[slot];
            int sequence = sequences[slot];
            long position = positions[slot];
            System.arraycopy(bodies[slot], 0, packet, bodyOffset, length);
            VarHandle.loadLoadFence();
            // The coder writes packet k + PACKETS into this slot once it has made k + PACKETS.
            if ((long) LONG.getAcquire(made, 0) - k >= PACKETS) {
                unsent++;
                continue;
            }
            takenSequence = sequence;
            takenPosition = position;
            return length;
        }
    }

    /** The sequence number of the packet {@link #next} last returned. */
    int sequence() {
        return takenSequence;
    }

    /** The sample position of the packet {@link #next} last returned. */
    long position() {
        return takenPosition;
    }

    /** Packets coded that the loop never sent (event loop). */
    long unsent() {
        return unsent;
    }
}
