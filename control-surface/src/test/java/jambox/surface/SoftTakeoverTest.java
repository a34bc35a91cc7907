package jambox.surface;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftTakeoverTest {

    @Test
    void untilTheBoxSaysAnythingThePotHolds() {
        SoftTakeover takeover = new SoftTakeover();
        takeover.rests(0.3);
        assertTrue(takeover.moved(0.31));
    }

    @Test
    void aPresetThatMovesTheValueAwayMakesThePotLetGoUntilItCrossesIt() {
        SoftTakeover takeover = new SoftTakeover();
        takeover.rests(0.2);
        takeover.current(0.7);                 // a preset loads
        assertFalse(takeover.moved(0.25));
        assertFalse(takeover.moved(0.5));
        assertFalse(takeover.moved(0.65));
        assertTrue(takeover.moved(0.75));      // crossed 0.7 between two readings
        assertTrue(takeover.moved(0.6));       // and holds from then on, either way
    }

    @Test
    void comingNearTheValueFromAboveCatchesIt() {
        SoftTakeover takeover = new SoftTakeover();
        takeover.rests(0.9);
        takeover.current(0.4);
        assertFalse(takeover.moved(0.6));
        assertTrue(takeover.moved(0.41));
    }

    @Test
    void aValueEqualToThePotChangesNothing() {
        SoftTakeover takeover = new SoftTakeover();
        takeover.rests(0.5);
        takeover.current(0.505);
        assertTrue(takeover.moved(0.52));
    }

    @Test
    void theBoxEchoingThePotsOwnValuesLateDoesNotMakeItLetGo() {
        SoftTakeover takeover = new SoftTakeover();
        takeover.rests(0.1);
        for (int i = 1; i <= 10; i++) {
            assertTrue(takeover.moved(0.1 + i * 0.05));
            if (i >= 3) {
                takeover.current(0.1 + (i - 2) * 0.05);   // the page's echo, two readings behind
            }
        }
        assertTrue(takeover.moved(0.62));
    }

    @Test
    void theBoxChangingTheValueBeforeThePotsFirstReadingIsCaughtThen() {
        SoftTakeover takeover = new SoftTakeover();
        takeover.current(0.8);
        takeover.rests(0.2);
        assertFalse(takeover.moved(0.3));
        takeover = new SoftTakeover();
        takeover.current(0.8);
        takeover.rests(0.79);
        assertTrue(takeover.moved(0.81));
    }
}
