package jambox.dsp.pedal;

import java.util.List;

import jambox.dsp.Param;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;
import jambox.dsp.PedalType;
import jambox.dsp.unit.FastMath;

/** A noise gate: silence between notes, the notes untouched. */
public final class NoiseGate extends Pedal {
    public static final PedalType TYPE = new PedalType("gate", "Noise gate",
            "Mutes hum and hiss when you stop playing; opens the moment you pick a note.",
            "Ours. A peak-hold detector (it holds a peak for one period of low E, then falls fast) opens the gate above "
                    + "the threshold; it closes only once the level has stayed below threshold minus hysteresis for the hold "
                    + "time, so a decaying note does not chatter. Release is the time to fall 60 dB; closed means silence: "
                    + "the gain reaches exactly zero.",
            List.of(ParamSpec.db("threshold", "Threshold", -90, 0, -60),
                    ParamSpec.log("attack", "Attack", "ms", 0.1, 50, 1),
                    ParamSpec.linear("hold", "Hold", "ms", 0, 500, 50),
                    ParamSpec.log("release", "Release", "ms", 5, 2000, 120),
                    ParamSpec.db("hysteresis", "Hysteresis", 0, 20, 6)),
            NoiseGate::new);

    /** The detector holds each peak this long: one cycle of low E (82 Hz), so it does not ripple between peaks. */
    private static final double PEAK_HOLD_SECONDS = 0.0125;
    /** After the hold, the detector falls with this time constant. */
    private static final double DETECTOR_FALL_SECONDS = 0.004;
    /** Below this the closing gain lands on zero: -80 dB. */
    private static final float FLOOR = 1e-4f;

    private final Param threshold = param("threshold");
    private final Param attack = param("attack");
    private final Param hold = param("hold");
    private final Param release = param("release");
    private final Param hysteresis = param("hysteresis");
    private float detectorFall;
    private int peakHoldSamples;
    private int peakHoldLeft;
    private float envelope;
    private float gain;
    private boolean open;
    private int holdLeft;

    private NoiseGate() {
        super(TYPE);
    }

    @Override
    protected void onPrepare(float sampleRate, int maxBlock) {
        detectorFall = (float) Math.exp(-1 / (DETECTOR_FALL_SECONDS * sampleRate));
        peakHoldSamples = (int) (PEAK_HOLD_SECONDS * sampleRate);
    }

    @Override
    protected void reset() {
        envelope = 0;
        peakHoldLeft = 0;
        gain = 0;
        open = false;
        holdLeft = 0;
    }

    @Override
    protected void processBlock(float[] buf, int n) {
        // Thresholds and times change the gate's decisions, not the audio directly: per block is enough.
        float openAt = FastMath.dbToGain(threshold.advance(n));
        float closeAt = FastMath.dbToGain(threshold.current() - hysteresis.advance(n));
        float attackStep = 1f / Math.max(1f, attack.advance(n) * 0.001f * sampleRate);
        int holdSamples = (int) (hold.advance(n) * 0.001f * sampleRate);
        float releaseFall = (float) Math.pow(1e-3, 1 / (release.advance(n) * 0.001 * sampleRate));
        float env = envelope, g = gain;
        for (int i = 0; i < n; i++) {
            float level = Math.abs(buf[i]);
            if (level >= env) {
                env = level;
                peakHoldLeft = peakHoldSamples;
            } else if (peakHoldLeft > 0) {
                peakHoldLeft--;
            } else {
                env *= detectorFall;
            }
            if (env > openAt) {
                open = true;
                holdLeft = holdSamples;
            } else if (open && env < closeAt) {
                if (holdLeft > 0) {
                    holdLeft--;
                } else {
                    open = false;
                }
            } else if (open) {
                holdLeft = holdSamples;
            }
            if (open) {
                g = Math.min(1f, g + attackStep);
            } else {
                g *= releaseFall;
                if (g < FLOOR) {
                    g = 0f;
                }
            }
            buf[i] *= g;
        }
        envelope = (env + 1e-18f) - 1e-18f;
        gain = g;
    }
}
