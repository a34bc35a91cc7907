package jambox.dsp.pedal;

import static jambox.dsp.Signals.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import jambox.dsp.Pedal;
import jambox.dsp.Transport;

class ChorusFlangerTest {

    /** Instantaneous frequency from the spacing of interpolated upward zero crossings. */
    private static List<double[]> frequencies(float[] x, int from) {
        List<double[]> out = new ArrayList<>();
        double last = -1;
        for (int i = from + 1; i < x.length; i++) {
            if (x[i - 1] < 0 && x[i] >= 0) {
                double t = i - 1 + x[i - 1] / (x[i - 1] - x[i]);
                if (last >= 0) {
                    out.add(new double[] {t / FS, FS / (t - last)});
                }
                last = t;
            }
        }
        return out;
    }

    /** Seconds per cycle of the frequency's wobble: upward crossings of its mean. */
    private static double modulationPeriod(List<double[]> f) {
        double max = f.stream().mapToDouble(v -> v[1]).max().orElseThrow();
        double min = f.stream().mapToDouble(v -> v[1]).min().orElseThrow();
        double mean = (max + min) / 2, first = -1, last = -1;
        int cycles = -1;
        for (int i = 1; i < f.size(); i++) {
            if (f.get(i - 1)[1] < mean && f.get(i)[1] >= mean) {
                cycles++;
                last = f.get(i)[0];
                if (first < 0) {
                    first = last;
                }
            }
        }
        return (last - first) / cycles;
    }

    /** Synced to half notes at 120 bpm the chorus sweeps once a second, with its rate knob at 3 Hz. */
    @Test
    void syncedTheChorusSweepsOnceANoteValue() {
        Transport t = new Transport();
        t.set(120, 4, 0);
        Pedal c = pedal(Chorus.TYPE, t);
        c.set("rate", 3);
        c.set("depth", 4);
        c.set("mix", 100);
        c.set("sync", Chorus.TYPE.param("sync").choiceIndex("1/2"));
        double period = modulationPeriod(frequencies(run(c, sine(1000, 0.5, 5.0)), (int) (0.5 * FS)));
        System.out.printf("chorus synced 1/2 at 120 bpm: one sweep in %.3f s%n", period);
        assertEquals(1.0, period, 0.02);
    }

    @Test
    void theChorusSweepsThePitchAsTheoryPredictsAndStaysClean() {
        double rate = 1.0, depthMs = 4;
        Pedal c = pedal(Chorus.TYPE);
        c.set("rate", rate);
        c.set("depth", depthMs);
        c.set("mix", 100);
        float[] out = run(c, sine(1000, 0.5, 4.0));
        List<double[]> f = frequencies(out, (int) (0.5 * FS));
        double max = f.stream().mapToDouble(v -> v[1]).max().orElseThrow();
        double min = f.stream().mapToDouble(v -> v[1]).min().orElseThrow();
        // Delay d(t) = base + depth (1 + sin)/2, so f(t) = f0 (1 - d'(t)): peak deviation f0 * pi * rate * depth.
        double expected = 1000 * Math.PI * rate * depthMs / 1000;
        assertEquals(expected, (max - min) / 2, expected * 0.15, "peak deviation in Hz");
        assertEquals(1 / rate, modulationPeriod(f), 0.02, "modulation period");
        // Interpolated reads keep the sine a sine: everything but the (moving) fundamental is far down.
        float[] spec = spectrum(slice(out, 1.0, 1.0 + 16384 / FS), 16384);
        double fundamental = 0;
        for (float v : spec) {
            fundamental = Math.max(fundamental, v);
        }
        double binHz = FS / 16384;
        for (int b = (int) (1500 / binHz); b < spec.length; b++) {
            assertTrue(db(spec[b] / fundamental) < -50, "component at " + b * binHz + " Hz: " + db(spec[b] / fundamental) + " dB");
        }
    }

    @Test
    void theFlangerCombLandsWhereTheDelaySaysAndFeedbackSharpensIt() {
        // Depth 0 freezes the delay at d = 1 ms: dry plus the comb y = x(t - d) + g y(t - d),
        // |1 + z / (1 - g z)| with z = e^(-j 2 pi f d): peaks and notches alternate every 500 Hz.
        for (double fb : new double[] {0, 60, -60, 90}) {
            double g = fb / 100;
            for (double hz : new double[] {1000, 1500, 2000, 2500, 1250}) {
                double w = -2 * Math.PI * hz * 0.001;
                double zr = Math.cos(w), zi = Math.sin(w);
                double dr = 1 - g * zr, di = -g * zi;
                double den = dr * dr + di * di;
                double hr = 1 + (zr * dr + zi * di) / den, hi = (zi * dr - zr * di) / den;
                double theory = db(Math.hypot(hr, hi));
                double measured = gainDbAt(flanger(fb), hz, 0.05);
                if (theory < -40) {
                    assertTrue(measured < -40, "notch at " + hz + " Hz, feedback " + fb + ": " + measured);
                } else {
                    assertEquals(theory, measured, 0.3, hz + " Hz at feedback " + fb);
                }
            }
        }
    }

    private static Pedal flanger(double fb) {
        Pedal p = pedal(Flanger.TYPE);
        p.set("depth", 0);
        p.set("delay", 1);
        p.set("feedback", fb);
        p.set("mix", 50);
        return p;
    }
}
