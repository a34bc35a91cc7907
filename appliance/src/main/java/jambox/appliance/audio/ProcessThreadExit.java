package jambox.appliance.audio;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets a JNAJack process thread leave the JVM before its client is closed. Closing a client whose
 * process thread is attached has libjack cancel that thread wherever it is, inside Java code or
 * inside JNA's detach, and the JVM crashes later (seen here: JDK 25, JNA 5.19.1, jackd2 1.9.21).
 * Instead the callback returns false once: JNAJack detaches the thread and jackd2 ends it. Closing
 * waits until the kernel no longer lists the thread, so nothing is left to cancel. Public for the
 * bench's own JACK clients.
 */
public final class ProcessThreadExit {
    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int gettid();
    }

    private volatile boolean requested;
    private volatile int nativeId;
    private final CountDownLatch left = new CountDownLatch(1);

    /** Read by the process callback each cycle. */
    public boolean requested() {
        return requested;
    }

    /** The process callback's last cycle: its result goes back to JNAJack. */
    public boolean leave() {
        nativeId = LibC.INSTANCE.gettid();
        left.countDown();
        return false;
    }

    /** Asks the thread to leave and waits until it has exited; false if that took too long. */
    public boolean awaitExit(long timeoutMillis) throws InterruptedException {
        requested = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        if (!left.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
            return false;
        }
        Path task = Path.of("/proc/self/task/" + nativeId);
        while (Files.exists(task)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }
}
