package jambox.gpio;

/**
 * The hardware thread and its clock. Every control's state lives on this one thread, so pin events,
 * pot polls, gesture timeouts and LED patterns never race; tests drive it with a virtual clock.
 */
interface Scheduler extends AutoCloseable {

    /** Now, in nanoseconds of a monotonic clock. */
    long now();

    /** Runs the task on the hardware thread, after the tasks already handed over. */
    void run(Runnable task);

    /** Runs the task once, {@code delayNanos} from now. */
    Task after(long delayNanos, Runnable task);

    /** Runs the task every {@code periodNanos}, the first time one period from now. */
    Task every(long periodNanos, Runnable task);

    /** Stops the thread; tasks not yet run are dropped. */
    @Override
    void close();

    interface Task {
        /** The task will not run (again); harmless when it already ran. */
        void cancel();
    }
}
