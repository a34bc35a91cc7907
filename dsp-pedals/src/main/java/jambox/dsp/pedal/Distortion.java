package jambox.dsp.pedal;

import java.util.List;

import jambox.dsp.Param;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;
import jambox.dsp.PedalType;
import jambox.dsp.Smoothed;
import jambox.dsp.unit.Clipper;
import jambox.dsp.unit.FastMath;
import jambox.dsp.unit.OnePole;
import jambox.dsp.unit.Oversampler;

/**
 * Distortion and fuzz: all of the signal driven hard into the clipper (no clean blend, unlike
 * the overdrive). In fuzz mode the clipper is biased off centre in proportion to the signal,
 * so the wave clips unevenly (even harmonics, the sputter of a germanium fuzz), and the gain
 * goes up.
 */
public final class Distortion extends Pedal {
    static final double TIGHT_HZ = 120;
    /** Switching mode glides the bias over this time constant, instead of jumping. */
    static final double MODE_GLIDE_SECONDS = 0.03;
    /**
     * In fuzz mode the clipper is biased by this share of the driven signal's envelope, so the
     * wave spends longer on one side than the other at any gain: even harmonics.
     */
    private static final float FUZZ_BIAS = 0.35f;
    private static final double ENVELOPE_SECONDS = 0.02;
    /** The clipped signal's top end is limited here, inside the oversampled loop, as an amp's would be. */
    static final double ROLL_OFF_HZ = 6000;
    private static final float FUZZ_EXTRA_DB = 10f;

    public static final PedalType TYPE = new PedalType("distortion", "Distortion / fuzz",
            "Hard, saturated distortion for riffs and leads; fuzz mode for a thick, sputtering, asymmetric buzz.",
            "Ours (TarsosDSP has no waveshaper). Same 4x oversampled chassis as the overdrive: a " + (int) TIGHT_HZ
                    + " Hz high-pass, the gain, the anti-aliased soft clipper (biased off centre by the signal's envelope in fuzz mode), a "
                    + (int) ROLL_OFF_HZ + " Hz roll-off and the tone low-pass, down again, then a DC blocker.",
            List.of(ParamSpec.db("gain", "Gain", 0, 50, 30),
                    ParamSpec.linear("tone", "Tone", "%", 0, 100, 50),
                    ParamSpec.db("level", "Level", -40, 0, -12),
                    ParamSpec.choice("mode", "Mode", 0, "distortion", "fuzz")),
            Distortion::new, Oversampler.LATENCY_SAMPLES);

    private final Param gain = param("gain");
    private final Param tone = param("tone");
    private final Param level = param("level");
    private final Param mode = param("mode");
    private Oversampler os = new Oversampler(1);
    private final Clipper clipper = new Clipper();
    private final OnePole dcBlock = new OnePole();
    private float hpA, hpState;
    private float rollA, rollState;
    private float toneA, toneState;
    /** The fuzz bias's share, gliding between 0 and 1 at the oversampled rate; only the audio thread sets its target. */
    private final Smoothed asym = Smoothed.exponential(MODE_GLIDE_SECONDS, 0f);
    private float envA, envelope;

    private Distortion() {
        super(TYPE);
    }

    @Override
    protected void onPrepare(float sampleRate, int maxBlock) {
        os = new Oversampler(maxBlock);
        hpA = coefficient(TIGHT_HZ);
        rollA = coefficient(ROLL_OFF_HZ);
        envA = (float) (1 - Math.exp(-1 / (ENVELOPE_SECONDS * sampleRate * Oversampler.FACTOR)));
        dcBlock.setCutoff(sampleRate, 8);
        asym.prepare(sampleRate * Oversampler.FACTOR);
    }

    private float coefficient(double hz) {
        return OnePole.coefficient(sampleRate * Oversampler.FACTOR, hz);
    }

    @Override
    protected void reset() {
        os.reset();
        clipper.reset();
        dcBlock.reset();
        hpState = rollState = toneState = envelope = 0f;
        asym.reset(mode.target());
        toneA = coefficient(700 * Math.pow(10, tone.current() / 100.0));
    }

    @Override
    protected void processBlock(float[] buf, int n) {
        if (tone.moving()) {
            toneA = coefficient(700 * Math.pow(10, tone.advance(n) / 100.0));
        }
        gain.latch();
        float asymT = mode.target();
        if (asym.target() != asymT) {
            asym.setTarget(asymT);
        }
        asym.latch();
        os.up(buf, n);
        float[] x = os.high();
        float hp = hpState, roll = rollState, tn = toneState, env = envelope;
        for (int i = os.offset(), end = os.offset() + n * Oversampler.FACTOR; i < end; i++) {
            if ((i & 3) == 0) {
                gain.next();
            }
            float a = asym.next();
            float g = FastMath.dbToGain(gain.current() + a * FUZZ_EXTRA_DB);
            hp += (x[i] - hp) * hpA;
            float driven = (x[i] - hp) * g;
            env += (Math.abs(driven) - env) * envA;
            float y = 0.5f * clipper.process(driven + a * FUZZ_BIAS * env);
            roll += (y - roll) * rollA;
            tn += (roll - tn) * toneA;
            x[i] = tn;
        }
        gain.settle();
        hpState = (hp + 1e-18f) - 1e-18f;
        rollState = (roll + 1e-18f) - 1e-18f;
        envelope = (env + 1e-18f) - 1e-18f;
        toneState = (tn + 1e-18f) - 1e-18f;
        asym.settle();
        os.down(buf, n);
        for (int i = 0; i < n; i++) {
            buf[i] = dcBlock.highpass(buf[i]);
        }
        level.applyDbGain(buf, n);
    }
}
