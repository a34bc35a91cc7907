package jambox.gpio;

import java.util.PriorityQueue;

/** The hardware thread with a virtual clock: tasks run only inside {@link #advance}, in time order, on the test's thread. */
final class ManualScheduler implements Scheduler {

    private record Entry(long at, long order, Runnable task, long period, boolean[] cancelled) {}

    private final PriorityQueue<Entry> queue = new PriorityQueue<>(
            (x, y) -> x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.order, y.order));
    private long now = 1_000_000_000L;
    private long order;
    private boolean closed;

    @Override
    public long now() {
        return now;
    }

    @Override
    public void run(Runnable task) {
        after(0, task);
    }

    @Override
    public Task after(long delayNanos, Runnable task) {
        return add(now + delayNanos, task, 0, new boolean[1]);
    }

    @Override
    public Task every(long periodNanos, Runnable task) {
        return add(now + periodNanos, task, periodNanos, new boolean[1]);
    }

    private Task add(long at, Runnable task, long period, boolean[] cancelled) {
        if (!closed) {
            queue.add(new Entry(at, order++, task, period, cancelled));
        }
        return () -> cancelled[0] = true;
    }

    /** Moves the clock on by {@code nanos}, running every task that falls due on the way, at its time. */
    void advance(long nanos) {
        long until = now + nanos;
        while (!queue.isEmpty() && queue.peek().at <= until) {
            Entry entry = queue.poll();
            if (entry.cancelled[0]) {
                continue;
            }
            now = Math.max(now, entry.at);
            if (entry.period > 0) {
                add(entry.at + entry.period, entry.task, entry.period, entry.cancelled);
            }
            entry.task.run();
        }
        now = until;
    }

    void advanceMillis(double millis) {
        advance((long) (millis * 1_000_000));
    }

    /** Runs what is due now (work handed over by pin events). */
    void flush() {
        advance(0);
    }

    @Override
    public void close() {
        closed = true;
        queue.clear();
    }
}
