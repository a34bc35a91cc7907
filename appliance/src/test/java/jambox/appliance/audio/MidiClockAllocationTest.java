package jambox.appliance.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import jambox.appliance.board.BoardSpec;
import jambox.appliance.engine.Engine;
import jambox.appliance.hardware.MidiClock;
import jambox.common.midi.MidiCounters;

/**
 * The MIDI clock's part of the audio thread (the click's beat line, the planner, the lane, and the
 * period's MIDI that plays it) allocates nothing, while the tempo, the metronome and the clock's
 * settings change from another thread. Periods run on the test's thread, as the backend would.
 */
class MidiClockAllocationTest {
    private static final int RATE = 48_000;
    private static final int N = 64;

    @Test
    void theClockPathAllocatesNothingOnTheAudioThread() throws Exception {
        Engine engine = new Engine(new BoardSpec("empty", List.of(List.of())));
        engine.format(RATE, N);
        MidiExchange midi = new MidiExchange();
        midi.start();
        MidiClock clock = new MidiClock(engine.click(), midi, () -> RATE, new MidiClock.Metronome() {
            @Override
            public double tempoBpm() {
                return 120;
            }

            @Override
            public void setTempo(double bpm) {
            }

            @Override
            public void setRunning(boolean on) {
            }
        }, null);
        engine.click().setBpm(240);
        engine.click().setOn(true);
        float[][] in = {new float[N], new float[N]};
        float[][] out = {new float[N], new float[N]};
        Thread knobs = new Thread(() -> {
            for (int i = 1; !Thread.currentThread().isInterrupted(); i++) {
                engine.click().setBpm(200 + i % 80);
                engine.click().setBeatsPerBar(1 + i % 7);
                engine.click().setOn(i % 400 != 0);
                if (i % 250 == 0) { // off for a quarter of a second now and then
                    try {
                        clock.set(i % 1000 != 750, null);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
                LockSupport.parkNanos(500_000);
            }
        });
        knobs.start();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long frame = 0;
        midi.newClock();
        long best = Long.MAX_VALUE;
        int window = 10_000;
        try {
            for (int w = 0; w < 8; w++) {
                long before = mx.getThreadAllocatedBytes(tid);
                for (int k = 0; k < window; k++) {
                    midi.loopBack(frame, N);
                    engine.period(in, out, N);
                    frame += N;
                }
                long bytes = mx.getThreadAllocatedBytes(tid) - before;
                if (w >= 2) {
                    best = Math.min(best, bytes); // the JVM may allocate a little after a deoptimisation
                }
            }
        } finally {
            knobs.interrupt();
            knobs.join();
            clock.close();
            midi.close();
        }
        MidiCounters counters = midi.counters();
        System.out.println("MidiClockAllocationTest: " + best + " bytes over the best window of " + window
                + " periods; " + counters);
        // Stops, restarts waiting for a downbeat, and the output turned off leave fewer than one a 500 frames.
        assertTrue(counters.sent() > 1000, "clock played: " + counters);
        assertEquals(0, best, "bytes allocated per " + window + " periods after warm-up");
    }
}
