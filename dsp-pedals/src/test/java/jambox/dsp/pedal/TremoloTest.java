package jambox.dsp.pedal;

import static jambox.dsp.Signals.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import jambox.dsp.Pedal;
import jambox.dsp.Transport;

class TremoloTest {

    /** The gain the tremolo applied at each sample: output over a constant input. */
    private static float[] gainCurve(double rate, double depth, String shape, double seconds) {
        Pedal p = pedal(Tremolo.TYPE);
        p.set("rate", rate);
        p.set("depth", depth);
        p.set("shape", Tremolo.TYPE.param("shape").choiceIndex(shape));
        float[] in = new float[(int) (seconds * FS)];
        java.util.Arrays.fill(in, 0.5f);
        float[] out = run(p, in);
        for (int i = 0; i < out.length; i++) {
            out[i] /= 0.5f;
        }
        return out;
    }

    /** Rate from the mean spacing of upward crossings of the curve's midpoint. */
    private static double measuredRate(float[] g) {
        double mid = (peak(g) + min(g)) / 2;
        int first = -1, last = -1, count = 0;
        for (int i = 1; i < g.length; i++) {
            if (g[i - 1] < mid && g[i] >= mid) {
                if (first < 0) {
                    first = i;
                } else {
                    count++;
                    last = i;
                }
            }
        }
        return count * FS / (double) (last - first);
    }

    private static double min(float[] x) {
        double m = Double.MAX_VALUE;
        for (float v : x) {
            m = Math.min(m, v);
        }
        return m;
    }

    @Test
    void rateAndDepthAreWhatTheKnobsSayForEveryShape() {
        for (String shape : new String[] {"sine", "triangle", "square"}) {
            for (double[] setting : new double[][] {{0.5, 100}, {2, 30}, {5, 60}, {13, 80}}) {
                float[] g = gainCurve(setting[0], setting[1], shape, 6);
                assertEquals(setting[0], measuredRate(g), setting[0] * 0.01, shape + " rate at " + setting[0] + " Hz");
                double depth = (peak(g) - min(g)) / peak(g) * 100;
                assertEquals(setting[1], depth, 2, shape + " depth at " + setting[1] + " %");
                assertTrue(peak(g) <= 1.0001, "never louder than the input");
            }
        }
    }

    @Test
    void itIsAmplitudeModulationNotRingModulation() {
        // A ring modulator flips the signal's sign; a tremolo's gain never goes below zero.
        float[] g = gainCurve(5, 100, "sine", 2);
        assertTrue(min(g) >= 0, "the gain stays positive: " + min(g));
        float[] out = run(pedal(Tremolo.TYPE), sine(1000, 0.3, 2));
        // The 1 kHz carrier survives: ring modulation would cancel it into sidebands.
        assertTrue(amplitudeAt(out, 1000) > 0.3 * 0.5, "carrier at " + amplitudeAt(out, 1000));
    }

    @Test
    void theSquareWaveDoesNotClick() {
        float[] g = gainCurve(10, 100, "square", 2);
        // Gain steps between 0 and 1 take about 2 ms (96 samples): no sample-to-sample jump near the full swing.
        assertTrue(maxStep(g, 1, g.length) < 0.05, "largest gain step " + maxStep(g, 1, g.length));
    }

    /** Synced to eighths at 150 bpm the tremolo pulses at 5 Hz, with the rate knob at 2 Hz. */
    @Test
    void syncedOnePulseLastsTheNoteValue() {
        Transport t = new Transport();
        for (double[] c : new double[][] {{150, 7, 5}, {90, 4, 1.5}, {120, 9, 6}}) { // bpm, choice, Hz
            t.set(c[0], 4, 0);
            Pedal p = pedal(Tremolo.TYPE, t);
            p.set("rate", 2);
            p.set("depth", 80);
            p.set("sync", c[1]);
            float[] in = new float[(int) (6 * FS)];
            java.util.Arrays.fill(in, 0.5f);
            float[] g = run(p, in);
            System.out.printf("tremolo synced to %s at %.0f bpm: %.3f Hz%n",
                    Tremolo.TYPE.param("sync").choices().get((int) c[1]), c[0], measuredRate(g));
            assertEquals(c[2], measuredRate(g), c[2] * 0.01);
        }
    }
}
