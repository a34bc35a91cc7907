package jambox.dsp.tuner;

/**
 * A single-producer, single-consumer ring of samples. The audio thread writes and never
 * waits: when the reader falls behind, the oldest samples are simply overwritten. The reader
 * copies the newest window and then checks that the writer did not lap it meanwhile.
 */
public final class SampleRing {
    private final float[] buf;
    private final int mask;
    /** Samples written so far; the writer's only published state. */
    private volatile long written;

    public SampleRing(int minCapacity) {
        int size = Integer.highestOneBit(Math.max(2, minCapacity) - 1) << 1;
        buf = new float[size];
        mask = size - 1;
    }

    public int capacity() {
        return buf.length;
    }

    /** Audio thread: appends {@code n} samples. */
    public void write(float[] src, int n) {
        long w = written;
        for (int i = 0; i < n; i++) {
            buf[(int) (w + i) & mask] = src[i];
        }
        written = w + n;
    }

    public long written() {
        return written;
    }

    /**
     * Reader: copies the newest {@code dst.length} samples into {@code dst}. Returns the write
     * position they end at, or -1 when there are not enough yet or the writer overwrote them
     * during the copy (try again later).
     */
    public long readLatest(float[] dst) {
        long end = written;
        int n = dst.length;
        if (end < n || n > buf.length / 2) {
            return -1;
        }
        long start = end - n;
        for (int i = 0; i < n; i++) {
            dst[i] = buf[(int) (start + i) & mask];
        }
        // If the writer has moved more than the free half of the ring, it may have written over the copy.
        return written - start > buf.length ? -1 : end;
    }
}
