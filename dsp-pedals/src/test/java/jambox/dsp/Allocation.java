package jambox.dsp;

import java.lang.management.ManagementFactory;

/** Bytes allocated by the current thread: the proof that the audio path allocates nothing. */
public final class Allocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocation() {
    }

    /** Bytes the current thread allocated while running {@code work}. */
    public static long bytesDuring(Runnable work) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        work.run();
        long after = THREADS.getCurrentThreadAllocatedBytes();
        // The call itself allocates nothing on HotSpot; measure the empty case anyway so a
        // JVM that does cannot make a pedal look guilty.
        long empty = THREADS.getCurrentThreadAllocatedBytes() - after;
        return Math.max(0, after - before - empty);
    }
}
