package jambox.appliance.control;

import java.util.function.LongSupplier;

/**
 * Wrong PINs slow every further try, box-wide. Without it a 4-digit PIN fell to a script in
 * seconds: each page may send 200 commands a second and a new connection starts afresh. After
 * {@value #FREE_TRIES} wrong PINs in a row, each further one locks login for twice as long as the
 * last (1 s, 2 s, 4 s ... at most {@value #MAX_LOCK_SECONDS} s); while locked every try is refused
 * unchecked, the right PIN too. The right PIN, when it is let through, clears the count. At the cap
 * 10,000 PINs take about a week.
 *
 * <p>Box-wide, not per page or address: a page can reconnect and a LAN address is cheap. The price
 * is that someone guessing locks the player out as well, for at most a minute at a time; the box
 * logs each lock so the player can see why.
 */
final class PinGuard {
    static final int FREE_TRIES = 5;
    static final int MAX_LOCK_SECONDS = 60;
    private static final System.Logger LOG = System.getLogger(PinGuard.class.getName());

    private final LongSupplier nanos;
    private int wrong;
    private long lockedUntil;
    private boolean locked;

    PinGuard(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** Seconds (rounded up) before a PIN may be tried again; 0 when it may be tried now. */
    synchronized long waitSeconds() {
        long left = locked ? lockedUntil - nanos.getAsLong() : 0;
        return left <= 0 ? 0 : (left + 999_999_999L) / 1_000_000_000L;
    }

    /** A PIN was tried (only when {@link #waitSeconds} was 0): whether it was right. */
    synchronized void tried(boolean right) {
        if (right) {
            wrong = 0;
            locked = false;
            return;
        }
        wrong++;
        if (wrong > FREE_TRIES) {
            long seconds = Math.min(MAX_LOCK_SECONDS, 1L << Math.min(30, wrong - FREE_TRIES - 1));
            lockedUntil = nanos.getAsLong() + seconds * 1_000_000_000L;
            locked = true;
            LOG.log(System.Logger.Level.WARNING, "{0} wrong control PINs in a row: login locked for {1} s",
                    wrong, seconds);
        }
    }
}
