package jambox.midi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class ClockFollowerTest {
    private static final int RATE = 48_000;

    @Test
    void exactTicksGiveTheirTempoAndJitteredOnesComeClose() {
        ClockFollower f = new ClockFollower();
        double t = 60.0 * RATE / 97.5 / 24;
        for (int k = 0; k < 48; k++) {
            f.tick(Math.round(1000 + k * t), RATE);
        }
        assertTrue(Double.isNaN(f.bpm(RATE)), "no estimate before two whole beats");
        for (int k = 48; k < 200; k++) {
            f.tick(Math.round(1000 + k * t), RATE);
        }
        assertEquals(97.5, f.bpm(RATE), 0.01);

        Random r = new Random(1);
        ClockFollower j = new ClockFollower();
        double worst = 0;
        for (int k = 0; k < 2000; k++) {
            j.tick(Math.round(1000 + k * t + (r.nextDouble() * 2 - 1) * RATE / 1000.0), RATE); // +-1 ms
            if (k > ClockFollower.WINDOW) {
                worst = Math.max(worst, Math.abs(j.bpm(RATE) - 97.5));
            }
        }
        System.out.printf("ClockFollowerTest: +-1 ms jitter at 97.5 BPM: worst estimate off by %.3f BPM%n", worst);
        assertTrue(worst < 0.5, "off by " + worst);
    }

    /** A sender that stalled for 60 ms and then sent the ticks it owed at once does not move the tempo. */
    @Test
    void aBunchOfTicksAfterAStallIsLeftOut() {
        ClockFollower f = new ClockFollower();
        double t = 60.0 * RATE / 97.5 / 24;
        for (int k = 0; k < 200; k++) {
            long frame = Math.round(1000 + k * t);
            if (k % 50 >= 40 && k % 50 < 43) {
                frame = Math.round(1000 + 43 * t + (k - k % 50) * t); // held back until the 43rd
            }
            f.tick(frame, RATE);
            if (k >= ClockFollower.WINDOW) {
                assertEquals(97.5, f.bpm(RATE), 0.1, "after tick " + k);
            }
        }
    }

    /**
     * Ticks lost on the way (a period the sender's or the box's JACK client missed): every seventh,
     * and then three in a row, leave holes; the tempo stays, exact and jittered.
     */
    @Test
    void ticksThatNeverCameDoNotSlowTheTempo() {
        double t = 60.0 * RATE / 97.5 / 24;
        Random r = new Random(7);
        for (double jitterMs : new double[] {0, 1}) {
            ClockFollower f = new ClockFollower();
            double worst = 0;
            for (int k = 0; k < 400; k++) {
                if (k % 7 == 3 || (k >= 200 && k < 203)) {
                    continue;
                }
                f.tick(Math.round(1000 + k * t + (r.nextDouble() * 2 - 1) * jitterMs * RATE / 1000.0), RATE);
                if (!Double.isNaN(f.bpm(RATE))) {
                    worst = Math.max(worst, Math.abs(f.bpm(RATE) - 97.5));
                }
            }
            System.out.printf("ClockFollowerTest: every 7th tick lost, +-%.0f ms jitter: worst estimate off by %.3f BPM%n",
                    jitterMs, worst);
            assertTrue(worst < (jitterMs == 0 ? 0.01 : 0.5), "off by " + worst + " with +-" + jitterMs + " ms");
        }
    }

    @Test
    void aStoppedClockStartsOver() {
        ClockFollower f = new ClockFollower();
        for (int k = 0; k < 60; k++) {
            f.tick(1000L * k, RATE);
        }
        assertEquals(120, f.bpm(RATE), 1e-9);
        f.tick(60_000 + RATE, RATE); // a second's silence
        assertEquals(1, f.ticks());
        assertTrue(Double.isNaN(f.bpm(RATE)));
    }
}
