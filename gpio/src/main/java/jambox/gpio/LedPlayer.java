package jambox.gpio;

import java.util.function.DoubleConsumer;

/** Plays patterns on one LED, on the hardware thread; a new pattern cuts the old one off. */
final class LedPlayer {

    private final DoubleConsumer output;
    private final Scheduler scheduler;
    private LedPattern pattern = LedPattern.OFF;
    private Scheduler.Task next;

    LedPlayer(DoubleConsumer output, Scheduler scheduler) {
        this.output = output;
        this.scheduler = scheduler;
    }

    void play(LedPattern pattern) {
        stop();
        this.pattern = pattern;
        step(0);
    }

    private void step(int index) {
        LedPattern.Step step = pattern.steps().get(index);
        output.accept(step.level());
        int size = pattern.steps().size();
        if (index + 1 < size || pattern.repeat() && size > 1) {
            int following = (index + 1) % size;
            next = scheduler.after(step.nanos(), () -> step(following));
        } else {
            next = null;
        }
    }

    void stop() {
        if (next != null) {
            next.cancel();
            next = null;
        }
    }
}
