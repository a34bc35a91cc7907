package jambox.gpio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccelerationTest {

    private static final long MS = 1_000_000L;

    @Test
    void slowTurnsAreOneStepPerDetent() {
        Acceleration acceleration = new Acceleration();
        for (int i = 0; i < 20; i++) {
            assertEquals(1, acceleration.steps(+1, i * 150 * MS));
        }
        for (int i = 20; i < 40; i++) {
            assertEquals(-1, acceleration.steps(-1, i * 150 * MS));
        }
    }

    @Test
    void aSpinRampsUpToTheMaximumAndAChangeOfDirectionStartsSlow() {
        Acceleration acceleration = new Acceleration();
        int previous = 0;
        int last = 0;
        for (int i = 0; i < 12; i++) {
            last = acceleration.steps(+1, i * 10 * MS);  // 100 detents a second
            assertTrue(last >= previous, "never slower while spinning faster");
            previous = last;
        }
        assertEquals(Acceleration.MAX_STEPS, last);
        assertEquals(-1, acceleration.steps(-1, 125 * MS));
    }

    @Test
    void aPauseForgetsTheSpeed() {
        Acceleration acceleration = new Acceleration();
        for (int i = 0; i < 12; i++) {
            acceleration.steps(+1, i * 10 * MS);
        }
        assertEquals(1, acceleration.steps(+1, 2_000 * MS));
    }
}
