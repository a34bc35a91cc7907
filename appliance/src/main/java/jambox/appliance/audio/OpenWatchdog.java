package jambox.appliance.audio;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Watches the JACK backend's client opens, the first one and every reconnect: libjack's client open
 * can block for good when it meets a jackd that is half way through starting (seen in the
 * installed-system test after {@code systemctl restart jambox-jack}, and in the image's boot when
 * the box started while jackd was still setting up its card), and native code cannot be
 * interrupted; libjack also holds its open lock meanwhile, so no later open in the process can
 * work. An open that has not returned after its limit is declared wedged, once, and
 * {@code onWedged} runs: the service gives up its process there and systemd starts a fresh one,
 * which gets the sound back in seconds instead of never.
 */
final class OpenWatchdog {
    private static final System.Logger LOG = System.getLogger(OpenWatchdog.class.getName());

    private final Runnable onWedged;
    // The limit of the pending open (written before openingSince, read after it).
    private volatile long pendingLimitNanos;
    private final LongSupplier clock;
    // System.nanoTime() when the pending open began; 0 when none is pending.
    private volatile long openingSince;
    private volatile boolean fired;

    OpenWatchdog(Runnable onWedged, LongSupplier clock) {
        this.onWedged = onWedged;
        this.clock = clock;
    }

    /**
     * The opening thread: an open is about to start that may take up to {@code limit} (the first
     * one, which also loads libjack and JNAJack's classes, gets longer than a reconnect).
     */
    void opening(Duration limit) {
        pendingLimitNanos = limit.toNanos();
        long now = clock.getAsLong();
        openingSince = now == 0 ? 1 : now;
    }

    /** Supervisor thread: the open returned, whether it worked or not. */
    void opened() {
        openingSince = 0;
    }

    /**
     * Watchdog thread, about once a second: runs {@code onWedged} (once) when an open has been
     * pending longer than the limit. Returns whether it fired.
     */
    boolean check() {
        long since = openingSince;
        long limit = pendingLimitNanos;
        if (fired || since == 0 || clock.getAsLong() - since < limit) {
            return false;
        }
        fired = true;
        LOG.log(Level.ERROR, "opening a JACK client has hung for {0} s inside libjack (a jackd half way through"
                + " starting?); giving up on this process", Duration.ofNanos(limit).toSeconds());
        onWedged.run();
        return true;
    }

    /** Starts a daemon thread that checks once a second until it has fired or {@code stop} is true. */
    Thread start(java.util.function.BooleanSupplier stop) {
        return Thread.ofPlatform().name("jambox-jack-watchdog").daemon().start(() -> {
            while (!stop.getAsBoolean()) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                if (check()) {
                    return;
                }
            }
        });
    }
}
