package jambox.dsp.pedal;

import java.util.List;

import jambox.dsp.Param;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;
import jambox.dsp.PedalType;
import jambox.dsp.unit.Clipper;
import jambox.dsp.unit.FastMath;
import jambox.dsp.unit.OnePole;
import jambox.dsp.unit.Oversampler;
import jambox.dsp.unit.ToneStack;

/**
 * A guitar amp: two preamp stages, each a biased soft clipper (so each clips one side first, as a
 * triode does, and the pair makes even harmonics), with a coupling capacitor and the stage's own
 * treble loss between them; the passive bass / mid / treble stack of a chosen amp, solved from
 * its circuit ({@link ToneStack}); then the power amp: a slower clipper whose supply sags with
 * the playing (the envelope of the signal lowers its drive), and presence, which lifts the top
 * as less of it is fed back. All of it runs at 4x the rate, so the clipping does not alias.
 *
 * <p>The preamp's gain comes before the first clipper, so a softer attack or the guitar's volume
 * turned down leaves both stages in their near-linear region: the amp cleans up.
 */
public final class Amp extends Pedal {
    /** Each stage clips one side first: the bias it runs at, in the clipper's units. */
    static final float BIAS_1 = 0.35f;
    static final float BIAS_2 = -0.2f;
    static final double COUPLING_HZ = 30;
    static final double STAGE_TREBLE_HZ = 5000;
    static final double PRESENCE_HZ = 2500;
    /** The stack loses some 10 dB in its passband; the power amp's input makes it up. */
    static final float STACK_MAKEUP = 3.2f;
    private static final ToneStack.Circuit[] STACKS = {ToneStack.BASSMAN, ToneStack.JCM};

    public static final PedalType TYPE = new PedalType("amp", "Amp",
            "A tube amp's preamp, tone stack and power amp: clean with a light touch, crunch and lead as you dig in.",
            "Ours. At 4x the rate (the overdrive's oversampler): input gain, two biased soft clippers with "
                    + "antiderivative anti-aliasing, a " + (int) COUPLING_HZ + " Hz coupling high-pass and a "
                    + (int) STAGE_TREBLE_HZ + " Hz stage low-pass between them; the passive tone stack of the "
                    + "chosen amp (Bassman or JCM), its analog response solved from the circuit for each setting and "
                    + "mapped by the bilinear transform; presence as a high shelf; a power clipper whose drive sags "
                    + "with a 10 ms / 150 ms envelope; then down and the level.",
            List.of(ParamSpec.db("gain", "Gain", 0, 50, 24),
                    ParamSpec.linear("bass", "Bass", "%", 0, 100, 50),
                    ParamSpec.linear("mid", "Mid", "%", 0, 100, 50),
                    ParamSpec.linear("treble", "Treble", "%", 0, 100, 50),
                    ParamSpec.linear("presence", "Presence", "%", 0, 100, 30),
                    ParamSpec.linear("sag", "Sag", "%", 0, 100, 30),
                    ParamSpec.choice("stack", "Stack", 0, "bassman", "jcm"),
                    ParamSpec.db("level", "Level", -30, 6, -12)),
            Amp::new, Oversampler.LATENCY_SAMPLES);

    private final Param gain = param("gain");
    private final Param bass = param("bass");
    private final Param mid = param("mid");
    private final Param treble = param("treble");
    private final Param presence = param("presence");
    private final Param sag = param("sag");
    private final Param stack = param("stack");
    private final Param level = param("level");
    private Oversampler os = new Oversampler(1);
    private final Clipper stage1 = new Clipper();
    private final Clipper stage2 = new Clipper();
    private final Clipper power = new Clipper();
    private final ToneStack tones = new ToneStack();
    private float couplingA, trebleA, presenceA, attackA, releaseA;
    private float coupling, stageLow, presenceLow, envelope;
    private int stackIndex = -1;

    private Amp() {
        super(TYPE);
    }

    @Override
    protected void onPrepare(float sampleRate, int maxBlock) {
        os = new Oversampler(maxBlock);
        float high = sampleRate * Oversampler.FACTOR;
        couplingA = OnePole.coefficient(high, COUPLING_HZ);
        trebleA = OnePole.coefficient(high, STAGE_TREBLE_HZ);
        presenceA = OnePole.coefficient(high, PRESENCE_HZ);
        attackA = OnePole.coefficient(high, 1 / (2 * Math.PI * 0.010));
        releaseA = OnePole.coefficient(high, 1 / (2 * Math.PI * 0.150));
    }

    @Override
    protected void reset() {
        os.reset();
        stage1.reset();
        stage2.reset();
        power.reset();
        tones.reset();
        coupling = stageLow = presenceLow = envelope = 0f;
        stackIndex = -1;
        retone();
    }

    private void retone() {
        stackIndex = (int) stack.target();
        // Bass and mid pots are log (audio taper) in the amps; treble is linear.
        tones.set(STACKS[stackIndex], treble.current() / 100.0, audioTaper(mid.current() / 100.0),
                audioTaper(bass.current() / 100.0), sampleRate * Oversampler.FACTOR);
    }

    /** A log pot's resistance fraction at a turn of {@code t}: 10 % at half way, as audio pots are. */
    static double audioTaper(double t) {
        return (Math.pow(11, t) - 1) / 10;
    }

    @Override
    protected void processBlock(float[] buf, int n) {
        if (bass.moving() || mid.moving() || treble.moving() || (int) stack.target() != stackIndex) {
            bass.advance(n);
            mid.advance(n);
            treble.advance(n);
            retone();
        }
        if (gain.moving() || presence.moving() || sag.moving()) {
            gain.advance(n);
            presence.advance(n);
            sag.advance(n);
        }
        // The gain splits between the stages: the first gets 40 % of it (in dB), the second the rest.
        float g1 = FastMath.dbToGain(0.4f * gain.current());
        float g2 = FastMath.dbToGain(0.6f * gain.current());
        float off1 = Clipper.clip(BIAS_1);
        float off2 = Clipper.clip(BIAS_2);
        float lift = 2.5f * presence.current() / 100f; // up to about +11 dB above the corner
        float sagDepth = 4f * sag.current() / 100f;
        os.up(buf, n);
        float[] x = os.high();
        int from = os.offset();
        int to = from + n * Oversampler.FACTOR;
        float c = coupling, lo = stageLow, pl = presenceLow, env = envelope;
        for (int i = from; i < to; i++) {
            float a = stage1.process(x[i] * g1 + BIAS_1) - off1;
            c += (a - c) * couplingA; // the coupling capacitor: what passes is a - c
            lo += ((a - c) - lo) * trebleA;
            x[i] = stage2.process(lo * g2 + BIAS_2) - off2;
        }
        tones.process(x, from, to);
        for (int i = from; i < to; i++) {
            float s = x[i] * STACK_MAKEUP;
            pl += (s - pl) * presenceA;
            s += lift * (s - pl);
            float mag = Math.abs(s);
            env += (mag - env) * (mag > env ? attackA : releaseA);
            float drive = 1f / (1f + sagDepth * env);
            x[i] = power.process(s * drive * 1.5f) / 1.5f;
        }
        coupling = (c + 1e-18f) - 1e-18f;
        stageLow = (lo + 1e-18f) - 1e-18f;
        presenceLow = (pl + 1e-18f) - 1e-18f;
        envelope = (env + 1e-18f) - 1e-18f;
        os.down(buf, n);
        level.applyDbGain(buf, n);
    }
}
