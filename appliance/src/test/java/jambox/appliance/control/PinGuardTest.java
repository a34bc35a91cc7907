package jambox.appliance.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The lock after wrong PINs, on a clock the test moves. */
class PinGuardTest {
    private long now = 1_000_000_000L;
    private final PinGuard guard = new PinGuard(() -> now);

    @Test
    void fiveWrongPinsAreFreeThenEachLocksTwiceAsLongUpToAMinute() {
        for (int i = 0; i < PinGuard.FREE_TRIES; i++) {
            assertEquals(0, guard.waitSeconds(), "try " + (i + 1) + " is free");
            guard.tried(false);
        }
        assertEquals(0, guard.waitSeconds());
        long[] expected = {1, 2, 4, 8, 16, 32, 60, 60};
        for (long seconds : expected) {
            guard.tried(false);
            assertEquals(seconds, guard.waitSeconds());
            now += seconds * 1_000_000_000L - 1;
            assertEquals(1, guard.waitSeconds(), "a nanosecond left still says 1 s");
            now += 1;
            assertEquals(0, guard.waitSeconds());
        }
    }

    @Test
    void theRightPinClearsTheCount() {
        for (int i = 0; i < PinGuard.FREE_TRIES + 2; i++) {
            guard.tried(false);
        }
        now += 10_000_000_000L;
        guard.tried(true);
        for (int i = 0; i < PinGuard.FREE_TRIES; i++) {
            guard.tried(false);
            assertEquals(0, guard.waitSeconds(), "free again after the right PIN");
        }
        guard.tried(false);
        assertEquals(1, guard.waitSeconds());
    }
}
