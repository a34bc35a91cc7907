package jambox.dsp.pedal;

import java.util.List;

import jambox.dsp.Param;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;
import jambox.dsp.PedalType;
import jambox.dsp.unit.DelayLine;
import jambox.dsp.unit.Mix;
import jambox.dsp.unit.OnePole;

/**
 * A feedback delay network reverb: eight delay lines whose outputs are mixed by an 8x8
 * Hadamard matrix (lossless: energy is only lost where the decay says) and fed back. Each
 * line's gain makes it lose 60 dB in the decay time; a one-pole low-pass per line makes
 * the highs die sooner (damping). Two allpass diffusers in front thicken the first echoes.
 */
public final class Reverb extends Pedal {
    /** Line lengths at size 100 %, in ms: mutually prime in samples, spread over ~1.6 octaves. */
    private static final double[] LINE_MS = {29.7, 34.1, 38.9, 42.8, 47.8, 53.3, 57.1, 62.7};
    private static final double[] DIFFUSER_MS = {4.7, 1.7};
    private static final float DIFFUSION = 0.6f;
    /** Size 0 % shrinks the lines to this share of their length. */
    private static final double MIN_SCALE = 0.35;
    /** How fast the line lengths follow the size knob, in samples per sample. */
    private static final float SIZE_SLEW = 0.02f;
    private static final int N = 8;
    /** The network's sum is loud; this brings a full-wet tail near the level of the dry note. */
    private static final float WET_LEVEL = 0.35f;

    public static final PedalType TYPE = new PedalType("reverb", "Reverb",
            "A room, a hall or a cathedral around your guitar.",
            "Ours (TarsosDSP has no reverb): an 8-line feedback delay network with a Hadamard mixing matrix, "
                    + "per-line gains from the decay time (RT60), per-line damping low-passes and two input diffusers.",
            List.of(ParamSpec.linear("size", "Size", "%", 0, 100, 50),
                    ParamSpec.log("decay", "Decay", "s", 0.2, 10, 1.8),
                    ParamSpec.linear("damping", "Damping", "%", 0, 100, 40),
                    ParamSpec.linear("mix", "Mix", "%", 0, 100, 25)),
            Reverb::new);

    private final Param size = param("size");
    private final Param decay = param("decay");
    private final Param damping = param("damping");
    private final Param mix = param("mix");
    private final DelayLine[] lines = new DelayLine[N];
    private final DelayLine[] diffusers = new DelayLine[DIFFUSER_MS.length];
    private final int[] diffuserLength = new int[DIFFUSER_MS.length];
    private final float[] length = new float[N];
    private final float[] lengthStep = new float[N];
    private final int[] wholeLength = new int[N];
    private final float[] gain = new float[N];
    /** Where the gains are heading and their per-sample ramp: a gain step in the loop would click. */
    private final float[] gainTarget = new float[N];
    private final float[] gainStep = new float[N];
    private final float[] lowpass = new float[N];
    private final float[] v = new float[N];
    private float dampCoeff;

    private Reverb() {
        super(TYPE);
    }

    @Override
    protected void onPrepare(float sampleRate, int maxBlock) {
        for (int i = 0; i < N; i++) {
            lines[i] = new DelayLine((int) Math.ceil(LINE_MS[i] * 0.001 * sampleRate) + 4);
        }
        for (int i = 0; i < diffusers.length; i++) {
            diffuserLength[i] = (int) Math.round(DIFFUSER_MS[i] * 0.001 * sampleRate);
            diffusers[i] = new DelayLine(diffuserLength[i] + 1);
        }
    }

    @Override
    protected void reset() {
        for (DelayLine l : lines) {
            l.reset();
        }
        for (DelayLine d : diffusers) {
            d.reset();
        }
        java.util.Arrays.fill(lowpass, 0f);
        for (int i = 0; i < N; i++) {
            length[i] = targetLength(i, size.target());
        }
        retune();
        System.arraycopy(gainTarget, 0, gain, 0, N);
    }

    private float targetLength(int i, float sizePercent) {
        double scale = MIN_SCALE + (1 - MIN_SCALE) * sizePercent * 0.01;
        // Whole samples, so a settled reverb reads its lines without interpolating.
        return (float) Math.round(LINE_MS[i] * 0.001 * sampleRate * scale);
    }

    /** Per-line gains for the decay time at the current lengths, and the damping coefficient. */
    private void retune() {
        double t60 = decay.current();
        for (int i = 0; i < N; i++) {
            gainTarget[i] = (float) Math.pow(10, -3 * length[i] / (t60 * sampleRate));
        }
        // Damping 0 % leaves the loop open to 18 kHz; 100 % closes it to 1.5 kHz.
        double hz = 18000 * Math.pow(1500.0 / 18000, damping.current() * 0.01);
        dampCoeff = OnePole.coefficient(sampleRate, hz);
    }

    @Override
    protected void processBlock(float[] buf, int n) {
        float sizeT = size.target();
        boolean sizeMoving = false;
        for (int i = 0; i < N; i++) {
            float target = targetLength(i, sizeT);
            lengthStep[i] = Math.max(-SIZE_SLEW * n, Math.min(SIZE_SLEW * n, target - length[i])) / n;
            sizeMoving |= length[i] != target;
        }
        if (sizeMoving || decay.moving() || damping.moving()) {
            decay.advance(n);
            damping.advance(n);
            retune();
        }
        boolean ramp = false;
        for (int i = 0; i < N; i++) {
            wholeLength[i] = (int) length[i];
            gainStep[i] = (gainTarget[i] - gain[i]) / n;
            ramp |= gainStep[i] != 0f;
        }
        float mixT = mix.latch();
        boolean mixSettled = mix.current() == mixT;
        float dry = Mix.dry(mixT * 0.01f), wet = WET_LEVEL * Mix.wet(mixT * 0.01f);
        float damp = dampCoeff;
        for (int s = 0; s < n; s++) {
            float x = buf[s];
            float in = x;
            for (int d = 0; d < diffusers.length; d++) {
                float delayed = diffusers[d].read(diffuserLength[d] - 1);
                float w = in + DIFFUSION * delayed;
                diffusers[d].write(w);
                in = delayed - DIFFUSION * w;
            }
            float out = 0f;
            for (int i = 0; i < N; i++) {
                float y;
                if (sizeMoving) {
                    length[i] += lengthStep[i];
                    y = lines[i].readLinear(length[i] - 1f);
                } else {
                    y = lines[i].read(wholeLength[i] - 1);
                }
                float lp = lowpass[i] + (y - lowpass[i]) * damp;
                lowpass[i] = lp;
                if (ramp) {
                    gain[i] += gainStep[i];
                }
                v[i] = lp * gain[i];
                out += (i & 1) == 0 ? y : -y;
            }
            hadamard(v);
            for (int i = 0; i < N; i++) {
                lines[i].write(v[i] + in);
            }
            if (mixSettled) {
                buf[s] = x * dry + out * wet;
            } else {
                float m = mix.next() * 0.01f;
                buf[s] = x * Mix.dry(m) + out * WET_LEVEL * Mix.wet(m);
            }
        }
        mix.settle();
        for (int i = 0; i < N; i++) {
            // Tails decay through the damping states: flushing them once a block keeps the
            // loop out of denormals (a value cannot fall 250 dB within one block).
            lowpass[i] = (lowpass[i] + 1e-18f) - 1e-18f;
            gain[i] = gainTarget[i];
            float target = targetLength(i, sizeT);
            if (Math.abs(target - length[i]) < 1e-3f) {
                length[i] = target;
            }
        }
    }

    /** In-place 8-point Walsh-Hadamard transform, scaled to keep energy (1/sqrt 8). */
    private static void hadamard(float[] a) {
        float a0 = a[0] + a[1], a1 = a[0] - a[1], a2 = a[2] + a[3], a3 = a[2] - a[3];
        float a4 = a[4] + a[5], a5 = a[4] - a[5], a6 = a[6] + a[7], a7 = a[6] - a[7];
        float b0 = a0 + a2, b2 = a0 - a2, b1 = a1 + a3, b3 = a1 - a3;
        float b4 = a4 + a6, b6 = a4 - a6, b5 = a5 + a7, b7 = a5 - a7;
        final float k = 0.35355339f;
        a[0] = (b0 + b4) * k;
        a[4] = (b0 - b4) * k;
        a[1] = (b1 + b5) * k;
        a[5] = (b1 - b5) * k;
        a[2] = (b2 + b6) * k;
        a[6] = (b2 - b6) * k;
        a[3] = (b3 + b7) * k;
        a[7] = (b3 - b7) * k;
    }
}
