package jambox.gpio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QuadratureDecoderTest {

    /** Contact levels through one detent clockwise (A leads B), from a rest at both-open (pull-ups: high). */
    private static final boolean[][] CLOCKWISE = {{false, true}, {false, false}, {true, false}, {true, true}};

    /** Drives a decoder like a real encoder: every contact edge bounces an odd number of times first. */
    private static final class Knob {
        final QuadratureDecoder decoder;
        final Random random;
        final int maxBounces;
        boolean a = true;
        boolean b = true;
        int counted;

        Knob(int transitionsPerDetent, long seed, int maxBounces) {
            decoder = new QuadratureDecoder(transitionsPerDetent, a, b);
            random = new Random(seed);
            this.maxBounces = maxBounces;
        }

        /** One quarter step: the contact that differs in the next state chatters, then settles. */
        void quarter(int direction) {
            int index = indexOf(a, b);
            boolean[] next = CLOCKWISE[Math.floorMod(index + direction, 4)];
            boolean moveA = next[0] != a;
            int edges = 2 * random.nextInt(maxBounces + 1) + 1;
            for (int i = 0; i < edges; i++) {
                if (moveA) {
                    a = !a;
                } else {
                    b = !b;
                }
                counted += decoder.update(a, b);
            }
        }

        void detent(int direction, int transitionsPerDetent) {
            for (int i = 0; i < transitionsPerDetent; i++) {
                quarter(direction);
            }
        }

        private static int indexOf(boolean a, boolean b) {
            for (int i = 0; i < 4; i++) {
                if (CLOCKWISE[i][0] == a && CLOCKWISE[i][1] == b) {
                    return i;
                }
            }
            throw new AssertionError();
        }
    }

    @Test
    void cleanTurnsCountOneDetentPerClick() {
        Knob knob = new Knob(4, 1, 0);
        for (int i = 0; i < 10; i++) {
            knob.detent(+1, 4);
        }
        assertEquals(10, knob.counted);
        for (int i = 0; i < 25; i++) {
            knob.detent(-1, 4);
        }
        assertEquals(-15, knob.counted);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 2, 1})
    void thousandsOfDetentsThroughBounceCountExactly(int transitionsPerDetent) {
        for (long seed = 0; seed < 5; seed++) {
            Knob knob = new Knob(transitionsPerDetent, seed, 6);
            Random turns = new Random(seed + 100);
            int expected = 0;
            for (int run = 0; run < 400; run++) {
                int direction = turns.nextBoolean() ? 1 : -1;
                int detents = 1 + turns.nextInt(20);
                for (int i = 0; i < detents; i++) {
                    knob.detent(direction, transitionsPerDetent);
                }
                expected += direction * detents;
            }
            assertEquals(expected, knob.counted, "seed " + seed);
        }
    }

    @Test
    void oneContactChatteringAtRestCountsNothing() {
        QuadratureDecoder decoder = new QuadratureDecoder(4, true, true);
        int counted = 0;
        for (int i = 0; i < 1000; i++) {
            counted += decoder.update(i % 2 == 0 ? false : true, true);
        }
        assertEquals(0, counted);
    }

    @Test
    void chatterRightAtTheDetentCountsTheDetentOnce() {
        QuadratureDecoder decoder = new QuadratureDecoder(4, true, true);
        int counted = decoder.update(false, true) + decoder.update(false, false) + decoder.update(true, false);
        for (int i = 0; i < 9; i++) {
            counted += decoder.update(true, i % 2 == 0);  // B bounces in and out of the rest state
        }
        assertEquals(1, counted);
    }

    @Test
    void bothContactsChangingAtOnceIsIgnoredAndTheNextDetentsCountAgain() {
        QuadratureDecoder decoder = new QuadratureDecoder(4, true, true);
        assertEquals(0, decoder.update(false, false));     // a missed sample: no direction can be told
        assertEquals(0, decoder.update(true, false));
        assertEquals(1, decoder.update(true, true));       // half a detent seen: the click is counted
        int counted = 0;
        for (int i = 0; i < 3; i++) {
            for (boolean[] state : CLOCKWISE) {
                counted += decoder.update(state[0], state[1]);
            }
        }
        assertEquals(3, counted);
    }
}
