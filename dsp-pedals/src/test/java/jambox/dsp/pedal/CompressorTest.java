package jambox.dsp.pedal;

import static jambox.dsp.Signals.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import jambox.dsp.Pedal;

class CompressorTest {

    /** Output level (dB, peak of a sine) for a steady 1 kHz sine at {@code inDb} (peak). */
    private static double measure(Pedal p, double inDb) {
        double a = Math.pow(10, inDb / 20);
        float[] out = run(p, sine(1000, a, 1.5));
        return db(amplitudeAt(slice(out, 1.0, 1.5), 1000));
    }

    private static double theory(double in, double t, double r, double w, double makeup) {
        double over = in - t;
        double y;
        if (2 * over < -w) {
            y = in;
        } else if (2 * Math.abs(over) <= w) {
            y = in + (1 / r - 1) * Math.pow(over + w / 2, 2) / (2 * w);
        } else {
            y = t + over / r;
        }
        return y + makeup;
    }

    @Test
    void theStaticCurveIsWithinHalfADbOfTheory() {
        double[][] settings = {{-24, 4, 0, 0}, {-30, 8, 12, 6}, {-12, 2, 6, 3}, {-40, 20, 24, 10}};
        for (double[] s : settings) {
            for (double in = -50; in <= 0; in += 5) {
                Pedal c = pedal(Compressor.TYPE);
                c.set("threshold", s[0]);
                c.set("ratio", s[1]);
                c.set("knee", s[2]);
                c.set("makeup", s[3]);
                c.set("attack", 5);
                c.set("release", 300);
                double expected = theory(in, s[0], s[1], s[2], s[3]);
                assertEquals(expected, measure(c, in), 0.5,
                        String.format("threshold %.0f ratio %.0f knee %.0f makeup %.0f, input %.0f dB", s[0], s[1], s[2], s[3], in));
            }
        }
    }

    @Test
    void attackAndReleaseTakeAboutTheirTimes() {
        Pedal c = pedal(Compressor.TYPE);
        c.set("threshold", -30);
        c.set("ratio", 20);
        c.set("knee", 0);
        c.set("makeup", 0);
        c.set("attack", 20);
        c.set("release", 200);
        float[] in = concat(sine(1000, 0.01, 0.5), sine(1000, 0.5, 1.0), sine(1000, 0.01, 1.5));
        float[] out = run(c, in);
        // Gain after a step up: the envelope of out/in per millisecond.
        double start = 0.5 * FS;
        double settledUp = envelope(out, 1.4) / 0.5;
        double first = envelope(out, 0.5 + 0.002) / 0.5;
        double atAttack = envelope(out, 0.5 + 0.020 + 0.005) / 0.5;
        double dbFirst = db(first), dbSettled = db(settledUp), dbAttack = db(atAttack);
        // After about one attack time (plus the RMS detector's 5 ms), ~63 % of the reduction (in dB) is there.
        double done = (dbFirst - dbAttack) / (dbFirst - dbSettled);
        assertTrue(done > 0.45 && done < 0.85, "attack progress " + done);
        double settledDown = envelope(out, 2.9) / 0.01;
        double atRelease = envelope(out, 1.5 + 0.200 + 0.005) / 0.01;
        double rel = (db(atRelease) - dbSettled) / (db(settledDown) - dbSettled);
        assertTrue(rel > 0.45 && rel < 0.85, "release progress " + rel + " (start " + start + ")");
    }

    /** Peak amplitude over 1 ms around {@code t} seconds. */
    private static double envelope(float[] x, double t) {
        int c = (int) (t * FS);
        return peak(java.util.Arrays.copyOfRange(x, c - 24, c + 24));
    }
}
