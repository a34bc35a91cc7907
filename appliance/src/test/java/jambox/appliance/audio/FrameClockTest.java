package jambox.appliance.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrameClockTest {
    @Test
    void theClockKeepsCountingWhereJacksUint32Wraps() {
        FrameClock clock = new FrameClock();
        assertFalse(clock.started());
        int reading = (int) 4_294_967_000L; // 296 frames before JACK's clock wraps
        assertEquals(4_294_967_000L, clock.extend(reading));
        assertTrue(clock.started());
        long expected = 4_294_967_000L;
        for (int period = 0; period < 20; period++) {
            reading += 64;
            expected += 64;
            assertEquals(expected, clock.extend(reading), "period " + period);
        }
        assertTrue(expected > 1L << 32, "went past the wrap");
        assertEquals(expected + 48_000 * 60, clock.extend(reading + 48_000 * 60), "a minute's gap");
    }
}
