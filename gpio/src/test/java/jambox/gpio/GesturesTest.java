package jambox.gpio;

import jambox.gpio.HardwareMap.Presses;
import jambox.surface.Target;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Debounced gestures by their timings, on a virtual clock. */
class GesturesTest {

    private static final Target BYPASS = Target.bypass("overdrive");
    private static final double LONG_MS = Gestures.LONG_NANOS / 1e6;
    private static final double DOUBLE_MS = Gestures.DOUBLE_NANOS / 1e6;

    private final ManualScheduler clock = new ManualScheduler();
    private final List<String> fired = new ArrayList<>();
    private Debouncer contact;

    private void bind(Target tap, Target doubleTap, Target longPress) {
        Gestures gestures = new Gestures(new Presses(tap, doubleTap, longPress), clock, t -> fired.add(clock.now() / 1_000_000 + " " + t));
        contact = new Debouncer(clock, false, closed -> {
            if (closed) {
                gestures.press();
            } else {
                gestures.release();
            }
        });
    }

    /** A contact edge with its bounce: the level flips back and forth over ~3 ms before it settles. */
    private void bouncyEdge(boolean closed) {
        for (int i = 0; i < 5; i++) {
            contact.edge(i % 2 == 0 == closed);
            clock.advanceMillis(0.7);
        }
    }

    private long startMs() {
        return clock.now() / 1_000_000;
    }

    @Test
    void aTapOnlySwitchFiresTheMomentItClosesAndOnceThroughItsBounce() {
        bind(BYPASS, null, null);
        long t0 = startMs();
        bouncyEdge(true);
        assertEquals(List.of(t0 + " bypass overdrive"), fired);
        clock.advanceMillis(80);
        bouncyEdge(false);
        clock.advanceMillis(1000);
        assertEquals(1, fired.size());
    }

    @Test
    void aPressShorterThanTheLockoutStillEndsInARelease() {
        bind(BYPASS, null, null);
        contact.edge(true);
        clock.advanceMillis(5);
        contact.edge(false);                    // inside the lockout: not heard yet
        clock.advanceMillis(100);               // ... but looked at again when it ends
        contact.edge(true);
        assertEquals(2, fired.size());
    }

    @Test
    void aLongPressFiresWhileStillHeldAndItsReleaseDoesNothing() {
        bind(Target.tap(), null, Target.tuner());
        long t0 = startMs();
        bouncyEdge(true);
        clock.advanceMillis(LONG_MS + 100);
        assertEquals(List.of((t0 + (long) LONG_MS) + " tuner"), fired);
        bouncyEdge(false);
        clock.advanceMillis(1000);
        assertEquals(1, fired.size());
    }

    @Test
    void aTapReleasedJustBeforeTheLongThresholdIsATapOnRelease() {
        bind(Target.tap(), null, Target.tuner());
        long t0 = startMs();
        contact.edge(true);
        clock.advanceMillis(LONG_MS - 1);
        contact.edge(false);
        assertEquals(List.of((t0 + (long) LONG_MS - 1) + " tap"), fired);
        clock.advanceMillis(1000);
        assertEquals(1, fired.size());
    }

    @Test
    void aSecondPressWithinTheWindowIsADoubleTapFiredOnThatPress() {
        bind(BYPASS, Target.preset(), null);
        contact.edge(true);
        clock.advanceMillis(80);
        contact.edge(false);
        clock.advanceMillis(DOUBLE_MS - 20);
        long second = startMs();
        contact.edge(true);
        assertEquals(List.of(second + " preset"), fired);
        clock.advanceMillis(80);
        contact.edge(false);
        clock.advanceMillis(1000);
        assertEquals(1, fired.size());
    }

    @Test
    void withADoubleBoundASingleTapWaitsOutTheWindow() {
        bind(BYPASS, Target.preset(), null);
        contact.edge(true);
        clock.advanceMillis(80);
        long released = startMs();
        contact.edge(false);
        clock.advanceMillis(DOUBLE_MS - 1);
        assertEquals(List.of(), fired);
        clock.advanceMillis(1);
        assertEquals(List.of((released + (long) DOUBLE_MS) + " bypass overdrive"), fired);
    }

    @Test
    void twoTapsTooFarApartAreTwoTaps() {
        bind(BYPASS, Target.preset(), null);
        for (int i = 0; i < 2; i++) {
            contact.edge(true);
            clock.advanceMillis(80);
            contact.edge(false);
            clock.advanceMillis(DOUBLE_MS + 50);
        }
        assertEquals(2, fired.size());
        assertEquals(2, fired.stream().filter(f -> f.endsWith("bypass overdrive")).count());
    }

    @Test
    void aSwitchHeldWhenTheBoxStartsIsNotAPressWhenReleased() {
        Gestures gestures = new Gestures(new Presses(BYPASS, null, Target.tuner()), clock, t -> fired.add(t.toString()));
        contact = new Debouncer(clock, true, closed -> {
            if (closed) {
                gestures.press();
            } else {
                gestures.release();
            }
        });
        contact.edge(false);
        clock.advanceMillis(1000);
        assertEquals(List.of(), fired);
    }
}
