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
    static final double OUTPUT_HZ = 9000;
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
                    + "with a 10 ms / 150 ms envelope; the output transformer's two poles at " + (int) OUTPUT_HZ + " Hz; "
                    + "then down and the level. A change of stack crossfades from one to the other.",
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
    /** Bassman and JCM: both run only while a change of stack crossfades from one to the other. */
    private final ToneStack[] tones = {new ToneStack(), new ToneStack()};
    /** The JCM stack's share of the output, gliding to 0 or 1 over {@link Pedal#FADE_SECONDS}. */
    private float jcmShare;
    private float shareStep;
    private float[] second = new float[0];
    private float couplingA, trebleA, presenceA, attackA, releaseA;
    private float coupling, stageLow, presenceLow, envelope, out1, out2;
    private float outputA;

    private Amp() {
        super(TYPE);
    }

    @Override
    protected void onPrepare(float sampleRate, int maxBlock) {
        os = new Oversampler(maxBlock);
        second = new float[os.high().length];
        float high = sampleRate * Oversampler.FACTOR;
        couplingA = OnePole.coefficient(high, COUPLING_HZ);
        trebleA = OnePole.coefficient(high, STAGE_TREBLE_HZ);
        presenceA = OnePole.coefficient(high, PRESENCE_HZ);
        outputA = OnePole.coefficient(high, OUTPUT_HZ);
        shareStep = (float) (1 / (Pedal.FADE_SECONDS * high));
        attackA = OnePole.coefficient(high, 1 / (2 * Math.PI * 0.010));
        releaseA = OnePole.coefficient(high, 1 / (2 * Math.PI * 0.150));
    }

    @Override
    protected void reset() {
        os.reset();
        stage1.reset(BIAS_1);
        stage2.reset(BIAS_2);
        power.reset();
        tones[0].reset();
        tones[1].reset();
        jcmShare = (int) stack.target();
        coupling = stageLow = presenceLow = envelope = out1 = out2 = 0f;
        retone();
    }

    private void retone() {
        // Bass and mid pots are log (audio taper) in the amps; treble is linear.
        for (int k = 0; k < 2; k++) {
            tones[k].set(STACKS[k], treble.current() / 100.0, audioTaper(mid.current() / 100.0),
                    audioTaper(bass.current() / 100.0), sampleRate * Oversampler.FACTOR);
        }
    }

    /** Base-rate samples per tone-stack update while a tone knob glides: small steps, no zipper. */
    static final int RETONE_FRAMES = 8;

    /**
     * The stack over x[from..to) of the high-rate block, the knobs gliding. Only the chosen stack
     * runs while the choice rests; a change starts the other from silence and crossfades to it.
     */
    private void stacks(float[] x, int from, int n) {
        int to = from + n * Oversampler.FACTOR;
        float target = (int) stack.target();
        boolean both = jcmShare != target;
        if (both && (jcmShare == 0f || jcmShare == 1f)) {
            tones[(int) target].reset(); // idle since the last change: its memory is stale
        }
        if (both) {
            System.arraycopy(x, from, second, from, to - from);
        }
        if (bass.moving() || mid.moving() || treble.moving()) {
            for (int k = 0; k < n; k += RETONE_FRAMES) {
                int m = Math.min(RETONE_FRAMES, n - k);
                bass.advance(m);
                mid.advance(m);
                treble.advance(m);
                retone();
                int a = from + k * Oversampler.FACTOR;
                int b = a + m * Oversampler.FACTOR;
                tone(x, a, b, both, target);
            }
        } else {
            tone(x, from, to, both, target);
        }
        if (!both) {
            return;
        }
        float w = jcmShare;
        for (int i = from; i < to; i++) {
            w += Math.max(-shareStep, Math.min(shareStep, target - w));
            x[i] += (second[i] - x[i]) * w;
        }
        jcmShare = w;
    }

    /** Bassman into x and JCM into {@link #second} while both run; otherwise the chosen one into x. */
    private void tone(float[] x, int a, int b, boolean both, float target) {
        if (both) {
            tones[0].process(x, a, b);
            tones[1].process(second, a, b);
        } else {
            tones[(int) target].process(x, a, b);
        }
    }

    /**
     * A log pot's resistance fraction at a turn of {@code t}: about 10 % at half way, as audio pots
     * are, and never under 1 % (a real pot's end resistance): from a dead short the stack's response
     * changes so fast with the first degrees of turn that a knob glide would step.
     */
    static double audioTaper(double t) {
        return 0.01 + 0.99 * (Math.pow(11, t) - 1) / 10;
    }

    @Override
    protected void processBlock(float[] buf, int n) {
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
        float c = coupling, lo = stageLow, pl = presenceLow, env = envelope, t1 = out1, t2 = out2;
        for (int i = from; i < to; i++) {
            float a = stage1.process(x[i] * g1 + BIAS_1) - off1;
            c += (a - c) * couplingA; // the coupling capacitor: what passes is a - c
            lo += ((a - c) - lo) * trebleA;
            x[i] = stage2.process(lo * g2 + BIAS_2) - off2;
        }
        stacks(x, from, n);
        for (int i = from; i < to; i++) {
            float s = x[i] * STACK_MAKEUP;
            pl += (s - pl) * presenceA;
            s += lift * (s - pl);
            float mag = Math.abs(s);
            env += (mag - env) * (mag > env ? attackA : releaseA);
            float drive = 1f / (1f + sagDepth * env);
            float o = power.process(s * drive * 1.5f) / 1.5f;
            // The output transformer's top end: two poles at OUTPUT_HZ, which also keep the power
            // stage's harmonics out of the decimator's transition band (22-28 kHz), where the 5th
            // of a 5 kHz note would fold back to 23 kHz.
            t1 += (o - t1) * outputA;
            t2 += (t1 - t2) * outputA;
            x[i] = t2;
        }
        coupling = (c + 1e-18f) - 1e-18f;
        stageLow = (lo + 1e-18f) - 1e-18f;
        presenceLow = (pl + 1e-18f) - 1e-18f;
        envelope = (env + 1e-18f) - 1e-18f;
        out1 = (t1 + 1e-18f) - 1e-18f;
        out2 = (t2 + 1e-18f) - 1e-18f;
        os.down(buf, n);
        level.applyDbGain(buf, n);
    }
}
