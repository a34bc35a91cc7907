package jambox.dsp.pedal;

import static jambox.dsp.Signals.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Locale;

import org.junit.jupiter.api.Test;

import jambox.dsp.Pedal;

class OctaveTest {
    private static final int N = 16384;
    private static final double BIN = FS / N;
    private static final double A = 0.3;

    static Pedal octave(double down, double up, double dry, double tone) {
        Pedal p = pedal(Octave.TYPE);
        p.set("down", down);
        p.set("up", up);
        p.set("dry", dry);
        p.set("tone", tone);
        return p;
    }

    /** The steady second half of a second of {@code in} through the pedal. */
    static float[] steady(Pedal p, float[] in) {
        return slice(run(p, in), 0.5, 1.0);
    }

    static float[] chord(double amplitude, double... hz) {
        float[] x = new float[(int) FS];
        for (double f : hz) {
            float[] s = sine(f, amplitude, 1.0);
            for (int i = 0; i < x.length; i++) {
                x[i] += s[i];
            }
        }
        return x;
    }

    /** Frequency of the strongest bin between 20 Hz and 5 kHz. */
    static double strongestHz(float[] x) {
        float[] spec = spectrum(x, N);
        int best = (int) (20 / BIN);
        for (int b = best; b < 5000 / BIN; b++) {
            best = spec[b] > spec[best] ? b : best;
        }
        return best * BIN;
    }

    /**
     * The loudest component between 20 Hz and 5 kHz that is none of the {@code main} ones nor
     * of the {@code expected} ones (within 4 bins, the window's main lobe), relative to the
     * weaker main one, in dB.
     */
    static double junkDb(float[] x, double[] main, double... expected) {
        float[] spec = spectrum(x, N);
        double weakest = Double.MAX_VALUE;
        for (double w : main) {
            int c = (int) Math.round(w / BIN);
            double top = 0;
            for (int d = -2; d <= 2; d++) {
                top = Math.max(top, spec[c + d]);
            }
            weakest = Math.min(weakest, top);
        }
        double junk = 0;
        for (int b = (int) (20 / BIN); b < 5000 / BIN; b++) {
            boolean near = false;
            for (double w : join(main, expected)) {
                near |= Math.abs(b * BIN - w) <= 4 * BIN;
            }
            if (!near) {
                junk = Math.max(junk, spec[b]);
            }
        }
        return db(junk / weakest);
    }

    @Test
    void a220HzSineGoesDownToA110HzOneWithNothingLeftAt220() {
        float[] out = steady(octave(100, 0, 0, 100), sine(220, A, 1.0));
        double sub = db(amplitudeAt(out, 110) / A), left = db(amplitudeAt(out, 220) / A), third = db(amplitudeAt(out, 330) / A);
        System.out.printf(Locale.ROOT, "octave down of 220 Hz: 110 Hz %.1f dB, 220 Hz %.1f dB, 330 Hz %.1f dB (re input)%n", sub, left, third);
        assertEquals(110, strongestHz(out), BIN);
        assertTrue(sub - left > 80, "220 Hz only " + (sub - left) + " dB under the sub");
        assertTrue(sub - third > 14, "330 Hz only " + (sub - third) + " dB under the sub");
    }

    @Test
    void a220HzSineGoesUpToA440HzOne() {
        float[] out = steady(octave(0, 100, 0, 100), sine(220, A, 1.0));
        double upper = db(amplitudeAt(out, 440) / A), left = db(amplitudeAt(out, 220) / A), fourth = db(amplitudeAt(out, 880) / A);
        System.out.printf(Locale.ROOT, "octave up of 220 Hz: 440 Hz %.1f dB, 220 Hz %.1f dB, 880 Hz %.1f dB (re input)%n", upper, left, fourth);
        assertEquals(440, strongestHz(out), BIN);
        assertTrue(upper - left > 80, "220 Hz only " + (upper - left) + " dB under the octave up");
        assertTrue(upper - fourth > 18, "880 Hz only " + (upper - fourth) + " dB under the octave up");
    }

    /**
     * Hiss on the strings: a divider that missed or doubled a flip would slip half a cycle and
     * bring back the input's own pitch (with a 20 % hysteresis it came back at -31 dB).
     */
    @Test
    void hissDoesNotBreakUpTheOctaveDown() {
        java.util.Random rnd = new java.util.Random(5);
        float[] in = sine(220, A, 1.0);
        for (int i = 0; i < in.length; i++) {
            in[i] += (float) (A * 0.5 * rnd.nextGaussian());
        }
        float[] out = steady(octave(100, 0, 0, 100), in);
        double sub = amplitudeAt(out, 110), left = amplitudeAt(out, 220);
        System.out.printf(Locale.ROOT, "220 Hz with white noise 3 dB under it: 110 Hz %.1f dB, 220 Hz %.1f dB (re input)%n", db(sub / A), db(left / A));
        assertTrue(db(sub / A) > -3, "the octave down fell to " + db(sub / A) + " dB");
        assertTrue(db(left / sub) < -36, "220 Hz only " + db(left / sub) + " dB under the sub");
    }

    /**
     * Every semitone from low E to the 21st fret of the high E: a note between two band centres
     * rings in both bands, and only the bank's lining-up keeps the two halves from cancelling.
     */
    @Test
    void bothOctavesStayLevelOverTheGuitarsRange() {
        double downMin = 99, downMax = -99, upMin = 99, upMax = -99;
        for (int semitone = 0; semitone <= 45; semitone++) {
            double hz = 82.41 * Math.pow(2, semitone / 12.0);
            double d = db(amplitudeAt(steady(octave(100, 0, 0, 100), sine(hz, A, 1.0)), hz / 2) / A);
            double u = db(amplitudeAt(steady(octave(0, 100, 0, 100), sine(hz, A, 1.0)), hz * 2) / A);
            downMin = Math.min(downMin, d);
            downMax = Math.max(downMax, d);
            upMin = Math.min(upMin, u);
            upMax = Math.max(upMax, u);
        }
        System.out.printf(Locale.ROOT, "over 82..1109 Hz: octave down %.1f .. %.1f dB, octave up %.1f .. %.1f dB (re input)%n",
                downMin, downMax, upMin, upMax);
        assertTrue(downMin > -3 && downMax < 3, "octave down " + downMin + " .. " + downMax + " dB");
        assertTrue(upMin > -2.5 && upMax < 2, "octave up " + upMin + " .. " + upMax + " dB");
    }

    /**
     * A melody through one pedal: each note finds the dividers wherever the last one left them,
     * locked on either of two phases; whichever, neighbouring bands must not cancel.
     */
    @Test
    void theOctaveDownStaysLevelNoteAfterNote() {
        Pedal p = octave(100, 0, 0, 100);
        double slot = 0.4;
        java.util.Random rnd = new java.util.Random(3);
        double min = 99, max = -99;
        StringBuilder notes = new StringBuilder();
        for (int n = 0; n < 40; n++) {
            double hz = 82.41 * Math.pow(2, rnd.nextInt(40) / 12.0);
            float[] out = run(p, sine(hz, A, slot));
            double level = db(amplitudeAt(slice(out, 0.2, slot), hz / 2) / A);
            notes.append(String.format(Locale.ROOT, " %.0f:%.1f", hz, level));
            min = Math.min(min, level);
            max = Math.max(max, level);
        }
        System.out.printf(Locale.ROOT, "40 random notes in a row: octave down %.1f .. %.1f dB%n", min, max);
        assertTrue(min > -4 && max < 7, "octave down " + min + " .. " + max + " dB:" + notes);
    }

    /** G and B together: each gets its own octave down, where one divider on the sum would sputter. */
    @Test
    void aTwoNoteChordGivesBothOctavesDown() {
        double g = 196.0, b = 246.94;
        float[] out = steady(octave(100, 0, 0, 100), chord(0.2, g, b));
        double lowG = db(amplitudeAt(out, g / 2) / 0.2), lowB = db(amplitudeAt(out, b / 2) / 0.2);
        // The 3/2 partials each sub-octave carries are part of its wave, not intermodulation.
        double junk = junkDb(out, new double[] {g / 2, b / 2}, 1.5 * g, 1.5 * b);
        double naive = junkDb(flipFlop(chord(0.2, g, b)), new double[] {g / 2, b / 2}, 1.5 * g, 1.5 * b);
        System.out.printf(Locale.ROOT, "chord 196 + 247 Hz: 98 Hz %.1f dB, 123.5 Hz %.1f dB, worst other component %.1f dB "
                + "(one flip-flop on the sum: %.1f dB)%n", lowG, lowB, junk, naive);
        assertTrue(Math.abs(lowG - lowB) < 3, "98 Hz " + lowG + " dB vs 123.5 Hz " + lowB + " dB");
        assertTrue(junk < -8, "intermodulation at " + junk + " dB");
        assertTrue(naive > junk + 30, "a plain divider's junk " + naive + " dB is not worse than the bank's " + junk);
    }

    /**
     * A power chord (A and E) gives both octaves up. Rectifying also makes the two notes' sum
     * tone wherever both ring in one band: a fifth apart the bands keep it down; a third apart
     * (G and B) they cannot in a few ms, and the sum tone is as loud as the octaves.
     */
    @Test
    void aPowerChordGivesBothOctavesUp() {
        double a = 110.0, e = 164.81;
        float[] out = steady(octave(0, 100, 0, 100), chord(0.2, a, e));
        double highA = db(amplitudeAt(out, a * 2) / 0.2), highE = db(amplitudeAt(out, e * 2) / 0.2);
        double sum = db(amplitudeAt(out, a + e) / 0.2);
        double junk = junkDb(out, new double[] {2 * a, 2 * e}, 4 * a, 4 * e, a + e);
        float[] third = steady(octave(0, 100, 0, 100), chord(0.2, 196.0, 246.94));
        double thirdSum = db(amplitudeAt(third, 196.0 + 246.94) / amplitudeAt(third, 2 * 196.0));
        System.out.printf(Locale.ROOT, "power chord 110 + 165 Hz up: 220 Hz %.1f dB, 330 Hz %.1f dB, sum tone %.1f dB, "
                + "worst component besides %.1f dB; chord 196 + 247 Hz up: sum tone %.1f dB re 392 Hz%n", highA, highE, sum, junk, thirdSum);
        assertTrue(Math.abs(highA - highE) < 3, "220 Hz " + highA + " dB vs 330 Hz " + highE + " dB");
        assertTrue(sum < Math.min(highA, highE) - 3, "sum tone " + sum + " dB vs octaves " + highA + ", " + highE + " dB");
        assertTrue(junk < -10, "other intermodulation at " + junk + " dB");
    }

    static double[] join(double[] a, double[] b) {
        double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /**
     * A plucked A string (110 Hz and its harmonics): each harmonic is divided in its own band,
     * so the result is a note an octave lower, 55 Hz and its harmonics, with little in between.
     */
    @Test
    void aPluckedStringGoesDownToTheNoteAnOctaveLower() {
        float[] out = run(octave(100, 0, 0, 100), pluck(110, 1.0));
        float[] spec = spectrum(slice(out, 0.1, 0.1 + N / FS), N);
        int strongest = (int) (20 / BIN);
        double offGrid = 0;
        for (int b = strongest; b < 1200 / BIN; b++) {
            strongest = spec[b] > spec[strongest] ? b : strongest;
            double f = b * BIN;
            if (Math.abs(f - 55 * Math.round(f / 55)) > 4 * BIN) {
                offGrid = Math.max(offGrid, spec[b]);
            }
        }
        double offGridDb = db(offGrid / spec[(int) Math.round(55 / BIN)]);
        System.out.printf(Locale.ROOT, "plucked 110 Hz, octave down: strongest at %.1f Hz; worst component off the 55 Hz harmonics %.1f dB%n",
                strongest * BIN, offGridDb);
        assertEquals(55, strongest * BIN, 2 * BIN);
        assertTrue(offGridDb < -30, "off-harmonic component at " + offGridDb + " dB");
    }

    /** The classic analog octave: a flip-flop toggled by every upward zero crossing of the whole signal. */
    static float[] flipFlop(float[] x) {
        float[] y = new float[x.length];
        float sign = 1;
        for (int i = 1; i < x.length; i++) {
            if (x[i - 1] < 0 && x[i] >= 0) {
                sign = -sign;
            }
            y[i] = x[i] * sign;
        }
        return slice(y, 0.5, 1.0);
    }

    @Test
    void dryAlonePassesTheInputUnchanged() {
        float[] in = pluck(110, 1.0);
        float[] out = run(octave(0, 0, 100, 30), in);
        double worst = 0;
        for (int i = 0; i < in.length; i++) {
            worst = Math.max(worst, Math.abs(out[i] - in[i]));
        }
        assertTrue(worst <= 1e-6, "dry differs by " + worst);
    }

    /**
     * How much later than an ideal, instant octave the pedal's octave reaches half its steady
     * level after a note starts: the build-up of the narrow bands, the price of telling a
     * chord's notes apart. The level of the octave's frequency is read through a sliding
     * two-period window, on the pedal's output and on the ideal octave alike, so the window's
     * own lag cancels out.
     */
    static double onsetMs(double hz, double down, double up) {
        double target = down > 0 ? hz / 2 : hz * 2;
        int start = (int) (0.1 * FS);
        float[] in = concat(silence(0.1), sine(hz, A, 0.5));
        float[] out = run(octave(down, up, 0, 100), in);
        float[] ideal = new float[in.length];
        for (int i = start; i < ideal.length; i++) {
            ideal[i] = (float) (A * Math.sin(2 * Math.PI * target * (i - start) / FS));
        }
        assertTrue(amplitudeAt(slice(out, 0.35, 0.6), target) > 0.5 * peak(slice(out, 0.35, 0.6)), "not an octave at " + hz);
        return (halfLevelAt(out, target, start) - halfLevelAt(ideal, target, start)) * 1000 / FS;
    }

    /** The first sample after {@code start} at which the level at {@code hz}, over the two periods up to it, is half its final level. */
    static int halfLevelAt(float[] x, double hz, int start) {
        int window = (int) Math.round(2 * FS / hz);
        double last = level(x, hz, x.length - window, window);
        for (int end = start; end < x.length; end++) {
            if (level(x, hz, end - window, window) >= 0.5 * last) {
                return end;
            }
        }
        throw new AssertionError("never reached half level at " + hz + " Hz");
    }

    private static double level(float[] x, double hz, int from, int n) {
        double re = 0, im = 0;
        for (int i = from; i < from + n; i++) {
            double ph = 2 * Math.PI * hz * i / FS;
            re += x[i] * Math.cos(ph);
            im += x[i] * Math.sin(ph);
        }
        return 2 * Math.hypot(re, im) / n;
    }

    @Test
    void theOctavesBuildUpWithinAFewMilliseconds() {
        StringBuilder report = new StringBuilder("octave onset, later than an ideal octave's:");
        double[] notes = {110, 165, 220, 330, 440, 660};
        // Bounds per note, measured with about 1 ms to spare: the bands' build-up time falls as the pitch rises.
        double[] bounds = {14, 11, 7, 5.5, 4.5, 3.5};
        boolean within = true;
        for (int i = 0; i < notes.length; i++) {
            double d = onsetMs(notes[i], 100, 0), u = onsetMs(notes[i], 0, 100);
            report.append(String.format(Locale.ROOT, " %.0f Hz down %.1f ms up %.1f ms;", notes[i], d, u));
            within &= d < bounds[i] && u < bounds[i];
        }
        System.out.println(report);
        assertTrue(within, report.toString());
    }

    @Test
    void toneDarkensTheOctavesOnly() {
        double bright = amplitudeAt(steady(octave(0, 100, 0, 100), sine(440, A, 1.0)), 880);
        double dark = amplitudeAt(steady(octave(0, 100, 0, 0), sine(440, A, 1.0)), 880);
        System.out.printf(Locale.ROOT, "tone 0 %% vs 100 %% on the 880 Hz octave up: %.1f dB%n", db(dark / bright));
        assertTrue(db(dark / bright) < -6, "tone 0 % only " + db(dark / bright) + " dB under tone 100 %");
        float[] in = sine(2000, A, 1.0);
        float[] out = steady(octave(0, 0, 100, 0), in);
        assertEquals(0, db(amplitudeAt(out, 2000) / A), 0.01);
    }

    @Test
    void levelsAreFaders() {
        double full = amplitudeAt(steady(octave(100, 0, 0, 100), sine(220, A, 1.0)), 110);
        double half = amplitudeAt(steady(octave(50, 0, 0, 100), sine(220, A, 1.0)), 110);
        assertEquals(-6.02, db(half / full), 0.05);
        double withDry = amplitudeAt(steady(octave(100, 0, 50, 100), sine(220, A, 1.0)), 220);
        assertEquals(-6.02, db(withDry / A), 0.05);
        // The octaves follow the picking: a divider's band keeps the partial's level, where a flip-flop's square wave would not.
        double soft = amplitudeAt(steady(octave(100, 0, 0, 100), sine(220, A / 10, 1.0)), 110);
        assertEquals(-20, db(soft / full), 0.1);
        double softUp = amplitudeAt(steady(octave(0, 100, 0, 100), sine(220, A / 10, 1.0)), 440);
        double fullUp = amplitudeAt(steady(octave(0, 100, 0, 100), sine(220, A, 1.0)), 440);
        assertEquals(-20, db(softUp / fullUp), 0.1);
    }
}
