package jambox.appliance.audio;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A known engine for the backend tests: channel 1 at half gain, channel 2 inverted. It also keeps
 * what the tests look at: formats announced, periods seen, and the audio thread's allocation over a
 * window of periods (via HotSpot's per-thread allocation counter, which itself allocates nothing).
 */
final class GainInvertEngine implements PeriodCallback {
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    final List<String> formats = new CopyOnWriteArrayList<>();
    /** Formats announced on the thread that runs the periods: there a format could allocate. */
    volatile int formatsOnAudioThread;
    /** The thread of the latest period (JACK's process thread). */
    volatile Thread audioThread;
    volatile long periods;
    volatile int lastFrames;
    volatile int overrunOnceMillis;
    volatile boolean throwOnce;

    private volatile long windowFrom = Long.MAX_VALUE;
    private long windowTo;
    private long bytesAtFrom;
    private Thread threadAtFrom;
    private volatile long windowBytes = -1;
    private volatile boolean windowOneThread;
    private volatile CountDownLatch windowDone = new CountDownLatch(0);

    @Override
    public void format(int sampleRate, int frames) {
        formats.add(sampleRate + "/" + frames);
        if (Thread.currentThread() == audioThread) {
            formatsOnAudioThread++;
        }
    }

    @Override
    public void period(float[][] in, float[][] out, int frames) {
        long n = periods;
        if (n == windowFrom) {
            threadAtFrom = Thread.currentThread();
            bytesAtFrom = threads.getCurrentThreadAllocatedBytes();
        } else if (n == windowTo && windowFrom < windowTo) {
            windowBytes = threads.getCurrentThreadAllocatedBytes() - bytesAtFrom;
            windowOneThread = threadAtFrom == Thread.currentThread();
            windowDone.countDown();
        }
        periods = n + 1;
        lastFrames = frames;
        audioThread = Thread.currentThread();
        for (int i = 0; i < frames; i++) {
            out[0][i] = 0.5f * in[0][i];
            out[1][i] = -in[1][i];
        }
        if (overrunOnceMillis > 0) {
            // Busy, as DSP that takes too long would be.
            long until = System.nanoTime() + overrunOnceMillis * 1_000_000L;
            overrunOnceMillis = 0;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }
        if (throwOnce) {
            throwOnce = false;
            throw new IllegalStateException("a deliberate fault");
        }
    }

    /** Bytes the audio thread allocated per period over {@code count} periods after {@code warmUp} more. */
    double allocatedPerPeriod(int warmUp, int count, long timeoutSeconds) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        windowDone = done;
        windowBytes = -1;
        long from = periods + warmUp;
        windowTo = from + count;
        windowFrom = from;
        if (!done.await(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("the allocation window of " + (warmUp + count) + " periods did not pass in "
                    + timeoutSeconds + " s");
        }
        if (!windowOneThread) {
            throw new AssertionError("periods ran on more than one thread during the window");
        }
        return windowBytes / (double) count;
    }
}
