package jambox.dsp.pedal;

import static jambox.dsp.Signals.*;
import static jambox.dsp.pedal.OverdriveTest.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import jambox.dsp.Pedal;

class DistortionTest {

    private static Pedal distortion(String mode, double gain, double tone) {
        Pedal p = at(Distortion.TYPE, "mode", Distortion.TYPE.param("mode").choiceIndex(mode));
        p.set("gain", gain);
        p.set("tone", tone);
        return p;
    }

    @Test
    void aliasingAtFullGainStays50dBDownInBothModes() {
        for (String mode : new String[] {"distortion", "fuzz"}) {
            for (double amplitude : new double[] {0.5, 1.0}) {
                double worst = worstNonHarmonicDb(distortion(mode, 50, 100), 5000, amplitude);
                System.out.printf("%s 5 kHz at %.1f dBFS, full gain, tone 100 %%: worst non-harmonic %.1f dB%n", mode, db(amplitude), worst);
                assertTrue(worst <= -50, mode + ": aliasing at " + worst + " dB");
            }
        }
    }

    @Test
    void fuzzIsAsymmetricAndDistortionIsNot() {
        // Even harmonics come from asymmetric clipping only.
        double evenDist = evenToOdd(distortion("distortion", 30, 100));
        double evenFuzz = evenToOdd(distortion("fuzz", 30, 100));
        assertTrue(evenDist < -40, "symmetric distortion, 2nd vs 3rd harmonic " + evenDist + " dB");
        assertTrue(evenFuzz > -20, "fuzz 2nd vs 3rd harmonic " + evenFuzz + " dB");
    }

    private static double evenToOdd(Pedal p) {
        float[] out = slice(run(p, sine(220, 0.3, 1.0)), 0.5, 1.0);
        return db(amplitudeAt(out, 440) / amplitudeAt(out, 660));
    }

    @Test
    void moreGainMoreDistortion() {
        double low = thd(distortion("distortion", 5, 100), 0.1);
        double high = thd(distortion("distortion", 40, 100), 0.1);
        assertTrue(high > 4 * low, "THD " + low + " -> " + high);
    }
}
