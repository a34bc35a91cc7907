package jambox.dsp.pedal;

import static jambox.dsp.Signals.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import jambox.dsp.Biquads;
import jambox.dsp.Pedal;

class ReverbTest {

    private static float[] impulseResponse(double decay, double damping, double size, double seconds) {
        Pedal p = pedal(Reverb.TYPE);
        p.set("decay", decay);
        p.set("damping", damping);
        p.set("size", size);
        p.set("mix", 100);
        float[] in = new float[(int) (seconds * FS)];
        in[100] = 1f;
        return run(p, in);
    }

    /** RT60 from the Schroeder backward integral, fitted between -5 and -25 dB. */
    static double rt60(float[] ir) {
        double[] energy = new double[ir.length];
        double sum = 0;
        for (int i = ir.length - 1; i >= 0; i--) {
            sum += (double) ir[i] * ir[i];
            energy[i] = sum;
        }
        double total = energy[0];
        int a = -1, b = -1;
        for (int i = 0; i < ir.length; i++) {
            double level = 10 * Math.log10(energy[i] / total);
            if (a < 0 && level <= -5) {
                a = i;
            }
            if (b < 0 && level <= -25) {
                b = i;
                break;
            }
        }
        return 3.0 * (b - a) / FS;
    }

    @Test
    void theTailDecaysInTheSetTime() {
        for (double decay : new double[] {0.8, 1.8, 4.0}) {
            double measured = rt60(impulseResponse(decay, 0, 50, decay * 1.5 + 0.5));
            assertEquals(decay, measured, decay * 0.2, "RT60 for a decay of " + decay + " s");
        }
    }

    @Test
    void dampingMakesTheHighsDieFirst() {
        float[] ir = impulseResponse(2.0, 80, 50, 3.0);
        double low = rt60(Biquads.band(ir, 500));
        double high = rt60(Biquads.band(ir, 6000));
        assertTrue(high < low * 0.6, "high band RT60 " + high + " s vs low band " + low + " s");
        float[] open = impulseResponse(2.0, 0, 50, 3.0);
        double openHigh = rt60(Biquads.band(open, 6000));
        assertTrue(openHigh > high * 1.5, "without damping the highs last: " + openHigh + " vs " + high);
    }

    @Test
    void aBiggerRoomSpreadsItsEchoesFurther() {
        // The first strong echo after the direct sound comes later in a bigger room.
        assertTrue(firstEcho(impulseResponse(1, 0, 100, 0.3)) > firstEcho(impulseResponse(1, 0, 0, 0.3)) * 2);
    }

    private static int firstEcho(float[] ir) {
        double peak = peak(ir);
        for (int i = 0; i < ir.length; i++) {
            if (Math.abs(ir[i]) > 0.3 * peak) {
                return i;
            }
        }
        return -1;
    }
}
