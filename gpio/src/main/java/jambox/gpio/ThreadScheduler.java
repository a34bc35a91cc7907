package jambox.gpio;

import java.lang.System.Logger.Level;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The real hardware thread, {@code jambox-gpio}: one daemon thread, System.nanoTime. */
final class ThreadScheduler implements Scheduler {

    private static final System.Logger LOG = System.getLogger(ThreadScheduler.class.getName());

    private final ScheduledThreadPoolExecutor executor;

    ThreadScheduler() {
        executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "jambox-gpio");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public long now() {
        return System.nanoTime();
    }

    @Override
    public void run(Runnable task) {
        try {
            executor.execute(guarded(task));
        } catch (RejectedExecutionException e) {
            // closed: a pin edge that comes in while the pins are being released has nowhere to go
        }
    }

    @Override
    public Task after(long delayNanos, Runnable task) {
        var future = executor.schedule(guarded(task), delayNanos, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public Task every(long periodNanos, Runnable task) {
        var future = executor.scheduleAtFixedRate(guarded(task), periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    /** A periodic task that throws is never run again by the executor: a bad listener must not stop the pots. */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a hardware task failed (the controls go on): " + e, e);
            }
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
