package jambox.gpio;

import java.util.function.Consumer;

/**
 * A switch contact's raw edges to clean presses and releases, without delaying them. The first edge
 * counts at once (a bypass must switch the moment the foot lands) and the contact is then not listened
 * to for {@link #LOCKOUT_NANOS}, which outlasts its bounce. At the end of that time the contact is looked
 * at again, so a press shorter than the lockout still ends in a release.
 */
final class Debouncer {

    /** Footswitch and encoder-push contacts bounce for a few milliseconds. */
    static final long LOCKOUT_NANOS = 20_000_000L;

    private final Scheduler scheduler;
    private final Consumer<Boolean> changed;
    private boolean stable;
    private boolean raw;
    private long lockedUntil;
    private Scheduler.Task recheck;

    /** @param closed whether the contact is closed now; {@code changed} hears true for closed, false for open */
    Debouncer(Scheduler scheduler, boolean closed, Consumer<Boolean> changed) {
        this.scheduler = scheduler;
        this.changed = changed;
        this.stable = closed;
        this.raw = closed;
        // Not locked from the start. Long.MIN_VALUE here overflowed in the lockout arithmetic: on a
        // clock that is not near zero (System.nanoTime) the first edge waited centuries.
        this.lockedUntil = scheduler.now();
    }

    /** An edge: the contact is now {@code closed}. */
    void edge(boolean closed) {
        raw = closed;
        long now = scheduler.now();
        if (now - lockedUntil < 0) {
            if (recheck == null) {
                recheck = scheduler.after(lockedUntil - now, this::settle);
            }
            return;
        }
        if (closed != stable) {
            accept(closed, now);
        }
    }

    private void settle() {
        recheck = null;
        if (raw != stable) {
            accept(raw, scheduler.now());
        }
    }

    private void accept(boolean closed, long now) {
        stable = closed;
        lockedUntil = now + LOCKOUT_NANOS;
        changed.accept(closed);
    }

    void close() {
        if (recheck != null) {
            recheck.cancel();
        }
    }
}
