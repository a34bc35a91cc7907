package jambox.appliance.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import jambox.appliance.audio.Capture;
import jambox.appliance.audio.LoopedInput;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.record.LocalRecorder;
import jambox.appliance.render.Wav;

/** The metronome measured on the engine's output: where each click starts, how loud, and where it never goes. */
import jambox.dsp.Transport;

class ClickTest {
    private static final int RATE = 48_000;
    private static final BoardSpec EMPTY = new BoardSpec("empty", List.of(List.of()));
    /** Well below the first sample of a -40 dBFS click, well above float rounding of silence. */
    private static final float ONSET = 1e-6f;

    /** Runs {@code periods} periods of {@code n} frames of silence through the simulated backend. */
    private static float[][] run(Engine engine, int periods, int n) throws InterruptedException {
        Capture capture = new Capture(periods * n);
        float[][] silence = {new float[RATE], new float[RATE]};
        SimulatedBackend backend = new SimulatedBackend(RATE, n, false, periods, new LoopedInput(silence), capture);
        backend.start(engine);
        assertTrue(backend.awaitFinished(60, TimeUnit.SECONDS));
        backend.close();
        return capture.audio();
    }

    /** The clicks in {@code x}: each one's first sample above {@link #ONSET} after at least 10 ms of silence. */
    static List<Integer> onsets(float[] x) {
        List<Integer> at = new ArrayList<>();
        int quiet = RATE;
        for (int i = 0; i < x.length; i++) {
            if (Math.abs(x[i]) > ONSET) {
                if (quiet >= RATE / 100) {
                    at.add(i);
                }
                quiet = 0;
            } else {
                quiet++;
            }
        }
        return at;
    }

    static double peak(float[] x, int from, int to) {
        double p = 0;
        for (int i = from; i < Math.min(to, x.length); i++) {
            p = Math.max(p, Math.abs(x[i]));
        }
        return p;
    }

    static double db(double v) {
        return 20 * Math.log10(v);
    }

    @ParameterizedTest(name = "{0} bpm, periods of {1} frames")
    @CsvSource({"120, 64", "97, 64", "333, 32", "61.7, 128"})
    void eachClickStartsOnItsBeatAndBeatOneIsAccented(double bpm, int n) throws Exception {
        Engine engine = new Engine(EMPTY);
        Click click = engine.click();
        click.setBpm(bpm);
        click.setBeatsPerBar(3);
        click.setLevelDb(-6);
        click.setAccentDb(6);
        click.setOn(true);
        int periods = (int) (6.0 * RATE / n); // six seconds
        float[][] out = run(engine, periods, n);

        double spb = 60.0 * RATE / bpm;
        // The click goes in before the safety limiter (on by default): it is heard its lookahead later.
        int delay = engine.limiter().latencySamples();
        List<Integer> onsets = onsets(out[0]);
        int expected = (int) Math.ceil((out[0].length - 2 - delay) / spb);
        assertEquals(expected, onsets.size(), "one click per beat: " + onsets);
        double worst = 0;
        for (int k = 0; k < onsets.size(); k++) {
            worst = Math.max(worst, Math.abs(onsets.get(k) - delay - k * spb));
        }
        double accent = peak(out[0], onsets.get(0), onsets.get(0) + 600);
        double other = peak(out[0], onsets.get(1), onsets.get(1) + 600);
        System.out.printf("click at %.1f bpm, %d-frame periods: %d clicks, worst onset %.2f samples from the beat;"
                + " accent %.2f dBFS, others %.2f dBFS%n", bpm, n, onsets.size(), worst, db(accent), db(other));
        assertTrue(worst <= 48, "every click within 1 ms (48 samples) of its beat: worst " + worst);
        assertTrue(worst <= 2, "in fact within the sample the beat falls in and the attack's first: worst " + worst);
        assertEquals(-6, db(accent), 0.1, "the accent's peak is the level set");
        assertEquals(-12, db(other), 0.1, "the others are 6 dB under it");
        assertEquals(accent, peak(out[0], onsets.get(3), onsets.get(3) + 600), 1e-4, "beat 1 of the next bar is accented");
        assertEquals(other, peak(out[0], onsets.get(2), onsets.get(2) + 600), 1e-4);
        assertTrue(accent > other * 1.5);
        for (int i = 0; i < out[0].length; i++) {
            if (out[0][i] != out[1][i]) {
                throw new AssertionError("the click is in the middle, sample " + i);
            }
        }
    }

    @ParameterizedTest(name = "accent {0} dB")
    @ValueSource(doubles = {0, 3, 10, 12})
    void theAccentStandsAsFarAboveTheOtherBeatsAsSet(double accentDb) throws Exception {
        Engine engine = new Engine(EMPTY);
        Click click = engine.click();
        click.setLevelDb(-3);
        click.setAccentDb(accentDb);
        click.setOn(true);
        float[][] out = run(engine, 3 * RATE / 64, 64);
        List<Integer> onsets = onsets(out[0]);
        double ratio = db(peak(out[0], onsets.get(0), onsets.get(0) + 600) / peak(out[0], onsets.get(1), onsets.get(1) + 600));
        System.out.printf("accent set %.1f dB: measured %.3f dB above the other beats%n", accentDb, ratio);
        assertEquals(accentDb, ratio, 0.1);
    }

    @Test
    void theClickEndsInSilenceWithoutAStep() throws Exception {
        Engine engine = new Engine(EMPTY);
        engine.click().setLevelDb(0);
        engine.click().setOn(true);
        engine.limiter().setOn(false); // a full-scale click would meet the limiter's ceiling: this is the click's own shape
        float[][] out = run(engine, RATE / 64, 64);
        int end = (int) (Click.LENGTH_SECONDS * RATE);
        double largestStep = 0;
        for (int i = 1; i < end + 10; i++) {
            largestStep = Math.max(largestStep, Math.abs(out[0][i] - out[0][i - 1]));
        }
        double sineStep = 2 * Math.PI * Click.ACCENT_HZ / RATE;
        System.out.printf("click envelope: first sample %.2e, largest step %.4f (a full-scale 1 kHz sine: %.4f),"
                + " last sample %.2e%n", out[0][1], largestStep, sineStep, out[0][end - 1]);
        assertTrue(Math.abs(out[0][1]) < 1e-3, "it starts from nothing");
        assertTrue(Math.abs(out[0][end - 1]) < 1e-3, "and ends in nothing");
        assertTrue(largestStep <= sineStep, "no step bigger than the tone's own");
        assertEquals(0, peak(out[0], end, RATE / 2), "silence after it");
    }

    @Test
    void theRoomNeverHearsTheClick() throws Exception {
        Engine engine = new Engine(EMPTY);
        double[] sent = new double[1];
        long[] frames = new long[1];
        engine.setUplink((audio, n) -> {
            for (float[] ch : audio) {
                sent[0] = Math.max(sent[0], peak(ch, 0, n));
            }
            frames[0] += n;
        });
        engine.click().setLevelDb(0);
        engine.click().setBpm(300);
        engine.click().setOn(true);
        float[][] out = run(engine, 2 * RATE / 64, 64);
        System.out.printf("room send: %d frames, peak %.1e; headphones: %d clicks, peak %.2f%n", frames[0], sent[0],
                onsets(out[0]).size(), peak(out[0], 0, out[0].length));
        assertEquals(2 * RATE / 64 * 64, frames[0], "the uplink got every period");
        assertEquals(0.0, sent[0], "not one sample of the click went to the room");
        assertEquals(10, onsets(out[0]).size(), "the headphones got the click");
    }

    @Test
    void stoppingLetsTheClickEndAndStartingBeginsANewBarOnBeatOne() {
        Engine engine = new Engine(EMPTY);
        engine.format(RATE, 64);
        Click click = engine.click();
        click.setBeatsPerBar(4);
        click.setAccentDb(12);
        float[][] in = {new float[64], new float[64]};
        float[] left = new float[RATE * 4];
        float[][] out = {new float[64], new float[64]};
        for (int p = 0; p < left.length / 64; p++) {
            if (p == 100) {
                click.setOn(true); // sample 6400
            }
            if (p == 478) {
                click.setOn(false); // sample 30592: the second beat (30400) is still sounding
            }
            if (p == 1500) {
                click.setOn(true); // sample 96000
            }
            engine.period(in, out, 64);
            System.arraycopy(out[0], 0, left, p * 64, 64);
        }
        List<Integer> onsets = onsets(left);
        // Each click's first sample is a zero crossing: it is heard from the next one on, and the
        // limiter's lookahead later.
        int d = engine.limiter().latencySamples();
        assertEquals(List.of(6401 + d, 30401 + d, 96001 + d, 120001 + d, 144001 + d, 168001 + d), onsets);
        assertTrue(peak(left, 96000, 96600) > 3 * peak(left, 120000, 120600), "a new start is beat 1");
        assertTrue(peak(left, 30592, 30900) > 0.01 && Math.abs(left[30400 + 575]) < 1e-3, "the stopped click played out");
    }

    /** The boards' clock follows the click: no tempo while it is off, then the beat each period starts on. */
    @Test
    void theBoardsTransportKeepsTheClicksBeat() {
        Engine engine = new Engine(EMPTY);
        engine.format(RATE, 64);
        Click click = engine.click();
        click.setBpm(120);
        click.setBeatsPerBar(3);
        float[][] in = {new float[64], new float[64]};
        float[][] out = {new float[64], new float[64]};
        Transport t = engine.transport();
        double worst = 0;
        for (int p = 0; p < 2000; p++) {
            if (p == 100) {
                click.setOn(true); // beat 1 at sample 6400, every 24000 after
            }
            engine.period(in, out, 64);
            if (p < 100) {
                assertFalse(t.hasTempo(), "period " + p + ": no tempo while the metronome is off");
            } else if (p > 100) {
                assertEquals(120, t.bpm());
                assertEquals(3, t.beatsPerBar());
                double expected = ((p * 64 - 6400) / 24000.0) % 3;
                double off = Math.abs(t.beatInBar() - expected);
                worst = Math.max(worst, Math.min(off, 3 - off));
            }
        }
        System.out.printf("transport's beat against the click's: at most %.2e beats apart%n", worst);
        assertTrue(worst < 1e-6, "the boards' beat is " + worst + " beats off the click's");
        click.setOn(false);
        engine.period(in, out, 64);
        engine.period(in, out, 64);
        assertFalse(t.hasTempo());
    }

    /** 2048 samples of the click, switched {@code on[k]} at period {@code periods[k]}. */
    private static float[] play(int[] periods, boolean[] on) {
        Engine engine = new Engine(EMPTY);
        engine.format(RATE, 64);
        engine.click().setLevelDb(-6);
        float[][] in = {new float[64], new float[64]};
        float[][] out = {new float[64], new float[64]};
        float[] left = new float[2048];
        for (int p = 0; p < left.length / 64; p++) {
            for (int k = 0; k < periods.length; k++) {
                if (periods[k] == p) {
                    engine.click().setOn(on[k]);
                }
            }
            engine.period(in, out, 64);
            System.arraycopy(out[0], 0, left, p * 64, 64);
        }
        return left;
    }

    @Test
    void aRestartDuringAClickLetsThatClickEndAsItWould() {
        // On at sample 640, off, on again at 896: a new bar starts while the first click sounds.
        float[] both = play(new int[] {10, 13, 14}, new boolean[] {true, false, true});
        float[] first = play(new int[] {10, 13}, new boolean[] {true, false});
        float[] second = play(new int[] {14}, new boolean[] {true});
        double worst = 0;
        for (int i = 0; i < both.length; i++) {
            worst = Math.max(worst, Math.abs(both[i] - (first[i] + second[i])));
        }
        System.out.printf("a restart 256 samples into a click: output differs from the two clicks added by %.1e%n", worst);
        assertTrue(peak(first, 640, 1300) > 0.4 && peak(second, 896, 1500) > 0.4);
        assertTrue(worst < 1e-6, "the two overlap and add: the first is not cut off");
    }

    @Test
    void aRoomBeatMovesTheClickOntoItAndSmallWobblesDoNot() {
        Engine engine = new Engine(EMPTY);
        engine.format(RATE, 64);
        Click click = engine.click();
        click.setOn(true);
        float[][] in = {new float[64], new float[64]};
        float[][] out = {new float[64], new float[64]};
        float[] left = new float[RATE * 3];
        double earliest = 0;
        double latest = 0;
        for (int p = 0; p < left.length / 64; p++) {
            // Unpaced, the engine runs far faster than real time: the click takes its clock from
            // the periods' own starts, so a beat is placed from the one that reads it.
            long before = System.nanoTime();
            if (p == 200) {
                // The room's beat 3 of 4 comes 101.2 ms from now, at 150 bpm: the click moves there.
                long beat = before + 101_200_000L;
                click.follow(beat, 2, 150, 4);
                engine.period(in, out, 64);
                long after = System.nanoTime();
                earliest = p * 64 + (beat - after) * 1e-9 * RATE;
                latest = p * 64 + (beat - before) * 1e-9 * RATE;
            } else if (p == 1000) {
                // A beat 1 ms off what the click keeps: jitter, not heard.
                engine.period(in, out, 64); // this period's start fixes the clock the beat is given on
                long start = System.nanoTime();
                double next = latest + 3 * 19_200;
                click.follow(start + (long) ((next - (p + 1) * 64) * 1e9 / RATE) + 1_000_000, 1, 150, 4);
            } else {
                engine.period(in, out, 64);
            }
            System.arraycopy(out[0], 0, left, p * 64, 64);
        }
        List<Integer> onsets = onsets(left);
        List<Integer> after = onsets.stream().filter(i -> i >= 200 * 64).toList();
        System.out.printf("room beat due between samples %.1f and %.1f, clicks at %s%n", earliest, latest, after);
        assertTrue(after.get(0) >= earliest - 48 && after.get(0) <= latest + 48,
                "on the room's beat within 1 ms: " + after.get(0) + " vs " + earliest + " .. " + latest);
        for (int k = 1; k < after.size(); k++) {
            assertEquals(19_200, after.get(k) - after.get(k - 1), 1, "at the room's 150 bpm, untouched by the 1 ms wobble");
        }
        double first = peak(left, after.get(0), after.get(0) + 600);
        double accent = peak(left, after.get(2), after.get(2) + 600);
        assertTrue(accent > first * 1.5, "the room's beat 1 is two beats after its beat 3: accented");
    }

    @Test
    void aCountInPlaysOneBarAndTheTakeStartsOnTheNextDownbeat(@TempDir Path dir) throws Exception {
        Engine engine = new Engine(EMPTY);
        engine.format(RATE, 64);
        Click click = engine.click();
        click.setBpm(180); // 16000 samples a beat
        click.setBeatsPerBar(3);
        click.setLevelDb(-6);
        float[][] in = {new float[64], new float[64]};
        float[][] out = {new float[64], new float[64]};
        float[] left = new float[RATE * 2];
        LocalRecorder recorder = new LocalRecorder(dir.resolve("take"), RATE);
        int countedAt = -1;
        for (int p = 0; p < left.length / 64; p++) {
            if (p == 10) {
                click.countIn();
                engine.setRecorder(recorder);
                assertFalse(click.counted());
            }
            for (int i = 0; i < 64; i++) {
                // A ramp, far too small to count as a click in the self-monitor: where the take begins is readable.
                in[0][i] = (p * 64 + i) * 1e-12f;
            }
            engine.period(in, out, 64);
            if (countedAt < 0 && click.counted() && p >= 10) {
                countedAt = p * 64;
            }
            System.arraycopy(out[0], 0, left, p * 64, 64);
        }
        engine.setRecorder(null);
        recorder.close();
        List<Integer> onsets = onsets(left);
        System.out.println("count-in clicks at " + onsets + ", take from sample " + countedAt);
        int d = engine.limiter().latencySamples(); // the click is heard the limiter's lookahead later
        assertEquals(List.of(641 + d, 16641 + d, 32641 + d), onsets, "one bar of three, and silence after: the click is off");
        assertEquals(640 + 48000, countedAt, "the take starts on the downbeat after the bar");
        Wav.Audio take = Wav.read(dir.resolve("take").resolve("input-1.wav"));
        assertEquals(countedAt * 1e-12f, take.channels()[0][0], 1e-16f, "the recording starts there too");
    }

    @ParameterizedTest(name = "periods of {0} frames")
    @ValueSource(ints = {32, 64, 128})
    void aPeriodWithTheClickAllocatesNothing(int n) {
        Engine engine = new Engine(EMPTY);
        engine.format(RATE, n);
        Click click = engine.click();
        click.setOn(true);
        float[][] in = {new float[n], new float[n]};
        float[][] out = {new float[n], new float[n]};
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        // Tempo, bar, level, start/stop, count-ins and room beats change while it plays.
        Thread knobs = new Thread(() -> {
            for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                click.setBpm(60 + i % 300);
                click.setBeatsPerBar(1 + i % 12);
                click.setLevelDb(-(i % 40));
                click.setAccentDb(i % 13);
                click.setOn(i % 50 != 0);
                if (i % 70 == 0) {
                    click.countIn();
                }
                if (i % 3 == 0) {
                    click.follow(System.nanoTime() + (i % 17) * 1_000_000L, i % 4, 90 + i % 50, 4);
                }
                LockSupport.parkNanos(200_000);
            }
        });
        knobs.start();
        int periods = 40_000 * 64 / n;
        long best = Long.MAX_VALUE;
        int window = periods / 8;
        for (int w = 0; w < 8; w++) {
            long before = mx.getThreadAllocatedBytes(tid);
            for (int k = 0; k < window; k++) {
                engine.period(in, out, n);
            }
            long bytes = mx.getThreadAllocatedBytes(tid) - before;
            if (w >= 2) {
                best = Math.min(best, bytes); // the JVM may allocate a little after a deoptimisation
            }
        }
        knobs.interrupt();
        System.out.println("engine with the click, " + n + " frames: " + best + " bytes over the best window of " + window
                + " periods");
        assertEquals(0, best, "bytes allocated per " + window + " periods after warm-up");
    }
}
