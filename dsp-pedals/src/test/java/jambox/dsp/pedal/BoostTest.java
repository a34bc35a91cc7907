package jambox.dsp.pedal;

import static jambox.dsp.Signals.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import jambox.dsp.Pedal;

class BoostTest {
    private static final int JUMP = 188 * BLOCK;

    @Test
    void gainAt1kHzIsTheSettingWithinATenthOfADb() {
        for (double setting : new double[] {-12, -3, 0, 6, 12.5, 24}) {
            Pedal boost = pedal(Boost.TYPE);
            boost.set("gain", setting);
            double measured = gainDbAt(boost, 1000, 0.02);
            assertEquals(setting, measured, 0.1, "boost set to " + setting + " dB");
        }
    }

    @Test
    void aJumpOfTheKnobGlidesInsteadOfStepping() {
        Pedal boost = pedal(Boost.TYPE);
        boost.set("gain", -12);
        float[] in = sine(440, 0.1, 0.5);
        float[] out = runBlocks(in, boost::run, at -> {
            if (at == JUMP) {
                boost.set("gain", 24);
            }
        });
        // The steepest a 440 Hz sine at the final level can move from one sample to the next:
        double sineStep = 0.1 * Math.pow(10, 24 / 20.0) * 2 * Math.sin(Math.PI * 440 / FS);
        assertTrue(maxStep(out, JUMP, out.length) <= sineStep * 1.001,
                "largest step " + maxStep(out, JUMP, out.length) + " vs a sine's " + sineStep);
        assertEquals(24, db(amplitudeAt(slice(out, 0.4, 0.5), 440) / 0.1), 0.1);
    }
}
