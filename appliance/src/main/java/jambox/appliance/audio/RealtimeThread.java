package jambox.appliance.audio;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Puts the calling thread under SCHED_FIFO: the one binding of {@code sched_setscheduler} the box
 * uses, for the stream's network threads and a paced simulated sound card's clock. Where the
 * process may not (no {@code LimitRTPRIO}, not root, not Linux) the thread stays as it is.
 */
public final class RealtimeThread {
    private static final int SCHED_FIFO = 1;

    private interface LibC extends Library {
        int sched_setscheduler(int pid, int policy, int[] param);
    }

    private static volatile LibC libc;

    private RealtimeThread() {
    }

    /** SCHED_FIFO at {@code priority} (1..99) for the calling thread; false where that is not allowed. */
    public static boolean raiseCurrentThread(int priority) {
        if (priority < 1 || priority > 99) {
            throw new IllegalArgumentException("a SCHED_FIFO priority is 1..99, not " + priority);
        }
        try {
            LibC c = libc;
            if (c == null) {
                c = Native.load("c", LibC.class);
                libc = c;
            }
            return c.sched_setscheduler(0, SCHED_FIFO, new int[] {priority}) == 0; // pid 0: this thread
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }
}
