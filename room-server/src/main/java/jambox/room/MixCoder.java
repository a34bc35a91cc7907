package jambox.room;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code room-opus} thread: codes the mixes of the mix rooms' Opus listeners ({@link
 * OpusLane#code}), beside the tick and off it, since Concentus allocates tens of KB a frame and
 * takes a good part of a millisecond. The tick wakes it after a block that fed an Opus listener;
 * it codes every whole 120-frame frame waiting, asks the event loop once to send them ({@code
 * send}, a preallocated task) and sleeps again. With no Opus listener in any room it only looks,
 * every 10 ms, and finds nothing: 0.2 % of a core in the room-peers bench's mix rooms.
 *
 * <p>The wake is {@link LockSupport#unpark}, which holds the coder's parker mutex for a moment: a
 * lock on the tick, which otherwise takes none. It is chosen over polling, which would cost the
 * server a thousand wake-ups a second with or without Opus listeners; the tick already makes a
 * system call a block to wake the event loop (Netty writes its eventfd).
 */
final class MixCoder implements AutoCloseable {
    private static final long NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final MixRoom[] rooms;
    private final Executor loop;
    private final Runnable send;
    private final Thread thread;
    private volatile boolean closed;
    private long failures;

    MixCoder(MixRoom[] rooms, Executor loop, Runnable send) {
        this.rooms = rooms;
        this.loop = loop;
        this.send = send;
        thread = Thread.ofPlatform().name("room-opus").daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** The tick, after a block that fed an Opus listener. */
    void wake() {
        LockSupport.unpark(thread);
    }

    private void run() {
        while (!closed) {
            int n = 0;
            try {
                for (MixRoom r : rooms) {
                    n += r.code();
                }
            } catch (RuntimeException e) {
                long f = ++failures;
                if ((f & (f - 1)) == 0) {
                    System.getLogger("jambox.room").log(System.Logger.Level.ERROR, "room-opus coding failed (" + f
                            + " failure(s) so far)", e);
                }
            }
            if (n > 0) {
                loop.execute(send);
            } else {
                LockSupport.parkNanos(NAP_NANOS);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        MixTick.stop(thread);
    }
}
