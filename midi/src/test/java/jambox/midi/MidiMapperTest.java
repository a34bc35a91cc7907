package jambox.midi;

import jambox.surface.Target;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Real MIDI bytes in, the surface's calls out. */
class MidiMapperTest {

    private static final Target DRIVE = Target.param("overdrive", "drive");
    private static final Target MID = Target.param("eq", "midFreq");
    /** The eq's mid frequency as the catalog has it: 200 Hz .. 5 kHz on a log taper. */
    private static final Travel EQ_MID = (target, hz) -> Math.log(hz / 200) / Math.log(5000.0 / 200);

    private final Recording listener = new Recording();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private MidiMapper mapper(Binding... bindings) {
        return mapper(Programs.DEFAULT, bindings);
    }

    private MidiMapper mapper(Programs programs, Binding... bindings) {
        return new MidiMapper(new MidiMap(List.of(bindings), programs), listener, EQ_MID, now::get);
    }

    private static void send(MidiMapper mapper, int... bytes) {
        byte[] message = new byte[bytes.length + 2];
        for (int i = 0; i < bytes.length; i++) {
            message[i + 1] = (byte) bytes[i];
        }
        mapper.receive(message, 1, bytes.length); // an offset, as in a buffer of many events
    }

    private static void cc(MidiMapper mapper, int channel, int number, int value) {
        send(mapper, 0xB0 | channel - 1, number, value);
    }

    @Test
    void anAbsoluteCcFollowsAtOnceUntilTheBoxSaysAnything() {
        MidiMapper m = mapper(Binding.of(Source.cc(7, 1), DRIVE));
        cc(m, 1, 7, 0);
        cc(m, 1, 7, 127);
        cc(m, 1, 7, 64);
        assertEquals(List.of("absolute param overdrive.drive 0.0000", "absolute param overdrive.drive 1.0000",
                "absolute param overdrive.drive 0.5039"), listener.take());
    }

    @Test
    void softTakeoverIgnoresTheFaderUntilItPassesTheBoxsValueThenFollows() {
        MidiMapper m = mapper(Binding.of(Source.cc(7, 1), DRIVE));
        m.current(DRIVE, 0.5);                  // a preset put the drive at half
        for (int v : new int[] {10, 30, 50, 60}) {
            cc(m, 1, 7, v);                     // 0.08 .. 0.47: below it, nothing moves
        }
        assertEquals(List.of(), listener.take());
        cc(m, 1, 7, 70);                        // 0.47 -> 0.55 passes 0.5
        cc(m, 1, 7, 40);                        // and from then on it follows, either way
        assertEquals(List.of("absolute param overdrive.drive 0.5512", "absolute param overdrive.drive 0.3150"), listener.take());

        m.current(DRIVE, 0.9);                  // the page turns it up: the fader lets go again
        cc(m, 1, 7, 100);
        assertEquals(List.of(), listener.take());
        cc(m, 1, 7, 114);                       // 0.898: within 2 % of it, caught
        assertEquals(List.of("absolute param overdrive.drive 0.8976"), listener.take());
    }

    @Test
    void aRangeWithALogCurveSweepsFrequenciesInEqualRatios() {
        MidiMapper m = mapper(new Binding(Source.cc(74, Source.ANY), MID, null, new Range(400, 1600, Curve.LOG), Binding.NEXT));
        cc(m, 1, 74, 0);
        cc(m, 3, 74, 127);
        send(m, 0xB0, 74, 64);                  // the middle of 400..1600 Hz in ratios is 800 Hz
        double at400 = EQ_MID.position(MID, 400);
        double at800 = EQ_MID.position(MID, 800.0 * Math.pow(2, 1 / 127.0));
        assertEquals(List.of(String.format(java.util.Locale.ROOT, "absolute param eq.midFreq %.4f", at400),
                String.format(java.util.Locale.ROOT, "absolute param eq.midFreq %.4f", EQ_MID.position(MID, 1600)),
                String.format(java.util.Locale.ROOT, "absolute param eq.midFreq %.4f", at800)), listener.take());
    }

    /**
     * An expression pedal sending CC 4, turned round: heel 2000 Hz, toe 400 Hz along the
     * parameter's own (log) taper; the middle of its travel is the middle of the taper.
     */
    @Test
    void aHeelAndToeRangeFollowsTheTargetsTaperEvenTurnedRound() {
        MidiMapper m = mapper(new Binding(Source.cc(4, Source.ANY), MID, null, new Range(2000, 400, Curve.TAPER), Binding.NEXT));
        cc(m, 1, 4, 0);
        cc(m, 3, 4, 127);
        send(m, 0xB0, 4, 64);
        List<String> seen = listener.take();
        assertEquals(3, seen.size(), seen.toString());
        double[] hz = new double[3];
        for (int i = 0; i < 3; i++) {
            double position = Double.parseDouble(seen.get(i).substring(seen.get(i).lastIndexOf(' ') + 1));
            hz[i] = 200 * Math.pow(5000.0 / 200, position); // back to Hz by the taper, as the box does
        }
        assertEquals(2000, hz[0], 2000 * 1e-3, "heel");
        assertEquals(400, hz[1], 400 * 1e-3, "toe");
        // CC 64 of 127 is a hair past halfway: the geometric mean of heel and toe, moved that hair.
        assertEquals(Math.sqrt(2000 * 400.0) * Math.pow(400 / 2000.0, 0.5 / 127), hz[2], 1.0, "tapered middle");
    }

    @Test
    void relativeCcsStepInEachCommonEncoding() {
        MidiMapper m = mapper(
                new Binding(Source.cc(20, 1), DRIVE, Encoding.TWOS_COMPLEMENT, null, Binding.NEXT),
                new Binding(Source.cc(21, 1), Target.master(), Encoding.SIGNED_BIT, null, Binding.NEXT),
                new Binding(Source.cc(22, 1), Target.monitor(0), Encoding.BINARY_OFFSET, null, Binding.NEXT),
                new Binding(Source.cc(23, 1), Target.preset(), Encoding.TWOS_COMPLEMENT, null, Binding.NEXT));
        for (int v : new int[] {1, 3, 127, 125, 64, 0}) {
            cc(m, 1, 20, v);
        }
        assertEquals(List.of("relative param overdrive.drive 1", "relative param overdrive.drive 3",
                "relative param overdrive.drive -1", "relative param overdrive.drive -3",
                "relative param overdrive.drive -64"), listener.take());
        for (int v : new int[] {1, 5, 65, 69, 64, 0}) {
            cc(m, 1, 21, v);
        }
        assertEquals(List.of("relative master 1", "relative master 5", "relative master -1", "relative master -5"), listener.take());
        for (int v : new int[] {65, 70, 63, 60, 64}) {
            cc(m, 1, 22, v);
        }
        assertEquals(List.of("relative monitor 0 1", "relative monitor 0 6", "relative monitor 0 -1", "relative monitor 0 -4"), listener.take());
        cc(m, 1, 23, 5);                        // a fast turn still steps presets one at a time
        cc(m, 1, 23, 126);
        assertEquals(List.of("relative preset 1", "relative preset -1"), listener.take());
    }

    @Test
    void aProgramChangeLoadsThePresetOfThatNumber() {
        MidiMapper m = mapper();
        send(m, 0xC0, 0);
        send(m, 0xC5, 7);
        assertEquals(List.of("loadPreset 0", "loadPreset 7"), listener.take());

        MidiMapper offset = mapper(new Programs(true, 2, 1), Binding.of(Source.program(9, Source.ANY), Target.tuner()));
        send(offset, 0xC1, 0);                  // below the first: nothing
        send(offset, 0xC1, 1);
        send(offset, 0xC1, 4);
        send(offset, 0xC0, 4);                  // channel 1: not the programs' channel
        send(offset, 0xC1, 9);                  // a bound program is a press instead
        assertEquals(List.of("loadPreset 0", "loadPreset 3", "pressed tuner"), listener.take());

        MidiMapper off = mapper(Programs.OFF);
        send(off, 0xC0, 3);
        assertEquals(List.of(), listener.take());
    }

    @Test
    void aNoteOnIsAPressAndItsReleaseIsNothing() {
        MidiMapper m = mapper(Binding.of(Source.note(60, 1), Target.bypass("delay")),
                new Binding(Source.note(62, 1), Target.preset(), null, null, Binding.PREVIOUS),
                new Binding(Source.note(64, 1), Target.preset(), null, null, 3),
                Binding.of(Source.note(65, 1), Target.preset()),
                Binding.of(Source.cc(80, 1), Target.tap()));
        send(m, 0x90, 60, 100);
        send(m, 0x80, 60, 0);
        send(m, 0x90, 60, 0);                   // note-on at velocity 0: a release
        send(m, 0x90, 62, 90);
        send(m, 0x90, 64, 90);
        send(m, 0x90, 65, 1);
        cc(m, 1, 80, 127);                      // a footswitch on a CC: pressed
        cc(m, 1, 80, 0);                        // let go
        cc(m, 1, 80, 127);
        assertEquals(List.of("pressed bypass delay", "relative preset -1", "loadPreset 2", "pressed preset",
                "pressed tap", "pressed tap"), listener.take());
    }

    @Test
    void aBindingOnOneChannelHearsOnlyThatChannel() {
        MidiMapper m = mapper(Binding.of(Source.note(60, 2), Target.tap()), Binding.of(Source.note(61, Source.ANY), Target.tuner()));
        send(m, 0x90, 60, 100);                 // channel 1
        send(m, 0x92, 60, 100);                 // channel 3
        send(m, 0x91, 60, 100);                 // channel 2
        send(m, 0x9F, 61, 100);                 // channel 16, bound on any
        assertEquals(List.of("pressed tap", "pressed tuner"), listener.take());
    }

    @Test
    void theLastMessageIsKeptAndWhatIsNotForTheMapIsCounted() {
        MidiMapper m = mapper();
        assertNull(m.last());
        cc(m, 1, 11, 64);
        assertEquals("CC 11 ch 1 = 64", m.last().toString());
        send(m, 0x9F, 60, 0);
        assertEquals("note 60 ch 16 off", m.last().toString());
        send(m, 0xF8);                          // clock
        send(m, 0xE0, 0, 64);                   // pitch bend
        send(m, 0xB0, 11);                      // a byte short
        send(m, 0xB0, 0x8B, 3);                 // a status byte where data belongs
        send(m);
        assertEquals(5, m.ignored());
        assertEquals("note 60 ch 16 off", m.last().toString());
        send(m, 0xC2, 5);
        assertEquals("program 5 ch 3", m.last().toString());
        send(m, 0x90, 36, 127);
        assertEquals("note 36 ch 1 on, velocity 127", m.last().toString());
    }

    @Test
    void learnBindsTheNextControlThatFitsOnItsChannelAndThenDisarms() {
        MidiMapper m = mapper(Binding.of(Source.cc(11, Source.ANY), Target.tap()));
        List<MidiMap> saved = new ArrayList<>();
        m.learn(DRIVE, Duration.ofSeconds(30), saved::add);
        assertEquals(DRIVE, m.learning());
        send(m, 0x90, 60, 100);                 // a note cannot drive a parameter: still waiting
        send(m, 0xC0, 3);                       // nor a program change (which still loads its preset)
        assertEquals(List.of("loadPreset 3"), listener.take());
        assertEquals(DRIVE, m.learning());
        cc(m, 3, 11, 20);                       // this one: bound, and it does nothing else
        assertNull(m.learning());
        assertEquals(List.of(), listener.take());
        MidiMap learned = new MidiMap(List.of(Binding.of(Source.cc(11, 3), DRIVE)), Programs.DEFAULT);
        assertEquals(List.of(learned), saved);
        assertEquals(learned, m.map());         // the old CC 11 on any channel is gone
        cc(m, 3, 11, 30);
        cc(m, 1, 11, 127);                      // other channels are no longer bound
        assertEquals(List.of("absolute param overdrive.drive 0.2362"), listener.take());
    }

    @Test
    void aLearnedFaderTakesOverSoftlyFromTheBoxsValue() {
        MidiMapper m = mapper();
        m.current(DRIVE, 0.8);
        cc(m, 1, 1, 0);                          // the box's values reach the MIDI thread with any message
        m.learn(DRIVE, Duration.ofSeconds(30), map -> { });
        cc(m, 1, 7, 10);
        cc(m, 1, 7, 50);
        cc(m, 1, 7, 90);
        cc(m, 1, 7, 103);                       // 0.709 .. 0.811 crosses 0.8
        assertEquals(List.of("absolute param overdrive.drive 0.8110"), listener.take());
    }

    @Test
    void learnForAPressTakesANoteOrAProgramAndGivesUpAfterItsTimeout() {
        MidiMapper m = mapper();
        List<MidiMap> saved = new ArrayList<>();
        m.learn(Target.bypass("delay"), Duration.ofSeconds(10), saved::add);
        send(m, 0x80, 40, 0);                   // a note-off binds nothing
        send(m, 0xC9, 12);
        assertEquals(List.of(Binding.of(Source.program(12, 10), Target.bypass("delay"))), saved.getFirst().bindings());
        send(m, 0xC9, 12);
        assertEquals(List.of("pressed bypass delay"), listener.take());

        m.learn(Target.tap(), Duration.ofSeconds(10), saved::add);
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        send(m, 0x90, 50, 100);                 // too late: not bound, not learning
        assertNull(m.learning());
        assertEquals(1, saved.size());

        m.learn(Target.tuner(), Duration.ofSeconds(10), saved::add);
        m.cancelLearn();
        send(m, 0x90, 50, 100);
        assertNull(m.learning());
        assertEquals(1, saved.size());
        assertEquals(List.of(), listener.take());
    }

    @Test
    void aMapSetFromElsewhereIsUsedFromTheNextMessage() {
        MidiMapper m = mapper(Binding.of(Source.note(60, 1), Target.tap()));
        send(m, 0x90, 60, 100);
        m.use(new MidiMap(List.of(Binding.of(Source.note(60, 1), Target.tuner())), Programs.DEFAULT));
        send(m, 0x90, 60, 100);
        assertEquals(List.of("pressed tap", "pressed tuner"), listener.take());
    }
}
