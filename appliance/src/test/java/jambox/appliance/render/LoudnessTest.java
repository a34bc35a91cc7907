package jambox.appliance.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The meter the preset levels are matched with, checked against the standard's own figures. */
class LoudnessTest {
    private static final int RATE = 48_000;

    private static float[] sine(double hz, double db, int frames) {
        float[] s = new float[frames];
        for (int i = 0; i < frames; i++) {
            s[i] = (float) (Math.pow(10, db / 20) * Math.sin(2 * Math.PI * hz * i / RATE));
        }
        return s;
    }

    @Test
    void aOneKilohertzSineAtMinusTwentyDbfsOnOneChannelReadsMinusTwentyThreeLufs() {
        // BS.1770: a 0 dBFS 1 kHz sine in one channel reads -3.01 LKFS.
        double l = Loudness.integrated(new float[][] {sine(1000, -20, RATE * 5)}, RATE);
        System.out.printf("loudness of a -20 dBFS 1 kHz sine: %.3f LUFS%n", l);
        assertEquals(-23.01, l, 0.05);
    }

    @Test
    void theFiltersAtFortyEightKilohertzAreTheStandardsAndTheGateDropsSilence() {
        float[] impulse = new float[8];
        impulse[0] = 1;
        double[] k = Loudness.kWeighted(impulse, RATE);
        // The cascade's first output sample is the product of the two b0s (1.53512485958697 and 1).
        assertEquals(1.53512485958697, k[0], 1e-9);
        float[] quietThenLoud = new float[RATE * 10];
        System.arraycopy(sine(1000, -20, RATE * 5), 0, quietThenLoud, RATE * 5, RATE * 5);
        // Within 0.2 dB: the few blocks that straddle the start count, at part level.
        assertEquals(-23.01, Loudness.integrated(new float[][] {quietThenLoud}, RATE), 0.2, "silence is gated out");
    }
}
