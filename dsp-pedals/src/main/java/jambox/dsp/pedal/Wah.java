package jambox.dsp.pedal;

import java.util.List;

import jambox.dsp.Param;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;
import jambox.dsp.PedalType;
import jambox.dsp.unit.FastMath;
import jambox.dsp.unit.Lfo;
import jambox.dsp.unit.Mix;
import jambox.dsp.unit.OnePole;
import jambox.dsp.unit.Svf;

/**
 * A wah: a resonant band-pass whose centre moves between a heel and a toe frequency. What moves
 * it is the mode: the position knob (the one an expression pedal drives), the player's own
 * attack (auto-wah: an envelope follower) or a sine LFO.
 *
 * <p>The sweep is one number, 0 at the heel and 1 at the toe, exponential in frequency, as the
 * ear hears a sweep. All three sources run all the time, so that switching modes only has to
 * crossfade between two sweep values: the centre glides to its new place instead of jumping.
 */
public final class Wah extends Pedal {
    /** Samples between retunings: at 48 kHz a new centre every 0.17 ms, ramped in between, so no zipper. */
    static final int RETUNE = 8;
    /** Envelope follower times: a pick's attack opens the wah at once, a ringing note lets it close. */
    static final double ATTACK_SECONDS = 0.004;
    static final double RELEASE_SECONDS = 0.12;
    /** A mode switch crossfades the sweep over this long. */
    private static final double MODE_FADE_SECONDS = 0.03;

    private static final int PEDAL = 0, AUTO = 1, LFO = 2;

    public static final PedalType TYPE = new PedalType("wah", "Wah",
            "The crybaby: a vocal peak swept by the position knob (bind it to an expression pedal), "
                    + "by how hard you pick (auto), or by an LFO.",
            "Ours: TarsosDSP's BandPass recomputes its coefficients by allocating and cannot be swept per sample. "
                    + "A trapezoidal state-variable band-pass (unity gain at its peak) retuned every " + RETUNE
                    + " samples with its coefficients ramped between, its centre exponential between heel and toe; "
                    + "auto mode follows a peak envelope (" + (int) (ATTACK_SECONDS * 1000) + " ms attack, "
                    + (int) (RELEASE_SECONDS * 1000) + " ms release) of the input.",
            List.of(ParamSpec.linear("position", "Position", "%", 0, 100, 50),
                    ParamSpec.choice("mode", "Mode", PEDAL, "pedal", "auto", "lfo"),
                    ParamSpec.log("heel", "Heel frequency", "Hz", 150, 800, 350),
                    ParamSpec.log("toe", "Toe frequency", "Hz", 1000, 4000, 2200),
                    ParamSpec.log("q", "Resonance (Q)", "", 1, 15, 6),
                    ParamSpec.db("sensitivity", "Sensitivity (auto)", 0, 40, 20),
                    ParamSpec.log("rate", "Rate (lfo)", "Hz", 0.1, 10, 1),
                    ParamSpec.linear("mix", "Mix", "%", 0, 100, 100),
                    ParamSpec.db("level", "Level", -12, 12, 0)),
            Wah::new);

    private final Param position = param("position");
    private final Param mode = param("mode");
    private final Param heel = param("heel");
    private final Param toe = param("toe");
    private final Param q = param("q");
    private final Param sensitivity = param("sensitivity");
    private final Param rate = param("rate");
    private final Param mix = param("mix");
    private final Param level = param("level");
    private final Svf filter = new Svf();
    private final Lfo lfo = new Lfo();
    private float[] dry = new float[0];
    private float attack;
    private float release;
    private float envelope;
    private int modeNow;
    private int modeWas;
    /** From the old mode's sweep (0) to the new one's (1). */
    private float modeFade = 1f;
    private float modeStep;

    private Wah() {
        super(TYPE);
    }

    @Override
    protected void onPrepare(float sampleRate, int maxBlock) {
        dry = new float[maxBlock];
        attack = OnePole.coefficient(sampleRate, 1 / (2 * Math.PI * ATTACK_SECONDS));
        release = OnePole.coefficient(sampleRate, 1 / (2 * Math.PI * RELEASE_SECONDS));
        modeStep = (float) (1 / (MODE_FADE_SECONDS * sampleRate));
    }

    @Override
    protected void reset() {
        filter.reset();
        lfo.reset();
        envelope = 0f;
        modeNow = (int) mode.target();
        modeWas = modeNow;
        modeFade = 1f;
        tune(sweepOf(modeNow));
        filter.settle();
    }

    /** The centre frequency for a sweep value, with the heel and toe set now. */
    private static double centreHz(double sweep, double heelHz, double toeHz) {
        return heelHz * Math.pow(toeHz / heelHz, sweep);
    }

    @Override
    protected void processBlock(float[] buf, int n) {
        int wanted = (int) mode.target();
        if (wanted != modeNow && modeFade >= 1f) {
            modeWas = modeNow;
            modeNow = wanted;
            modeFade = 0f;
        }
        System.arraycopy(buf, 0, dry, 0, n);
        float env = envelope;
        for (int at = 0; at < n; at += RETUNE) {
            int len = Math.min(RETUNE, n - at);
            for (int i = at; i < at + len; i++) {
                float a = Math.abs(buf[i]);
                env += (a - env) * (a > env ? attack : release);
            }
            envelope = env;
            position.advance(len);
            sensitivity.advance(len);
            lfo.advance(rate.advance(len) * len / sampleRate);
            heel.advance(len);
            toe.advance(len);
            q.advance(len);
            float s = sweepOf(modeNow);
            if (modeFade < 1f) {
                modeFade = Math.min(1f, modeFade + modeStep * len);
                s = sweepOf(modeWas) + (s - sweepOf(modeWas)) * modeFade;
            }
            tune(s);
            filter.process(buf, at, len);
        }
        envelope = (env + 1e-18f) - 1e-18f;
        mix.latch();
        level.latch();
        for (int i = 0; i < n; i++) {
            float m = mix.next() * 0.01f;
            buf[i] = (dry[i] * Mix.dry(m) + buf[i] * Mix.wet(m)) * FastMath.dbToGain(level.next());
        }
        mix.settle();
        level.settle();
    }

    /** The sweep a mode asks for now, 0..1 (NaN from a poisoned envelope reads as the heel). */
    private float sweepOf(int m) {
        float s = switch (m) {
            case AUTO -> envelope * FastMath.dbToGain(sensitivity.current());
            case LFO -> 0.5f + 0.5f * Lfo.sine((float) lfo.phase());
            default -> position.current() * 0.01f;
        };
        return s > 1f ? 1f : (s >= 0f ? s : 0f);
    }

    private void tune(float s) {
        filter.setBandPass(sampleRate, centreHz(s, heel.current(), toe.current()), q.current());
    }
}
