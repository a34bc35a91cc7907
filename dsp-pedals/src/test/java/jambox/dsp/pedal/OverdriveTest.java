package jambox.dsp.pedal;

import static jambox.dsp.Signals.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import jambox.dsp.Pedal;
import jambox.dsp.PedalType;

class OverdriveTest {
    private static final int N = 16384;
    private static final double BIN = FS / N;

    /** Total harmonic distortion of a 220 Hz sine, as a ratio. */
    static double thd(Pedal p, double amplitude) {
        float[] out = slice(run(p, sine(220, amplitude, 1.0)), 0.5, 1.0);
        double fundamental = amplitudeAt(out, 220), harmonics = 0;
        for (int h = 2; h * 220 < 20000; h++) {
            harmonics += Math.pow(amplitudeAt(out, 220 * h), 2);
        }
        return Math.sqrt(harmonics) / fundamental;
    }

    /**
     * The loudest component that is not a harmonic of {@code hz} (nor DC), relative to the
     * fundamental, in dB: what aliasing leaves behind.
     */
    static double worstNonHarmonicDb(Pedal p, double hz, double amplitude) {
        float[] out = run(p, sine(hz, amplitude, 1.0));
        float[] spec = spectrum(slice(out, 0.5, 0.5 + N / FS), N);
        double fundamental = spec[(int) Math.round(hz / BIN)];
        for (int d = -3; d <= 3; d++) {
            fundamental = Math.max(fundamental, spec[(int) Math.round(hz / BIN) + d]);
        }
        double worst = 0;
        for (int b = (int) (30 / BIN); b < spec.length; b++) {
            double f = b * BIN;
            double nearestHarmonic = Math.round(f / hz) * hz;
            if (Math.abs(f - nearestHarmonic) > 6 * BIN) {
                worst = Math.max(worst, spec[b]);
            }
        }
        return db(worst / fundamental);
    }

    static Pedal at(PedalType type, String param, double value) {
        Pedal p = pedal(type);
        p.set(param, value);
        return p;
    }

    @Test
    void distortionGrowsWithDrive() {
        double previous = -1;
        for (double drive : new double[] {0, 10, 20, 30, 40}) {
            double thd = thd(at(Overdrive.TYPE, "drive", drive), 0.3);
            System.out.printf("overdrive drive %2.0f dB: THD %.2f %%%n", drive, thd * 100);
            assertTrue(thd > previous * 1.2, "THD " + thd + " at drive " + drive + " vs " + previous);
            previous = thd;
        }
    }

    @Test
    void aliasingOfA5kHzSineAtFullDriveStays50dBDown() {
        for (double amplitude : new double[] {0.5, 1.0}) {
            for (double tone : new double[] {50, 100}) {
                Pedal p = at(Overdrive.TYPE, "drive", 40);
                p.set("tone", tone);
                double worst = worstNonHarmonicDb(p, 5000, amplitude);
                System.out.printf("overdrive 5 kHz at %.1f dBFS, tone %.0f %%: worst non-harmonic %.1f dB%n", db(amplitude), tone, worst);
                assertTrue(worst <= -50, "aliasing at " + worst + " dB (input " + amplitude + ", tone " + tone + ")");
            }
        }
    }

    @Test
    void theMidsAreDrivenMoreThanTheBass() {
        // Small signal, low drive: 1 kHz comes out louder than 100 Hz, the hump.
        Pedal a = at(Overdrive.TYPE, "drive", 6);
        a.set("tone", 100);
        double at100 = gainDbAt(a, 100, 0.001);
        Pedal b = at(Overdrive.TYPE, "drive", 6);
        b.set("tone", 100);
        double at1k = gainDbAt(b, 1000, 0.001);
        assertTrue(at1k > at100 + 3, "1 kHz " + at1k + " dB vs 100 Hz " + at100 + " dB");
    }

    @Test
    void toneDownDarkensAndLevelIsInDb() {
        double bright = gainDbAt(at(Overdrive.TYPE, "tone", 100), 4000, 0.001);
        double dark = gainDbAt(at(Overdrive.TYPE, "tone", 0), 4000, 0.001);
        assertTrue(dark < bright - 6, "tone 0 %: " + dark + " dB vs tone 100 %: " + bright + " dB at 4 kHz");
        double loud = gainDbAt(at(Overdrive.TYPE, "level", 0), 500, 0.001);
        double soft = gainDbAt(at(Overdrive.TYPE, "level", -20), 500, 0.001);
        assertEquals(-20, soft - loud, 0.05);
    }
}
