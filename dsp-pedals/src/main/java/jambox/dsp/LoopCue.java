package jambox.dsp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The box's looper actions on their way to the audio thread. Both channels' loopers must take an
 * action in the same period or the stereo loop comes apart by a period; posting to each looper in
 * turn cannot promise that (the audio thread may run between the two posts). So the control side
 * posts once here, the engine's once-a-period {@link Transport} write {@link #latch latches} the
 * next action before any board runs, and every looper compares the latched action's sequence
 * number with the last one it took.
 *
 * <p>Lock-free on the audio side: a ring of {@value #SIZE} codes, a producer count and a consumer
 * count. Posts are serialised among control threads by a monitor the audio thread never touches.
 * One action is latched a period, so presses closer than a period land in consecutive periods.
 */
public final class LoopCue {
    static final int SIZE = 16;

    private final int[] ring = new int[SIZE];
    private final AtomicLong posted = new AtomicLong();
    private final AtomicLong taken = new AtomicLong();
    /** (sequence << 8) | action code of the action this period's loopers take; 0 before the first. */
    private volatile long latched;

    /**
     * Control threads: queues an action for the next period. False (and nothing queued) if
     * {@value #SIZE} actions are already waiting, i.e. the audio thread is not running.
     */
    public synchronized boolean post(LoopAction action) {
        long p = posted.get();
        if (p - taken.get() >= SIZE) {
            return false;
        }
        ring[(int) (p % SIZE)] = action.ordinal();
        posted.set(p + 1); // the volatile write publishes the slot written before it
        return true;
    }

    /** Audio thread, once a period before the boards run: the next waiting action becomes this period's. */
    void latch() {
        long t = taken.get();
        if (t < posted.get()) {
            int code = ring[(int) (t % SIZE)];
            taken.set(t + 1);
            latched = ((t + 1) << 8) | code;
        }
    }

    /** Audio thread (the loopers): this period's action, as (sequence << 8) | code; 0 before any. */
    public long latched() {
        return latched;
    }

    /** The action in a {@link #latched} value. */
    public static LoopAction action(long latched) {
        return LoopAction.byCode((int) (latched & 0xff));
    }
}
