package jambox.dsp.pedal;

import static jambox.dsp.Signals.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import jambox.dsp.Pedal;

class NoiseGateTest {

    private static Pedal gate(double threshold, double hysteresis, double holdMs) {
        Pedal p = pedal(NoiseGate.TYPE);
        p.set("threshold", threshold);
        p.set("hysteresis", hysteresis);
        p.set("hold", holdMs);
        return p;
    }

    private static double amp(double db) {
        return Math.pow(10, db / 20);
    }

    @Test
    void belowThresholdIsAttenuatedAtLeast60dBAndAbovePassesUntouched() {
        float[] quiet = run(gate(-40, 6, 50), sine(200, amp(-60), 1.0));
        double attenuation = db(amplitudeAt(slice(quiet, 0.5, 1.0), 200) / amp(-60));
        assertTrue(attenuation <= -60, "hum 20 dB under the threshold comes out " + attenuation + " dB");
        float[] loud = run(gate(-40, 6, 50), sine(200, amp(-30), 1.0));
        assertEquals(0, db(amplitudeAt(slice(loud, 0.5, 1.0), 200) / amp(-30)), 0.1);
    }

    @Test
    void hysteresisKeepsAnOpenGateOpenAndAClosedGateClosed() {
        // -43 dB sits between the close level (-46) and the open level (-40).
        float[] opened = run(gate(-40, 6, 0), concat(sine(200, amp(-20), 0.3), sine(200, amp(-43), 1.0)));
        assertEquals(0, db(amplitudeAt(slice(opened, 0.8, 1.3), 200) / amp(-43)), 0.2, "stays open");
        float[] closed = run(gate(-40, 6, 0), sine(200, amp(-43), 1.0));
        assertTrue(db(amplitudeAt(slice(closed, 0.5, 1.0), 200) / amp(-43)) < -60, "stays closed");
        // Without hysteresis the same level closes the gate.
        float[] noHyst = run(gate(-40, 0, 0), concat(sine(200, amp(-20), 0.3), sine(200, amp(-43), 1.0)));
        assertTrue(db(amplitudeAt(slice(noHyst, 0.8, 1.3), 200) / amp(-43)) < -60, "closes");
    }

    @Test
    void itHoldsForTheHoldTimeThenReleasesWithoutAClick() {
        for (double holdMs : new double[] {20, 100, 300}) {
            Pedal g = gate(-40, 6, holdMs);
            g.set("release", 5);
            float[] in = concat(sine(1000, 0.3, 0.5), silence(1.0));
            float[] out = run(g, concat(in));
            // Measure when a probe tone under the close level would be cut: the gain curve is
            // the output of a tiny constant added to the silence.
            float[] probe = concat(sine(1000, 0.3, 0.5), constant(1e-4f, 1.0));
            Pedal g2 = gate(-40, 6, holdMs);
            g2.set("release", 5);
            float[] p = run(g2, probe);
            int end = (int) (0.5 * FS);
            int closedAt = -1;
            for (int i = end; i < p.length; i++) {
                if (p[i] < 0.5e-4f) {
                    closedAt = i;
                    break;
                }
            }
            double heldMs = (closedAt - end) * 1000.0 / FS;
            // The detector holds the last peak 12.5 ms, then takes ~16 ms to fall 36 dB under the close level, before hold starts;
            // then the 5 ms release takes the gain under the probe.
            assertTrue(heldMs >= holdMs && heldMs <= holdMs + 50, "held " + heldMs + " ms for a hold of " + holdMs);
            assertTrue(maxStep(out, end, out.length) <= 0.3 * 2 * Math.sin(Math.PI * 1000 / FS), "no click when it closes");
        }
    }

    private static float[] constant(float v, double seconds) {
        float[] x = new float[(int) (seconds * FS)];
        java.util.Arrays.fill(x, v);
        return x;
    }
}
