package jambox.appliance.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import jambox.common.midi.MidiCounters;
import jambox.common.midi.MidiLane;
import jambox.common.midi.MidiPorts;

/** The simulated backend's MIDI: its output looped back to its input on its own frame clock. */
class SimulatedMidiTest {
    private record Heard(long frame, byte[] bytes) {
    }

    @Test
    void eventsSentComeBackAtTheFrameTheyWereSentFor() throws Exception {
        try (SimulatedBackend backend = new SimulatedBackend(48_000, 64, true, Long.MAX_VALUE, null, null)) {
            MidiPorts midi = backend.midi();
            List<Heard> heard = Collections.synchronizedList(new ArrayList<>());
            midi.addListener((frame, data, length) -> heard.add(new Heard(frame, Arrays.copyOf(data, length))));
            // Queued before the start: it waits for its frame on the first clock.
            assertTrue(midi.send(100, 0xC0, 5));
            backend.start(new GainInvertEngine());
            waitFor(() -> heard.size() == 1);
            assertEquals(100, heard.get(0).frame());
            assertArrayEquals(new byte[] {(byte) 0xC0, 5}, heard.get(0).bytes());
            long base = midi.frameTime() + 4800;
            for (int k = 0; k < 50; k++) {
                assertTrue(midi.send(base + 37L * k, 0x90, k, 100));
            }
            waitFor(() -> heard.size() == 51);
            for (int k = 0; k < 50; k++) {
                assertEquals(base + 37L * k, heard.get(k + 1).frame());
                assertArrayEquals(new byte[] {(byte) 0x90, (byte) k, 100}, heard.get(k + 1).bytes());
            }
            long before = midi.frameTime();
            assertTrue(midi.send(before - 500, 0x80, 1, 0));
            waitFor(() -> heard.size() == 52);
            long late = heard.get(51).frame();
            assertTrue(late >= before && late % 64 == 0, "the late one came at a period's start: " + late);
            byte[] tooLong = new byte[MidiPorts.MAX_EVENT_BYTES + 1];
            tooLong[0] = (byte) 0xF0;
            assertFalse(midi.send(MidiPorts.NOW, tooLong, 0, tooLong.length));
            assertThrows(IllegalArgumentException.class, () -> midi.send(0, 0x90, 300, 1));
            assertThrows(IllegalArgumentException.class, () -> midi.send(0, new byte[0], 0, 0));
            MidiCounters counters = midi.counters();
            System.out.println("SimulatedMidiTest: looped back " + heard.size() + " events; " + counters);
            assertEquals(new MidiCounters(52, 52, 1, 0, 1, 0), counters);
        }
    }

    /**
     * Two producers planning ahead in lanes of their own, and the shared queue, interleave by frame
     * time: a lane queued a second ahead never holds back another's earlier event. A full lane
     * refuses and counts, and leaves the others alone.
     */
    @Test
    void lanesAreMergedByFrameTime() throws Exception {
        try (SimulatedBackend backend = new SimulatedBackend(48_000, 64, true, Long.MAX_VALUE, null, null)) {
            MidiPorts midi = backend.midi();
            List<Heard> heard = Collections.synchronizedList(new ArrayList<>());
            midi.addListener((frame, data, length) -> heard.add(new Heard(frame, Arrays.copyOf(data, length))));
            MidiLane clock = midi.lane("clock");
            MidiLane notes = midi.lane("notes");
            assertEquals("clock", clock.name());
            backend.start(new GainInvertEngine());
            waitFor(() -> midi.frameTime() > 0);
            long base = midi.frameTime() + 9600;
            // The clock queues a whole second first, then the notes and the shared queue fill between.
            for (int k = 0; k < 48; k++) {
                assertTrue(clock.send(base + 1000L * k, new byte[] {(byte) 0xF8}, 0, 1));
            }
            for (int k = 0; k < 48; k++) {
                assertTrue(notes.send(base + 1000L * k + 333, new byte[] {(byte) 0x90, (byte) k, 1}, 0, 3));
                assertTrue(midi.send(base + 1000L * k + 666, 0xB0, k, 2));
            }
            waitFor(() -> heard.size() == 144);
            for (int i = 0; i < 144; i++) {
                long expected = base + 1000L * (i / 3) + 333L * (i % 3);
                assertEquals(expected, heard.get(i).frame(), "event " + i + " in time order");
            }
            int refused = 0;
            for (int k = 0; k < MidiExchange.CAPACITY + 10; k++) {
                if (!clock.send(midi.frameTime() + 480_000, new byte[] {(byte) 0xF8}, 0, 1)) {
                    refused++;
                }
            }
            assertTrue(refused >= 10, "a full lane refuses: " + refused);
            assertTrue(midi.send(MidiPorts.NOW, 0xC0, 3), "the shared queue is not full");
            waitFor(() -> heard.size() == 145);
            assertEquals(refused, midi.counters().droppedOut());
            assertSame(clock, midi.lane("clock"), "a name gives its lane back");
            for (int k = 2; k < MidiExchange.MAX_LANES; k++) {
                midi.lane("extra " + k);
            }
            assertThrows(IllegalStateException.class, () -> midi.lane("one too many"));
        }
    }

    /** The clock thread moves 4 events a period through the loop and allocates nothing for it. */
    @Test
    void theLoopAllocatesNothingOnTheClockThread() throws Exception {
        GainInvertEngine engine = new GainInvertEngine();
        try (SimulatedBackend backend = new SimulatedBackend(48_000, 64, true, Long.MAX_VALUE, null, null)) {
            MidiPorts midi = backend.midi();
            long[] count = new long[1];
            midi.addListener((frame, data, length) -> count[0]++);
            backend.start(engine);
            Thread feeder = Thread.ofPlatform().daemon().start(() -> {
                long next = 640;
                while (!Thread.currentThread().isInterrupted()) {
                    while (next < midi.frameTime() + 4800) {
                        midi.send(next, 0x90, 60, 100);
                        next += 16;
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            try {
                double perPeriod = engine.allocatedPerPeriod(3000, 3000, 60);
                MidiCounters counters = midi.counters();
                System.out.printf("SimulatedMidiTest: the clock thread allocated %.1f B per period; %s%n", perPeriod, counters);
                assertEquals(0, perPeriod);
                assertTrue(counters.received() > 6000 * 3, "events looped: " + counters);
            } finally {
                feeder.interrupt();
            }
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(1);
        }
    }
}
