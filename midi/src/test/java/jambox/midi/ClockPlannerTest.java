package jambox.midi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The clock planner on simulated frames: no real time, so every frame is exact. */
class ClockPlannerTest {
    private static final int RATE = 48_000;
    private static final int PERIOD = 64;
    private static final int AHEAD = 960;

    record Event(long frame, int length, int b0, int b1, int b2) {
    }

    /** A beat line the way the box's click keeps it: its next beat moves on one beat at a time. */
    private static final class Beat {
        double next;
        double spb;
        int inBar;
        int bpb = 4;
        boolean running = true;
        final ClockPlanner.Line line = new ClockPlanner.Line();

        Beat(double first, double bpm) {
            next = first;
            spb = 60.0 * RATE / bpm;
        }

        ClockPlanner.Line at(long frame) {
            while (next < frame) {
                next += spb;
                inBar = (inBar + 1) % bpb;
            }
            line.set(next, spb, inBar, bpb, running);
            return line;
        }
    }

    private final ClockPlanner planner = new ClockPlanner();
    private final List<Event> events = new ArrayList<>();
    private final ClockPlanner.Out out = (f, n, a, b, c) -> events.add(new Event(f, n, a, b, c));

    /** Periods from {@code from} to {@code to}, the planner asked after some of them only (as a busy thread would). */
    private long run(Beat beat, boolean send, long from, long to, Random skips) {
        long now = from;
        for (; now < to; now += PERIOD) {
            if (skips == null || skips.nextInt(4) != 0) {
                planner.plan(beat.at(now), send, now, now + AHEAD, out);
            }
        }
        return now;
    }

    private List<Event> only(int status) {
        return events.stream().filter(e -> e.b0() == status).toList();
    }

    @Test
    void ticksFallOnTheBeatGridFromADownbeatWithStartAndPositionFirst() {
        Beat beat = new Beat(5000.5, 120); // ticks every 1000 frames
        beat.inBar = 1; // beat 2 is at 5000.5, so beat 1 of the next bar is 3 beats on
        run(beat, true, 0, 10 * RATE, new Random(7));
        long downbeat = Math.round(5000.5 + 3 * 24_000);
        assertEquals(new Event(downbeat, 3, 0xF2, 0, 0), events.get(0));
        assertEquals(new Event(downbeat, 1, 0xFA, 0, 0), events.get(1));
        List<Event> ticks = only(0xF8);
        assertEquals(downbeat, ticks.get(0).frame());
        for (int k = 0; k < ticks.size(); k++) {
            assertEquals(downbeat + 1000L * k, ticks.get(k).frame(), "tick " + k);
        }
        assertEquals((10L * RATE + AHEAD - downbeat) / 1000, ticks.size(), 1.0);
        assertEquals(ticks.size() + 2, events.size(), "nothing but ticks after the start");
    }

    @Test
    void anUnevenTempoStillGivesEachTickOnceAtItsRoundedFrame() {
        Beat beat = new Beat(100, 97.5); // 29538.46 frames a beat: no tick is a whole frame
        run(beat, true, 0, 20 * RATE, new Random(3));
        List<Event> ticks = only(0xF8);
        double t = 60.0 * RATE / 97.5 / 24;
        long first = ticks.get(0).frame();
        assertEquals(100, first); // beat 1 at 100, and planning began before it
        for (int k = 0; k < ticks.size(); k++) {
            assertEquals(Math.round(100 + k * t), ticks.get(k).frame(), "tick " + k);
        }
    }

    @Test
    void stopFollowsTheLastTickAndARestartBeginsAgainAtPositionZero() {
        Beat beat = new Beat(0, 120);
        long now = run(beat, true, 1, 3 * RATE, null);
        long lastTick = only(0xF8).getLast().frame();
        beat.running = false;
        now = run(beat, true, now, now + RATE, null);
        assertEquals(new Event(lastTick + 1, 1, 0xFC, 0, 0), events.getLast());
        events.clear();
        beat.running = true;
        run(beat, true, now, now + 3 * RATE, null);
        assertEquals(0xF2, events.get(0).b0());
        assertEquals(0, events.get(0).b1());
        assertEquals(0xFA, events.get(1).b0());
    }

    @Test
    void turningTheOutputOnMidwayContinuesFromTheNextDownbeatsPosition() {
        Beat beat = new Beat(0, 120); // beat 1 at frame 0: bar n starts at 96000 n
        long now = run(beat, true, 0, RATE, null); // started at frame 0, position 0
        long sent = only(0xF8).size();
        assertTrue(sent > 40);
        now = run(beat, false, now, 5 * RATE, null); // off: stop, then silence
        assertEquals(0xFC, events.getLast().b0());
        int before = events.size();
        run(beat, true, now, 8 * RATE, null);
        List<Event> after = events.subList(before, events.size());
        // On again at 240000 + ...: the next downbeat is bar 3 at 288000, position 3 bars = 48 sixteenths.
        assertEquals(new Event(288_000, 3, 0xF2, 48, 0), after.get(0));
        assertEquals(new Event(288_000, 1, 0xFB, 0, 0), after.get(1));
        assertEquals(new Event(288_000, 1, 0xF8, 0, 0), after.get(2));
    }

    @Test
    void aTempoChangeMovesTheTicksWithoutAGapOrADoubleTick() {
        Beat beat = new Beat(0, 120);
        long now = run(beat, true, 0, 2 * RATE, null);
        // The click keeps the beat's phase: the beat due next moves in proportion.
        double left = beat.next - now;
        beat.spb = 60.0 * RATE / 140;
        beat.next = now + left * (120.0 / 140);
        run(beat, true, now, 4 * RATE, null);
        List<Event> ticks = only(0xF8);
        double t140 = 60.0 * RATE / 140 / 24;
        for (int k = 1; k < ticks.size(); k++) {
            long gap = ticks.get(k).frame() - ticks.get(k - 1).frame();
            assertTrue(gap >= t140 / 2 && gap <= 1500, "gap " + gap + " at tick " + k);
        }
        List<Event> late = ticks.subList(ticks.size() - 50, ticks.size());
        for (int k = 1; k < late.size(); k++) {
            assertEquals(t140, late.get(k).frame() - late.get(k - 1).frame(), 1.0);
        }
    }

    @Test
    void aClockThatBeginsAgainIsFollowedFromItsNewPresent() {
        Beat beat = new Beat(0, 120);
        run(beat, true, 0, 2 * RATE, null);
        int before = only(0xF8).size();
        Beat again = new Beat(500, 120);
        run(again, true, 64, 2 * RATE, null);
        List<Event> ticks = only(0xF8);
        assertTrue(ticks.size() > before + 80, "ticks on the new clock: " + (ticks.size() - before));
        assertEquals(1500, ticks.get(before).frame(), "the new clock's first tick after its present");
    }

    @Test
    void aClockThatLeapsOnIsFollowedWithoutPlanningEveryTickInBetween() {
        Beat beat = new Beat(0, 120);
        run(beat, true, 0, RATE, null);
        int before = only(0xF8).size();
        long leap = 10_000_000_000L; // 2.4 days of frames: planned one by one, 10 million ticks
        Beat far = new Beat(leap, 120);
        long started = System.nanoTime();
        run(far, true, leap, leap + RATE, null);
        long took = System.nanoTime() - started;
        assertTrue(only(0xF8).size() > before + 40, "ticks after the leap");
        assertEquals(leap + 1000, only(0xF8).get(before).frame(), "the first grid point after the new present");
        assertTrue(took < 1_000_000_000L, "planned in " + took / 1e6 + " ms");
    }
}
