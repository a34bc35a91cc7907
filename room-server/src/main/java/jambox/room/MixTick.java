package jambox.room;

import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * The server's clock for its mix rooms: one platform thread, {@code room-mix}, that makes one
 * block of {@value MixRoom#FRAMES} frames for every mix room every 4,000,000 / 3 ns, against
 * absolute deadlines (block k is due at start + k x 4,000,000 / 3 ns, computed in integers, so no
 * rounding creeps in), slept to with {@link LockSupport#parkNanos}. Not the event loop: mixing a
 * full room takes a good part of each block, and the loop must keep receiving meanwhile.
 *
 * <p>Behind by a stall of up to {@value #MAX_BEHIND} blocks (32 ms: the thread descheduled on a
 * busy core) the tick catches up in a burst, which the boxes' jitter buffers take as jitter: the
 * sound was in the members' buffers all along. After a longer stall (a paused VM) it jumps to the
 * present, and the boxes' buffers take the gap as a loss ({@link #skipped}). At 4 blocks (5.3 ms)
 * the room-peers bench lost 0.04 % of the mix at 8 members on a loaded machine.
 *
 * <p>Each block made, the event loop is asked once to send it ({@code send}, a preallocated task).
 * The tick itself allocates nothing; handing the task to the loop goes through Netty's task queue.
 */
final class MixTick implements AutoCloseable {
    static final long NUM = 4_000_000L;
    static final long DEN = 3L;
    static final int MAX_BEHIND = 24;

    private final MixRoom[] rooms;
    private final Executor loop;
    private final Runnable send;
    private final Runnable wakeCoder;
    private final Thread thread;
    private volatile boolean closed;
    /** Blocks made, and stalls skipped (published for the status and the tests). */
    private volatile long blocks;
    private volatile long skipped;
    private volatile long threadId = -1;
    // tick thread
    private long failures;

    /** {@code wakeCoder}: after a block that fed an Opus listener ({@link MixCoder#wake}). */
    MixTick(MixRoom[] rooms, Executor loop, Runnable send, Runnable wakeCoder) {
        this.rooms = rooms;
        this.loop = loop;
        this.send = send;
        this.wakeCoder = wakeCoder;
        thread = Thread.ofPlatform().name("room-mix").daemon(true).unstarted(this::run);
        thread.setPriority(Thread.MAX_PRIORITY);
    }

    void start() {
        thread.start();
    }

    long blocks() {
        return blocks;
    }

    long skipped() {
        return skipped;
    }

    /** The tick thread's id, once it runs ({@code -1} before): for measuring what it allocates. */
    long threadId() {
        return threadId;
    }

    private void run() {
        threadId = Thread.currentThread().threadId();
        long start = System.nanoTime();
        long k = 0;
        while (!closed) {
            long due = start + k * NUM / DEN;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            if (-wait > MAX_BEHIND * NUM / DEN) {
                long now = System.nanoTime();
                long present = (now - start) * DEN / NUM;
                skipped = skipped + (present - k);
                k = present;
            }
            try {
                boolean opus = false;
                for (MixRoom r : rooms) {
                    opus |= r.block(k);
                }
                loop.execute(send);
                if (opus) {
                    wakeCoder.run();
                }
            } catch (RuntimeException e) {
                // A bug in one block must not stop every room's sound: the next block tries again.
                // Logged the 1st, 2nd, 4th, 8th... time, so a failure at every block cannot flood the log.
                long n = ++failures;
                if ((n & (n - 1)) == 0) {
                    System.getLogger("jambox.room").log(System.Logger.Level.ERROR, "room-mix block " + k + " failed ("
                            + n + " failure(s) so far)", e);
                }
            }
            k++;
            blocks = blocks + 1;
        }
    }

    @Override
    public void close() {
        closed = true;
        stop(thread);
    }

    /** Wakes {@code thread} (parked, its stop flag already set) and waits up to 2 s for it to end. */
    static void stop(Thread thread) {
        LockSupport.unpark(thread);
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
