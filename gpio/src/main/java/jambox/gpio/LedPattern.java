package jambox.gpio;

import java.util.ArrayList;
import java.util.List;

/**
 * What an LED does over time: levels (0..1) held for their durations, once or over and over. An LED
 * without PWM is lit for any level above 0, so every pattern is also told apart by its rhythm alone.
 */
record LedPattern(List<Step> steps, boolean repeat) {

    record Step(double level, long nanos) {}

    /** How bright the status LED stays while all is well; full brightness is kept for the flicker of CLIPPING. */
    static final double CALM = 0.35;

    static final LedPattern OFF = steady(0);
    static final LedPattern ON = steady(1);
    /** One short flash, then dark. */
    static final LedPattern BEAT = of(false, 1, 60, 0, 0);

    static LedPattern steady(double level) {
        return new LedPattern(List.of(new Step(level, 0)), false);
    }

    /** Level, milliseconds, level, milliseconds, ... */
    static LedPattern of(boolean repeat, double... levelsAndMillis) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < levelsAndMillis.length; i += 2) {
            steps.add(new Step(levelsAndMillis[i], (long) (levelsAndMillis[i + 1] * 1_000_000)));
        }
        return new LedPattern(List.copyOf(steps), repeat);
    }

    static LedPattern of(Status status) {
        return switch (status) {
            case STARTING -> of(true, 1, 125, 0, 125);            // quick blink: wait
            case ALONE -> of(true, 1, 500, 0, 1500);              // slow blink: ready, no room yet
            case IN_ROOM -> steady(CALM);                         // steady: playing with the room
            case CLIPPING -> of(true, 1, 50, 0, 50);              // flicker: too loud
            case ERROR -> of(true, 1, 100, 0, 100, 1, 100, 0, 700); // double blink: look at the page
        };
    }
}
