package jambox.dsp.pedal;

import java.util.List;

import jambox.dsp.Param;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;
import jambox.dsp.PedalType;
import jambox.dsp.unit.FastMath;

/**
 * A feed-forward compressor with a soft knee.
 *
 * <p>The detector is RMS (mean square over about {@value #RMS_MS} ms), read 3 dB up so that a
 * steady sine's level is its peak in dBFS: the threshold means what a peak meter shows. The
 * gain computer works in dB, and the gain reduction is smoothed with separate attack and
 * release times.
 */
public final class Compressor extends Pedal {
    public static final PedalType TYPE = new PedalType("compressor", "Compressor",
            "Evens out your dynamics: more sustain for clean parts, a tighter bite for rhythm.",
            "Ours (TarsosDSP has no compressor). RMS detector calibrated so a sine reads at its peak level, "
                    + "soft-knee gain computer in dB, attack/release smoothing of the gain reduction, per-sample log/exp "
                    + "by fast polynomial approximations.",
            List.of(ParamSpec.db("threshold", "Threshold", -60, 0, -24),
                    ParamSpec.log("ratio", "Ratio", ":1", 1, 20, 4),
                    ParamSpec.db("knee", "Knee", 0, 24, 6),
                    ParamSpec.log("attack", "Attack", "ms", 0.1, 100, 5),
                    ParamSpec.log("release", "Release", "ms", 10, 2000, 150),
                    ParamSpec.db("makeup", "Makeup", 0, 30, 6)),
            Compressor::new);

    static final double RMS_MS = 5;
    private static final int STEP = 4;
    /** Detector ceiling: +60 dBFS, far beyond any real signal. */
    private static final float MAX_POWER = 1e6f;
    /** A sine's peak is 3.01 dB above its RMS. */
    private static final float SINE_CREST_DB = 3.0103f;

    private final Param threshold = param("threshold");
    private final Param ratio = param("ratio");
    private final Param knee = param("knee");
    private final Param attack = param("attack");
    private final Param release = param("release");
    private final Param makeup = param("makeup");
    private float rmsCoeff;
    private float meanSquare;
    private float reductionDb;
    /** The linear gain applied at the end of the last step. */
    private float gain;

    private Compressor() {
        super(TYPE);
    }

    @Override
    protected void onPrepare(float sampleRate, int maxBlock) {
        rmsCoeff = (float) (1 - Math.exp(-1 / (RMS_MS * 0.001 * sampleRate)));
    }

    @Override
    protected void reset() {
        meanSquare = 0;
        reductionDb = 0;
        gain = FastMath.dbToGain(makeup.current());
    }

    /** The static curve: output level in dB for an input level in dB. */
    static float curve(float in, float threshold, float ratio, float knee) {
        float over = in - threshold;
        if (2 * over < -knee) {
            return in;
        }
        if (2 * Math.abs(over) <= knee) {
            float k = over + knee / 2;
            return in + (1 / ratio - 1) * k * k / (2 * knee);
        }
        return threshold + over / ratio;
    }

    @Override
    protected void processBlock(float[] buf, int n) {
        float t = threshold.advance(n);
        float r = ratio.advance(n);
        float w = knee.advance(n);
        // The gain computer runs every STEP samples (the detector's 5 ms averaging leaves
        // nothing faster to follow), with the gain ramped linearly in between.
        float att = (float) Math.exp(-STEP / (attack.advance(n) * 0.001 * sampleRate));
        float rel = (float) Math.exp(-STEP / (release.advance(n) * 0.001 * sampleRate));
        float ms = meanSquare, red = reductionDb, g = gain;
        for (int at = 0; at < n; at += STEP) {
            int len = Math.min(STEP, n - at);
            for (int i = at; i < at + len; i++) {
                float power = buf[i] * buf[i];
                // A huge sample would overflow the mean square to infinity and stall the detector.
                power = power < MAX_POWER ? power : MAX_POWER;
                ms += (power - ms) * rmsCoeff;
            }
            float level = 0.5f * FastMath.gainToDb(ms) + SINE_CREST_DB;
            float wanted = curve(level, t, r, w) - level;
            // More reduction follows at the attack rate, less at the release rate.
            red = wanted + (red - wanted) * (wanted < red ? att : rel);
            float next = FastMath.dbToGain(red + makeup.advance(len));
            float step = (next - g) / len;
            for (int i = at; i < at + len; i++) {
                g += step;
                buf[i] *= g;
            }
            g = next;
        }
        meanSquare = (ms + 1e-30f) - 1e-30f;
        reductionDb = red;
        gain = g;
    }
}
