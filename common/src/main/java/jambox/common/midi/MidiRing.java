package jambox.common.midi;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded lock-free queue of MIDI events for exactly one producer thread and one consumer
 * thread, where each slot is preallocated: a frame time, a length and a byte array of
 * {@link #maxBytes} bytes. The producer fills a slot in place ({@link #claim}, then {@link #publish});
 * the consumer reads it in place ({@link #peek}, then {@link #release}). Nothing is allocated after
 * construction, so either side may be an audio thread.
 */
public final class MidiRing {
    private final long[] frames;
    private final int[] lengths;
    private final byte[][] data;
    private final int mask;
    private final int maxBytes;
    private final AtomicLong head = new AtomicLong(); // next to read; written by the consumer
    private final AtomicLong tail = new AtomicLong(); // next to fill; written by the producer

    /**
     * @param capacity a power of two: how many events may wait
     * @param maxBytes the longest event a slot holds
     */
    public MidiRing(int capacity, int maxBytes) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two, not " + capacity);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("a slot must hold at least one byte");
        }
        this.mask = capacity - 1;
        this.maxBytes = maxBytes;
        frames = new long[capacity];
        lengths = new int[capacity];
        data = new byte[capacity][maxBytes];
    }

    public int capacity() {
        return frames.length;
    }

    public int maxBytes() {
        return maxBytes;
    }

    /** Producer: the bytes of the next free slot, to fill from index 0; null when the ring is full. */
    public byte[] claim() {
        long t = tail.get();
        if (t - head.get() == frames.length) {
            return null;
        }
        return data[(int) t & mask];
    }

    /** Producer: the slot last {@link #claim claimed} now holds an event of {@code length} bytes at {@code frame}. */
    public void publish(long frame, int length) {
        if (length < 1 || length > maxBytes) {
            throw new IllegalArgumentException("an event of " + length + " bytes does not fit a slot of " + maxBytes);
        }
        long t = tail.get();
        int i = (int) t & mask;
        frames[i] = frame;
        lengths[i] = length;
        tail.lazySet(t + 1); // publishes the slot: the consumer reads tail before the slot
    }

    /** Consumer: whether an event waits. */
    public boolean isEmpty() {
        return head.get() == tail.get();
    }

    /** Consumer: the oldest event's bytes (valid up to {@link #length()}), or null when the ring is empty. */
    public byte[] peek() {
        long h = head.get();
        return h == tail.get() ? null : data[(int) h & mask];
    }

    /** Consumer, after a non-null {@link #peek}: the oldest event's frame time. */
    public long frame() {
        return frames[(int) head.get() & mask];
    }

    /** Consumer, after a non-null {@link #peek}: the oldest event's length. */
    public int length() {
        return lengths[(int) head.get() & mask];
    }

    /** Consumer: done with the oldest event; its slot goes back to the producer. */
    public void release() {
        long h = head.get();
        if (h == tail.get()) {
            throw new IllegalStateException("nothing to release: the ring is empty");
        }
        head.lazySet(h + 1);
    }

    /** Events waiting; a snapshot, exact only on the producer's or consumer's own thread. */
    public int size() {
        return (int) (tail.get() - head.get());
    }
}
