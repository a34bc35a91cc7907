package jambox.gpio;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PotFilterTest {

    private static final int HYSTERESIS = PotControls.HYSTERESIS;

    @Test
    void noiseWithinTheHysteresisNeverMovesThePosition() {
        Random random = new Random(7);
        for (int center : new int[] {HYSTERESIS, 100, 511, 512, 900, 1023 - HYSTERESIS}) {
            PotFilter filter = new PotFilter(HYSTERESIS);
            int changes = 0;
            // ten minutes at 100 readings a second, uniform noise and runs stuck at one edge of it
            for (int i = 0; i < 60_000; i++) {
                int noise = i % 5_000 < 500 ? HYSTERESIS - 1 : i % 5_000 < 1000 ? -(HYSTERESIS - 1)
                        : random.nextInt(2 * HYSTERESIS - 1) - (HYSTERESIS - 1);
                if (!Double.isNaN(filter.update(center + noise))) {
                    changes++;
                }
            }
            assertEquals(0, changes, "resting at " + center);
        }
    }

    @Test
    void aRealTurnMovesThePositionSteadilyToWhereThePotStops() {
        Random random = new Random(11);
        PotFilter filter = new PotFilter(HYSTERESIS);
        List<Double> positions = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            record(filter, 300 + noise(random), positions);
        }
        assertTrue(positions.isEmpty());
        for (int i = 0; i <= 100; i++) {                   // a second's turn from 300 to 700
            record(filter, 300 + 4 * i + noise(random), positions);
        }
        for (int i = 0; i < 200; i++) {
            record(filter, 700 + noise(random), positions);
        }
        assertTrue(positions.size() > 50, "the turn came through in small steps: " + positions.size());
        for (int i = 1; i < positions.size(); i++) {
            assertTrue(positions.get(i) > positions.get(i - 1), "monotone at " + i + ": " + positions);
        }
        double expected = (700 - 2.0 * (HYSTERESIS - 1)) / (1023 - 4.0 * (HYSTERESIS - 1));
        assertEquals(expected, positions.getLast(), 2.5 * HYSTERESIS / 1023.0);
    }

    @Test
    void theEndsOfTheTrackAreZeroAndOne() {
        PotFilter filter = new PotFilter(HYSTERESIS);
        filter.update(512);
        double last = Double.NaN;
        for (int i = 0; i < 100; i++) {
            double p = filter.update(1023);
            last = Double.isNaN(p) ? last : p;
        }
        assertEquals(1.0, last);
        for (int i = 0; i < 100; i++) {
            double p = filter.update(0);
            last = Double.isNaN(p) ? last : p;
        }
        assertEquals(0.0, last);
    }

    private static int noise(Random random) {
        return random.nextInt(2 * HYSTERESIS - 1) - (HYSTERESIS - 1);
    }

    private static void record(PotFilter filter, int raw, List<Double> positions) {
        double p = filter.update(Math.clamp(raw, 0, 1023));
        if (!Double.isNaN(p)) {
            positions.add(p);
        }
    }
}
