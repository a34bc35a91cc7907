package jambox.dsp.pedal;

import static jambox.dsp.Signals.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import jambox.dsp.Pedal;

class AmpTest {
    @Test
    void itCleansUpWithTheGuitarsVolume() {
        double soft = OverdriveTest.thd(OverdriveTest.at(Amp.TYPE, "gain", 24), 0.02);
        double hard = OverdriveTest.thd(OverdriveTest.at(Amp.TYPE, "gain", 24), 0.5);
        System.out.printf("amp gain 24 dB: THD %.2f %% at -34 dBFS in, %.1f %% at -6 dBFS%n", soft * 100, hard * 100);
        assertTrue(soft < 0.03, "nearly clean with the volume down: " + soft);
        assertTrue(hard > 0.15, "crunch dug in: " + hard);
    }

    @Test
    void distortionGrowsWithGain() {
        double previous = -1;
        for (double g : new double[] {0, 12, 24, 36, 50}) {
            double thd = OverdriveTest.thd(OverdriveTest.at(Amp.TYPE, "gain", g), 0.2);
            System.out.printf("amp gain %2.0f dB: THD %.2f %%%n", g, thd * 100);
            assertTrue(thd > previous, "THD " + thd + " at gain " + g + " vs " + previous);
            previous = thd;
        }
    }

    @Test
    void aliasingOfA5kHzSineAtFullGainStays50dBDown() {
        for (String stack : new String[] {"bassman", "jcm"}) {
            for (double amplitude : new double[] {0.5, 1.0}) {
                Pedal p = OverdriveTest.at(Amp.TYPE, "gain", 50);
                p.set("stack", stack.equals("jcm") ? 1 : 0);
                p.set("treble", 100);
                p.set("presence", 100);
                double worst = OverdriveTest.worstNonHarmonicDb(p, 5000, amplitude);
                System.out.printf("amp %s 5 kHz at %.1f dBFS, full gain: worst non-harmonic %.1f dB%n", stack, db(amplitude), worst);
                assertTrue(worst <= -50, stack + ": aliasing at " + worst + " dB (input " + amplitude + ")");
            }
        }
    }

    @Test
    void theMidKnobScoopsTheMids() {
        Pedal full = OverdriveTest.at(Amp.TYPE, "gain", 0);
        full.set("mid", 100);
        Pedal scooped = OverdriveTest.at(Amp.TYPE, "gain", 0);
        scooped.set("mid", 0);
        double a = gainDbAt(full, 700, 0.001);
        double b = gainDbAt(scooped, 700, 0.001);
        System.out.printf("amp at 700 Hz: mid 100 %% %.1f dB, mid 0 %% %.1f dB%n", a, b);
        assertTrue(b < a - 6, "mid 0 %: " + b + " dB vs mid 100 %: " + a + " dB at 700 Hz");
    }

    /** Each preamp stage starts at its bias: started from 0 instead, the first sample thumped. */
    @Test
    void engagingOnSilenceIsSilent() {
        for (double g : new double[] {0, 24, 50}) {
            Pedal p = OverdriveTest.at(Amp.TYPE, "gain", g);
            float[] out = run(p, new float[(int) (0.2 * FS)]);
            double peak = 0;
            for (float v : out) {
                peak = Math.max(peak, Math.abs(v));
            }
            System.out.printf("amp gain %2.0f dB on silence: peak %.1f dBFS%n", g, db(peak));
            assertTrue(peak < 1e-6, "gain " + g + ": a thump of " + db(peak) + " dBFS from silence");
        }
    }
}
