package jambox.dsp.pedal;

import static jambox.dsp.Signals.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import jambox.dsp.Pedal;

class PhaserTest {

    private static Pedal still(int stagesIndex) {
        Pedal p = pedal(Phaser.TYPE);
        p.set("depth", 0);
        p.set("feedback", 0);
        p.set("mix", 50);
        p.set("stages", stagesIndex);
        return p;
    }

    /**
     * Frozen at the centre (depth 0), every stage breaks at fc. Dry plus wet cancels where the
     * chain's phase is -180 degrees k: with 4 stages, where one stage gives -45 or -135 degrees.
     */
    @Test
    void theNotchesSitWhereTheAllpassTheorySays() {
        double fc = Math.sqrt(Phaser.LOW_HZ * Phaser.HIGH_HZ);
        double warp = Math.tan(Math.PI * fc / FS);
        for (double stageDegrees : new double[] {45, 135}) {
            // One stage's phase is -2 atan(tan(pi f / fs) / tan(pi fc / fs)).
            double notch = FS / Math.PI * Math.atan(Math.tan(Math.toRadians(stageDegrees / 2)) * warp);
            double depthDb = gainDbAt(still(0), notch, 0.2);
            assertTrue(depthDb < -30, "notch at " + notch + " Hz: " + depthDb + " dB");
            assertTrue(gainDbAt(still(0), notch * 1.6, 0.2) > depthDb + 20, "and not beside it");
        }
        // Six stages put the first notch where one stage gives -30 degrees.
        double six = FS / Math.PI * Math.atan(Math.tan(Math.toRadians(15)) * warp);
        assertTrue(gainDbAt(still(1), six, 0.2) < -30, "6-stage notch at " + six + " Hz");
    }

    @Test
    void aSteadyToneSwellsAtTheLfoRate() {
        for (double rate : new double[] {0.5, 2.0}) {
            Pedal p = pedal(Phaser.TYPE);
            p.set("rate", rate);
            p.set("depth", 100);
            p.set("feedback", 0);
            float[] out = run(p, sine(800, 0.3, 6.0));
            // Envelope per 5 ms.
            int hop = 240;
            double[] env = new double[out.length / hop];
            for (int i = 0; i < env.length; i++) {
                env[i] = peak(java.util.Arrays.copyOfRange(out, i * hop, i * hop + hop));
            }
            int from = env.length / 6;
            double mean = 0, min = Double.MAX_VALUE, max = 0;
            for (int i = from; i < env.length; i++) {
                mean += env[i] / (env.length - from);
                min = Math.min(min, env[i]);
                max = Math.max(max, env[i]);
            }
            assertTrue(db(max / min) > 10, "the sweep moves the level: " + db(max / min) + " dB");
            // The swell pattern repeats once per LFO cycle: the autocorrelation peaks at that lag.
            int bestLag = -1;
            double best = -Double.MAX_VALUE;
            int cycle = (int) Math.round(FS / rate / hop);
            for (int lag = (int) (0.75 * cycle); lag <= (int) (1.25 * cycle); lag++) {
                double c = 0;
                for (int i = from; i + lag < env.length; i++) {
                    c += (env[i] - mean) * (env[i + lag] - mean);
                }
                c /= env.length - from - lag;
                if (c > best) {
                    best = c;
                    bestLag = lag;
                }
            }
            assertEquals(1 / rate, bestLag * hop / FS, 0.05 / rate, "swell period at " + rate + " Hz");
        }
    }
}
