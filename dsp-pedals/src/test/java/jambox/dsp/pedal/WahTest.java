package jambox.dsp.pedal;

import static jambox.dsp.Signals.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;

import org.junit.jupiter.api.Test;

import be.tarsos.dsp.util.fft.FFT;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;

/**
 * The wah measured from outside: a periodic multisine (every FFT bin of its period at one level,
 * random phases) goes in, so each period of what comes out is the filter's magnitude response,
 * read without a window; the centre is the loudest bin, refined by a parabola through the top
 * three in dB.
 */
class WahTest {
    private static final int FINE = 4096;

    /** Every bin 1 .. period/2-1 of {@code period} at one level, {@code rms} overall. */
    private static float[] multisine(int period, double rms, double seconds) {
        Random r = new Random(period);
        int bins = period / 2 - 1;
        double amp = rms * Math.sqrt(2.0 / bins);
        float[] one = new float[period];
        for (int k = 1; k <= bins; k++) {
            double phase = 2 * Math.PI * r.nextDouble();
            for (int i = 0; i < period; i++) {
                one[i] += (float) (amp * Math.cos(2 * Math.PI * k * i / period + phase));
            }
        }
        float[] x = new float[(int) Math.round(seconds * FS / period) * period];
        for (int at = 0; at < x.length; at += period) {
            System.arraycopy(one, 0, x, at, period);
        }
        return x;
    }

    /** The centre of the band in one period of the output starting at {@code from}, in Hz. */
    private static double centre(float[] out, int from, int period) {
        float[] data = java.util.Arrays.copyOfRange(out, from, from + period);
        FFT fft = new FFT(period);
        fft.forwardTransform(data);
        float[] amps = new float[period / 2];
        fft.modulus(data, amps);
        int best = 2;
        for (int k = 2; k < period / 2 - 2; k++) {
            best = amps[k] > amps[best] ? k : best;
        }
        double a = db(amps[best - 1]), b = db(amps[best]), c = db(amps[best + 1]);
        return (best + 0.5 * (a - c) / (a - 2 * b + c)) * FS / period;
    }

    private static Pedal wah(String mode) {
        Pedal p = pedal(Wah.TYPE);
        p.set("mode", Wah.TYPE.param("mode").choiceIndex(mode));
        return p;
    }

    /** The centre with the pedal held at {@code position}, once the filter has settled. */
    private static double centreAt(Pedal p, double position) {
        p.set("position", position);
        float[] out = run(p, multisine(FINE, 0.1, 0.5));
        return centre(out, out.length - FINE, FINE);
    }

    @Test
    void heelAndToeLandWhereTheDescriptorSays() {
        ParamSpec heel = Wah.TYPE.param("heel"), toe = Wah.TYPE.param("toe");
        for (double[] range : new double[][] {{heel.defaultValue(), toe.defaultValue()}, {heel.min(), toe.max()}, {heel.max(), toe.min()}}) {
            Pedal p = wah("pedal");
            p.set("heel", range[0]);
            p.set("toe", range[1]);
            assertEquals(range[0], centreAt(p, 0), range[0] * 0.01, "heel");
            assertEquals(range[1], centreAt(p, 100), range[1] * 0.01, "toe");
            // Halfway down the travel is halfway in octaves: what the ear hears as the middle.
            double middle = Math.sqrt(range[0] * range[1]);
            assertEquals(middle, centreAt(p, 50), middle * 0.01, "middle");
        }
        // The defaults are a crybaby's sweep.
        assertEquals(350, heel.defaultValue(), 50);
        assertEquals(2200, toe.defaultValue(), 300);
    }

    @Test
    void thePeakIsUnityGainAndTheQSetsItsWidth() {
        for (double q : new double[] {2, 6, 12}) {
            Pedal p = wah("pedal");
            p.set("q", q);
            p.set("position", 50);
            double fc = Math.sqrt(350 * 2200.0);
            assertEquals(0, gainDbAt(p, fc, 0.1), 0.1, "peak gain at Q " + q);
            // Half an octave off, a band-pass of Q q is down by 1 / sqrt(1 + q^2 (r - 1/r)^2).
            double r = Math.sqrt(2);
            double expected = -10 * Math.log10(1 + q * q * Math.pow(r - 1 / r, 2));
            assertEquals(expected, gainDbAt(p, fc * r, 0.1), 0.5, "half an octave up at Q " + q);
        }
    }

    @Test
    void positionMovesThePeakUpMonotonically() {
        Pedal p = wah("pedal");
        double last = 0;
        for (int position = 0; position <= 100; position += 10) {
            double c = centreAt(p, position);
            assertTrue(c > last * 1.1, "position " + position + " %: " + c + " Hz after " + last + " Hz");
            last = c;
        }
    }

    @Test
    void autoWahOpensOnALoudAttackAndClosesAsTheNoteDecays() {
        // Steady: quiet sits near the heel, loud reaches the toe.
        double quiet = centre(run(wah("auto"), multisine(FINE, 0.002, 0.5)), 4 * FINE, FINE);
        double loud = centre(run(wah("auto"), multisine(FINE, 0.3, 0.5)), 4 * FINE, FINE);
        assertTrue(quiet < 350 * 1.25, "quiet: " + quiet + " Hz");
        assertEquals(2200, loud, 2200 * 0.05, "loud");

        // A pluck: loud at once, then dying away over a second; the centre follows it down.
        int period = 2048;
        float[] note = multisine(period, 0.3, 1.5);
        for (int i = 0; i < note.length; i++) {
            note[i] *= (float) Math.exp(-i / (0.25 * FS));
        }
        float[] out = run(wah("auto"), note);
        double[] track = new double[note.length / period];
        for (int w = 0; w < track.length; w++) {
            track[w] = centre(out, w * period, period);
        }
        assertTrue(track[1] > 1500, "the attack opens it: " + track[1] + " Hz");
        assertTrue(track[track.length - 1] < 600, "the tail closes it: " + track[track.length - 1] + " Hz");
        for (int w = 3; w < track.length; w++) {
            assertTrue(track[w] <= track[w - 1] * 1.05, "falls back steadily: " + java.util.Arrays.toString(track));
        }
    }

    @Test
    void lfoModeSweepsAtTheRateSet() {
        int period = 1024;
        for (double rate : new double[] {0.5, 2.0}) {
            Pedal p = wah("lfo");
            p.set("rate", rate);
            float[] out = run(p, multisine(period, 0.1, 8.0));
            double[] track = new double[out.length / period];
            double lo = Double.MAX_VALUE, hi = 0;
            for (int w = 0; w < track.length; w++) {
                track[w] = Math.log(centre(out, w * period, period));
                lo = Math.min(lo, track[w]);
                hi = Math.max(hi, track[w]);
            }
            // It sweeps the whole range...
            assertTrue(Math.exp(lo) < 350 * 1.3 && Math.exp(hi) > 2200 / 1.3, "range " + Math.exp(lo) + " .. " + Math.exp(hi));
            // ...once per cycle: upward crossings of the middle, with hysteresis against the jitter of one window.
            double mid = (lo + hi) / 2, band = (hi - lo) / 6;
            boolean below = track[0] < mid;
            int first = -1, last = -1, count = 0;
            for (int w = 1; w < track.length; w++) {
                if (below && track[w] > mid + band) {
                    below = false;
                    if (first < 0) {
                        first = w;
                    } else {
                        count++;
                        last = w;
                    }
                } else if (!below && track[w] < mid - band) {
                    below = true;
                }
            }
            double measured = count * FS / ((last - first) * (double) period);
            assertEquals(rate, measured, rate * 0.05, "lfo rate");
        }
    }

    @Test
    void switchingModesGlidesTheCentreInsteadOfJumping() {
        Pedal p = wah("pedal");
        p.set("position", 0);
        float[] in = sine(2200, 0.25, 1.0);
        int at = 250 * BLOCK;
        float[] out = runBlocks(in, p::run, start -> {
            if (start == at) {
                p.set("mode", Wah.TYPE.param("mode").choiceIndex("auto"));
            }
        });
        // From the heel (a 2.2 kHz tone far down the skirt) to wide open (the tone at the peak):
        // the level rises over tens of milliseconds, not in one block.
        double before = rms(java.util.Arrays.copyOfRange(out, at - 960, at));
        double oneBlock = rms(java.util.Arrays.copyOfRange(out, at, at + BLOCK));
        double later = rms(java.util.Arrays.copyOfRange(out, at + 4800, at + 9600));
        assertTrue(later > 5 * before, "auto opens the wah on a loud tone: " + before + " -> " + later);
        assertTrue(oneBlock < before + 0.25 * (later - before), "but not at once: " + oneBlock);
    }
}
