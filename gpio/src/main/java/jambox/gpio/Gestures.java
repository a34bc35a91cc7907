package jambox.gpio;

import jambox.gpio.HardwareMap.Presses;
import jambox.surface.Target;

import java.util.function.Consumer;

/**
 * Clean presses and releases of one switch to tap, double tap and long press, each fired as soon as it
 * can be told apart from the others:
 * <ul>
 * <li>only "tap" bound: the tap fires on the press, nothing waits;</li>
 * <li>"long" bound: a press held {@link #LONG_NANOS} fires "long" while still held; a shorter one is a tap,
 *     known on release;</li>
 * <li>"double" bound: a second press within {@link #DOUBLE_NANOS} of the first release fires "double" on
 *     that press; a single tap fires only when that window has passed, so it comes late by the window.</li>
 * </ul>
 * Bind "double" only where that wait does not matter (not on a bypass or tap-tempo switch).
 */
final class Gestures {

    static final long LONG_NANOS = 600_000_000L;
    static final long DOUBLE_NANOS = 300_000_000L;

    private final Presses bindings;
    private final Scheduler scheduler;
    private final Consumer<Target> fire;
    private final boolean tapOnPress;
    private boolean down;
    private boolean pressDone;
    private Scheduler.Task longTimer;
    private Scheduler.Task pendingTap;

    Gestures(Presses bindings, Scheduler scheduler, Consumer<Target> fire) {
        this.bindings = bindings;
        this.scheduler = scheduler;
        this.fire = fire;
        this.tapOnPress = bindings.longPress() == null && bindings.doubleTap() == null;
    }

    void press() {
        down = true;
        pressDone = true;
        if (pendingTap != null) {
            pendingTap.cancel();
            pendingTap = null;
            fire.accept(bindings.doubleTap());
        } else if (tapOnPress) {
            fire.accept(bindings.tap());
        } else {
            pressDone = false;
            if (bindings.longPress() != null) {
                longTimer = scheduler.after(LONG_NANOS, () -> {
                    longTimer = null;
                    pressDone = true;
                    fire.accept(bindings.longPress());
                });
            }
        }
    }

    void release() {
        if (!down) {
            return; // held when the box started: its press was never seen
        }
        down = false;
        if (pressDone) {
            return;
        }
        if (longTimer != null) {
            longTimer.cancel();
            longTimer = null;
        }
        if (bindings.doubleTap() != null) {
            pendingTap = scheduler.after(DOUBLE_NANOS, () -> {
                pendingTap = null;
                if (bindings.tap() != null) {
                    fire.accept(bindings.tap());
                }
            });
        } else if (bindings.tap() != null) {
            fire.accept(bindings.tap());
        }
    }

    void close() {
        for (Scheduler.Task task : new Scheduler.Task[] {longTimer, pendingTap}) {
            if (task != null) {
                task.cancel();
            }
        }
    }
}
