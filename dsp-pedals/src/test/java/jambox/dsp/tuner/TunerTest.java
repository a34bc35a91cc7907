package jambox.dsp.tuner;

import static jambox.dsp.Signals.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TunerTest {
    private Tuner tuner;
    private long fed;

    @BeforeEach
    void start() {
        tuner = (Tuner) pedal(Tuner.TYPE);
        tuner.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        tuner.stop();
    }

    /** Plays a signal through the pedal in 64-frame blocks and waits (bounded) for the worker to read its end. */
    private TunerReading hear(float[] signal) throws InterruptedException {
        run(tuner, signal);
        fed += signal.length;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (tuner.reading().position() != fed) {
            assertTrue(System.nanoTime() < deadline, "the tuner never analysed the newest samples");
            Thread.sleep(5);
        }
        return tuner.reading();
    }

    private static double hz(int midi, double cents) {
        return 440 * Math.pow(2, (midi - 69 + cents / 100) / 12.0);
    }

    @Test
    void everyOpenStringWithinOneCent() throws Exception {
        int[] strings = {40, 45, 50, 55, 59, 64};
        String[] names = {"E2", "A2", "D3", "G3", "B3", "E4"};
        for (int s = 0; s < strings.length; s++) {
            for (double detune : new double[] {0, -20, 13.5}) {
                // The analysis sees the newest 2048 samples: 0.3 s into the pluck.
                TunerReading r = hear(pluck(hz(strings[s], detune), 0.3));
                assertTrue(r.pitched(), names[s] + " " + detune + ": " + r);
                assertEquals(names[s], r.note(), names[s] + " " + detune + ": " + r);
                assertEquals(detune, r.cents(), 1.0, names[s] + " " + detune + " cents: " + r);
            }
        }
    }

    @Test
    void namesNotesUpToE6AndFollowsTheReference() throws Exception {
        assertEquals("A4", hear(pluck(440, 0.3)).note());
        assertEquals("C#5", hear(pluck(hz(73, 0), 0.3)).note());
        TunerReading e6 = hear(sine(hz(88, 0), 0.3, 0.3));
        assertEquals("E6", e6.note());
        assertEquals(0, e6.cents(), 1.0);
        tuner.set("reference", 432);
        TunerReading flat = hear(pluck(440, 0.3));
        assertEquals("A4", flat.note());
        assertEquals(1200 * Math.log(440 / 432.0) / Math.log(2), flat.cents(), 1.0, "440 Hz against A = 432");
    }

    @Test
    void silenceIsNoPitch() throws Exception {
        assertFalse(hear(silence(0.2)).pitched());
        assertEquals("no pitch", tuner.reading().toString());
    }

    @Test
    void muteFadesTheOutputAndThePedalStillListens() throws Exception {
        tuner.set("mute", 1);
        float[] out = run(tuner, sine(196, 0.5, 0.5));
        fed += out.length;
        assertEquals(0.0, peak(slice(out, 0.1, 0.5)), 0.0, "muted");
        assertTrue(maxStep(out, 1, out.length) <= 0.5 * 2 * Math.sin(Math.PI * 196 / FS) + 0.5 / 480, "no click");
        assertEquals("G3", hear(sine(196, 0.5, 0.3)).note());
    }

    @Test
    void theRingNeverBlocksTheWriterAndDetectsBeingLapped() {
        SampleRing ring = new SampleRing(4096);
        float[] block = new float[64];
        float[] window = new float[2048];
        for (int b = 0; b < 1000; b++) {
            java.util.Arrays.fill(block, b);
            ring.write(block, 64);
        }
        assertEquals(64000, ring.readLatest(window));
        assertEquals(999f, window[2047]);
        assertEquals(968f, window[0]);
        assertEquals(-1, new SampleRing(4096).readLatest(window), "not enough samples yet");
    }
}
