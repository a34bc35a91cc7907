package jambox.common;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded lock-free queue for exactly one producer thread and one consumer thread. Unlike a
 * locked queue it never allocates, even when both sides meet, so the event loop can hand slots
 * to the writer without garbage.
 */
public final class SpscRing<T> {
    private final Object[] items;
    private final int mask;
    private final AtomicLong head = new AtomicLong(); // next to take; written by the consumer
    private final AtomicLong tail = new AtomicLong(); // next to fill; written by the producer

    public SpscRing(int capacityPowerOfTwo) {
        if (Integer.bitCount(capacityPowerOfTwo) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two");
        }
        items = new Object[capacityPowerOfTwo];
        mask = capacityPowerOfTwo - 1;
    }

    /** Producer side: false when full. */
    public boolean offer(T item) {
        long t = tail.get();
        if (t - head.get() == items.length) {
            return false;
        }
        items[(int) t & mask] = item;
        tail.lazySet(t + 1); // publishes the item: the consumer reads tail before the slot
        return true;
    }

    /** Consumer side: null when empty. */
    @SuppressWarnings("unchecked")
    public T poll() {
        long h = head.get();
        if (h == tail.get()) {
            return null;
        }
        int i = (int) h & mask;
        T item = (T) items[i];
        items[i] = null;
        head.lazySet(h + 1);
        return item;
    }
}
