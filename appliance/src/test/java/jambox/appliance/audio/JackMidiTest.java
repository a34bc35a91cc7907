package jambox.appliance.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import jambox.common.midi.MidiCounters;
import jambox.common.midi.MidiPorts;

/**
 * The JACK backend's MIDI ports against a real jackd (dummy driver), with a second JACK client
 * ({@link MidiProbe}) on the far side. Frames are JACK's own frame clock on both sides, so timing is
 * asserted to the frame.
 */
class JackMidiTest {
    private static final AtomicInteger CLIENTS = new AtomicInteger();
    private static final long AHEAD = 9600; // 200 ms: scheduling survives this VM's pauses
    private static final int CLEAN_ROUNDS = 3;
    private static final int MAX_ROUNDS = 30;

    private static JackdProcess jackd;

    @BeforeAll
    static void startJackd() throws Exception {
        jackd = JackdProcess.startedForTests();
    }

    @AfterAll
    static void stopJackd() {
        if (jackd != null) {
            jackd.close();
        }
    }

    private static JackConfig config() {
        return new JackConfig("jambox-midi-" + CLIENTS.incrementAndGet(), jackd.name(), List.of(), List.of());
    }

    /**
     * When jackd dies and comes back, the box's MIDI comes back with it: a new frame clock (an event
     * queued for the old one is dropped and counted), the ports again, the hardware source wired
     * again, and its notes in on their frames.
     */
    @Test
    void midiComesBackWithJackd() throws Exception {
        try (JackdProcess server = JackdProcess.startedForTests(64)) {
            JackConfig config = new JackConfig("jambox-midi-" + CLIENTS.incrementAndGet(), server.name(), List.of(), List.of());
            String midiIn = config.clientName() + ":" + JackMidiPorts.IN;
            try (JackBackend backend = new JackBackend(config)) {
                List<Heard> heard = listen(backend.midi());
                backend.start(new GainInvertEngine());
                waitFor("periods", () -> backend.midi().frameTime() > 0);
                assertTrue(backend.midi().send(backend.midi().frameTime() + 48_000L * 3600, 0x90, 1, 1));
                server.kill();
                waitFor("the backend to notice", () -> !backend.running());
                server.start();
                waitFor("the backend back", backend::running);
                try (MidiProbe pedal = new MidiProbe(server.name(), "pedal", true)) {
                    waitFor("the source wired on the new server", () -> connections(pedal).contains(midiIn));
                    long frame = pedal.frameNow() + AHEAD;
                    pedal.play(frame, (byte) 0xB0, (byte) 7, (byte) 99);
                    waitFor("its controller message", () -> !heard.isEmpty());
                    assertEquals(frame, heard.get(0).frame());
                    assertArrayEquals(new byte[] {(byte) 0xB0, 7, 99}, heard.get(0).bytes());
                }
                MidiCounters counters = backend.midi().counters();
                System.out.println("JackMidiTest: after jackd came back, " + counters + ", clocks " + backend.midi().clocks()
                        + ", heard " + heard + ", xruns " + backend.xruns());
                assertEquals(2, backend.midi().clocks());
                assertEquals(1, counters.droppedOut(), "the event queued for the old clock");
            }
        }
    }

    /** A probe and when its client began to open (before its ports were registered). */
    private record Timed(MidiProbe probe, long createdNanos) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            probe.close();
        }
    }

    /** What a listener heard: frame and bytes of each event. */
    private record Heard(long frame, byte[] bytes) {
        @Override
        public String toString() {
            return frame + Arrays.toString(bytes);
        }
    }

    /** Events played but not heard at the same frame with the same bytes. */
    private static List<MidiProbe.Event> missing(List<MidiProbe.Event> played, List<Heard> heard) {
        List<MidiProbe.Event> out = new ArrayList<>();
        for (MidiProbe.Event e : played) {
            if (heard.stream().noneMatch(h -> h.frame() == e.frame() && Arrays.equals(h.bytes(), e.bytes()))) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<Heard> listen(MidiPorts midi) {
        List<Heard> heard = java.util.Collections.synchronizedList(new ArrayList<>());
        midi.addListener((frame, data, length) -> heard.add(new Heard(frame, Arrays.copyOf(data, length))));
        return heard;
    }

    /**
     * Rounds of 100 notes 37 frames apart (every offset in a 64-frame period, two events in some
     * periods), a 256-byte sysex, a 300-byte one and a one-byte message, played into midi_in. JACK
     * loses or repeats events around a cycle that overruns (the dummy driver on this shared VM has
     * some), so rounds with an xrun are not judged; in at least {@value #CLEAN_ROUNDS} rounds
     * without one, every event but the 300-byte one (dropped and counted) arrives with the frame
     * and bytes it was played with, and nothing else arrives.
     */
    @Test
    void notesSentIntoMidiInArriveWithTheirBytesAtTheirExactFrames() throws Exception {
        JackConfig config = config();
        try (JackBackend backend = new JackBackend(config);
             MidiProbe probe = new MidiProbe(jackd.name(), "keys", false)) {
            List<Heard> heard = listen(backend.midi());
            backend.start(new GainInvertEngine());
            probe.sendTo(config.clientName() + ":" + JackMidiPorts.IN);
            int n = 100;
            byte[] sysex = new byte[MidiPorts.MAX_EVENT_BYTES];
            sysex[0] = (byte) 0xF0;
            for (int i = 1; i < sysex.length - 1; i++) {
                sysex[i] = (byte) (i & 0x7f);
            }
            sysex[sysex.length - 1] = (byte) 0xF7;
            byte[] tooLong = Arrays.copyOf(sysex, 300);
            tooLong[255] = 0x11;
            tooLong[299] = (byte) 0xF7;
            int clean = 0;
            int rounds = 0;
            long events = 0;
            while (clean < CLEAN_ROUNDS && rounds < MAX_ROUNDS) {
                rounds++;
                heard.clear();
                probe.clear();
                MidiCounters c0 = backend.midi().counters();
                long xruns0 = backend.xruns();
                long base = probe.frameNow() + AHEAD;
                for (int k = 0; k < n; k++) {
                    int status = k % 2 == 0 ? 0x90 : 0x80;
                    probe.play(base + 37L * k, (byte) (status | k % 16), (byte) (k % 128), (byte) (k % 2 == 0 ? 100 : 0));
                }
                long last = base + 37L * n;
                probe.play(last, sysex);
                probe.play(last + 10, tooLong);
                probe.play(last + 20, (byte) 0xFC);
                waitFor("the round played", () -> probe.played().size() == n + 3);
                Thread.sleep(50); // the box's listener thread polls every millisecond
                List<MidiProbe.Event> played = probe.played();
                List<MidiProbe.Event> expected = new ArrayList<>(played);
                expected.remove(n + 1); // the 300-byte sysex
                MidiCounters c1 = backend.midi().counters();
                // In a cycle that overruns jackd2 may run the box on a buffer the probe has not
                // refilled yet: events lost, or heard again a period later. Such rounds prove nothing.
                boolean xrun = backend.xruns() != xruns0;
                if (!xrun) {
                    for (Heard h : List.copyOf(heard)) {
                        assertTrue(expected.stream().anyMatch(e -> e.frame() == h.frame() && Arrays.equals(e.bytes(), h.bytes())),
                                "heard " + h + ", which was not played at that frame");
                    }
                    assertEquals(expected.size(), heard.size(), "missing " + missing(expected, heard));
                    for (int i = 0; i < expected.size(); i++) {
                        assertEquals(expected.get(i).frame(), heard.get(i).frame(), "frame of event " + i);
                        assertArrayEquals(expected.get(i).bytes(), heard.get(i).bytes(), "bytes of event " + i);
                    }
                    assertEquals(expected.size(), c1.received() - c0.received());
                    assertEquals(1, c1.droppedIn() - c0.droppedIn(), "the 300-byte sysex");
                    clean++;
                    events += expected.size();
                }
            }
            System.out.printf("JackMidiTest: into midi_in, %d of %d rounds without an xrun brought all %d events on "
                    + "their frame with their bytes; counters %s, xruns %d%n", clean, rounds, events,
                    backend.midi().counters(), backend.xruns());
            assertEquals(CLEAN_ROUNDS, clean, "rounds without an xrun");
        }
    }

    /**
     * Rounds of 100 controller messages scheduled 53 frames apart on midi_out: in a round without
     * an xrun each leaves in the period of its frame at its offset (the probe hears it at that
     * frame of JACK's clock). Then a late one leaves at offset 0 of the next period and is counted,
     * and one sent for NOW leaves at offset 0.
     */
    @Test
    void eventsScheduledOnMidiOutLeaveInTheirPeriodAtTheirOffset() throws Exception {
        JackConfig config = config();
        try (JackBackend backend = new JackBackend(config);
             MidiProbe probe = new MidiProbe(jackd.name(), "synth", false)) {
            backend.start(new GainInvertEngine());
            probe.hearFrom(config.clientName() + ":" + JackMidiPorts.OUT);
            MidiPorts midi = backend.midi();
            waitFor("periods", () -> midi.frameTime() > 0);
            int n = 100;
            int clean = 0;
            int rounds = 0;
            long sent = 0;
            while (clean < CLEAN_ROUNDS && rounds < MAX_ROUNDS) {
                rounds++;
                probe.clear();
                long xruns0 = backend.xruns();
                long late0 = midi.counters().late();
                // jack_frame_time: the clock of midi.frameTime(), read now rather than at the last period.
                long base = probe.frameNow() + AHEAD;
                List<Long> scheduled = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    long frame = base + 53L * k;
                    scheduled.add(frame);
                    assertTrue(midi.send(frame, 0xB0 | k % 16, k % 128, 127 - k % 128));
                }
                long end = scheduled.get(n - 1);
                waitFor("the round's end", () -> midi.frameTime() > end + 64);
                Thread.sleep(20);
                sent += n;
                if (backend.xruns() != xruns0) {
                    continue; // the probe may have missed or misread a cycle
                }
                List<MidiProbe.Event> heard = probe.heard();
                assertEquals(n, heard.size(), "heard " + heard);
                for (int k = 0; k < n; k++) {
                    MidiProbe.Event e = heard.get(k);
                    assertEquals(scheduled.get(k), e.frame(), "frame of event " + k);
                    assertArrayEquals(new byte[] {(byte) (0xB0 | k % 16), (byte) (k % 128), (byte) (127 - k % 128)},
                            e.bytes());
                }
                assertEquals(late0, midi.counters().late(), "late events in a round without an xrun");
                clean++;
            }
            assertEquals(CLEAN_ROUNDS, clean, "rounds without an xrun");
            // One event late already and one for NOW, until a try without an xrun: the late one leaves
            // at offset 0 of the next period and is counted, the NOW one at offset 0.
            String figures = null;
            for (int tries = 0; figures == null && tries < MAX_ROUNDS; tries++) {
                probe.clear();
                MidiCounters c0 = midi.counters();
                long xruns0 = backend.xruns();
                long before = midi.frameTime();
                assertTrue(midi.send(before - 1000, 0x90, 64, 1));
                assertTrue(midi.send(MidiPorts.NOW, 0xFA));
                sent += 2;
                waitFor("a few periods", () -> midi.frameTime() > before + 4 * 64);
                Thread.sleep(20);
                if (backend.xruns() != xruns0) {
                    continue;
                }
                List<MidiProbe.Event> heard = probe.heard();
                assertEquals(2, heard.size(), "heard " + heard);
                MidiProbe.Event late = heard.get(0);
                MidiProbe.Event now = heard.get(1);
                assertEquals(0, late.offset());
                assertTrue(late.frame() >= before);
                assertEquals(0, now.offset());
                assertEquals(1, midi.counters().late() - c0.late());
                figures = "late one sent at " + before + " for " + (before - 1000) + " left at " + late + ", NOW at " + now;
            }
            assertTrue(figures != null, "no try without an xrun");
            MidiCounters counters = midi.counters();
            System.out.printf("JackMidiTest: from midi_out, %d of %d rounds without an xrun had every event in its "
                    + "period at its offset; %s; counters %s, xruns %d%n", clean, rounds, figures, counters, backend.xruns());
            assertEquals(sent, counters.sent());
            assertEquals(0, counters.dropped());
        }
    }

    /**
     * Both ports busy: the probe plays 4 notes a period and a 200-byte sysex every tenth period into
     * midi_in, a feeder queues a note every 16 frames for midi_out, a listener takes what arrives.
     * JACK's process thread allocates no more than JNAJack's own 24 B per port per cycle (six ports:
     * two audio in, two audio out, MIDI in and out).
     */
    @Test
    void movingMidiBothWaysAllocatesNothingOfOurOwnOnJacksProcessThread() throws Exception {
        GainInvertEngine engine = new GainInvertEngine();
        JackConfig config = config();
        try (JackBackend backend = new JackBackend(config);
             MidiProbe probe = new MidiProbe(jackd.name(), "both", false);
             SineProbe sine = new SineProbe(jackd.name(), 1000, 0.5f)) {
            AtomicLong bytes = new AtomicLong();
            backend.midi().addListener((frame, data, length) -> bytes.addAndGet(length));
            backend.start(engine);
            sine.wire(config.clientName());
            probe.sendTo(config.clientName() + ":" + JackMidiPorts.IN);
            probe.hearFrom(config.clientName() + ":" + JackMidiPorts.OUT);
            MidiPorts midi = backend.midi();
            waitFor("periods", () -> midi.frameTime() > 0);
            probe.stream(4);
            Thread feeder = Thread.ofPlatform().daemon().start(() -> {
                long next = midi.frameTime() + 640;
                while (!Thread.currentThread().isInterrupted()) {
                    while (next < midi.frameTime() + AHEAD) { // 600 waiting: the queue holds 1024
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
                MidiCounters c0 = midi.counters();
                double perPeriod = engine.allocatedPerPeriod(6_000, 4_000, 120);
                MidiCounters c1 = midi.counters();
                long in = c1.received() - c0.received();
                long out = c1.sent() - c0.sent();
                System.out.printf("JackMidiTest: with %d events in and %d out meanwhile, JACK's process thread "
                        + "allocated %.1f B per period (6 ports: JNAJack's 24 B each is 144); counters %s, xruns %d%n",
                        in, out, perPeriod, c1, backend.xruns());
                assertTrue(perPeriod <= 6 * 24, "allocated " + perPeriod + " B per period");
                assertTrue(in > 4_000 * 4, "only " + in + " events came in");
                assertTrue(out > 4_000 * 3, "only " + out + " events went out");
                assertEquals(c0.droppedIn(), c1.droppedIn());
                assertEquals(c0.droppedOut(), c1.droppedOut());
                assertEquals(0, backend.callbackFaults());
            } finally {
                feeder.interrupt();
                probe.stream(0);
            }
        }
    }

    /**
     * A hardware MIDI source there at start is wired to midi_in as the box starts; one that appears
     * later (a controller plugged in) within a second, and its notes come in. A hardware sink (a
     * synth) is wired from midi_out, and what the box sends reaches it.
     */
    @Test
    void hardwareMidiSourcesAreWiredAtStartAndWhenTheyAppear() throws Exception {
        JackConfig config = config();
        String midiIn = config.clientName() + ":" + JackMidiPorts.IN;
        String midiOut = config.clientName() + ":" + JackMidiPorts.OUT;
        try (MidiProbe early = new MidiProbe(jackd.name(), "pedal", true);
             MidiProbe notHardware = new MidiProbe(jackd.name(), "app", false);
             MidiProbe synth = new MidiProbe(jackd.name(), "synth", false, true);
             JackBackend backend = new JackBackend(config)) {
            List<Heard> heard = listen(backend.midi());
            backend.start(new GainInvertEngine());
            waitFor("the early source wired", () -> connections(early).contains(midiIn));
            waitFor("the synth wired", () -> fromConnections(synth).contains(midiOut));
            long due = backend.midi().frameTime() + AHEAD;
            assertTrue(backend.midi().send(due, 0x99, 36, 110));
            waitFor("the synth's note", () -> !synth.heard().isEmpty());
            assertEquals(due, synth.heard().get(0).frame(), "the synth hears the note at its frame");
            assertEquals(List.of(synth.fromPort()), backend.midiSinks());
            assertTrue(fromConnections(notHardware).isEmpty(), "a sink that is not hardware stays unwired");
            long appeared;
            long wired;
            try (Timed late = startedAndTimed(jackd.name())) {
                appeared = late.createdNanos();
                waitFor("the late source wired", () -> connections(late.probe()).contains(midiIn), 5);
                wired = System.nanoTime();
                long frame = late.probe().frameNow() + AHEAD;
                late.probe().play(frame, (byte) 0x90, (byte) 40, (byte) 90);
                waitFor("its note", () -> !heard.isEmpty());
                assertEquals(frame, heard.get(0).frame());
                double ms = (wired - appeared) / 1e6;
                System.out.printf("JackMidiTest: hardware sources wired %s; a source that appeared after the start "
                        + "was wired %.1f ms after its client opened%n", backend.midiSources(), ms);
                assertTrue(ms < 1000, "wired after " + ms + " ms");
            }
            assertTrue(connections(notHardware).isEmpty(), "a source that is not hardware stays unwired");
            assertTrue(backend.midiSources().contains(early.toPort()));
        }
    }

    private static Timed startedAndTimed(String server) throws Exception {
        long t = System.nanoTime();
        return new Timed(new MidiProbe(server, "plugged", true), t);
    }

    private static List<String> fromConnections(MidiProbe probe) {
        try {
            return probe.fromConnections();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> connections(MidiProbe probe) {
        try {
            return probe.toConnections();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        waitFor(what, condition, 20);
    }

    private static void waitFor(String what, BooleanSupplier condition, java.util.function.Supplier<String> state)
            throws InterruptedException {
        try {
            waitFor(what, condition, 20);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + state.get());
        }
    }

    private static void waitFor(String what, BooleanSupplier condition, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(1);
        }
    }
}
