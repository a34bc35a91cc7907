package jambox.dsp.pedal;

import java.util.List;

import jambox.dsp.Param;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;
import jambox.dsp.PedalType;
import jambox.dsp.Smoothed;
import jambox.dsp.unit.Lfo;
import jambox.dsp.unit.Mix;

/**
 * A phaser: first-order allpass stages swept by an LFO; mixed with the dry signal, each pair
 * of stages digs one notch, and the notches sweep. Eight stages always run; the stage choice
 * taps the chain after 4, 6 or 8, and a new choice crossfades between taps.
 */
public final class Phaser extends Pedal {
    static final double LOW_HZ = 200;
    static final double HIGH_HZ = 3200;
    private static final int STAGES = 8;
    private static final int[] TAPS = {4, 6, 8};
    private static final double TAP_FADE_SECONDS = 0.02;

    public static final PedalType TYPE = new PedalType("phaser", "Phaser",
            "The swirl: notches sweeping through the sound, from a gentle shimmer to a watery throb.",
            "Ours (TarsosDSP has no phaser): 8 first-order allpass stages tapped after 4, 6 or 8, their break "
                    + "frequency swept exponentially between " + (int) LOW_HZ + " and " + (int) HIGH_HZ
                    + " Hz by a sine LFO, coefficients ramped across each block, soft-limited feedback.",
            List.of(ParamSpec.log("rate", "Rate", "Hz", 0.05, 8, 0.5),
                    ParamSpec.linear("depth", "Depth", "%", 0, 100, 80),
                    ParamSpec.linear("feedback", "Feedback", "%", 0, 90, 30),
                    ParamSpec.choice("stages", "Stages", 0, "4", "6", "8"),
                    ParamSpec.linear("mix", "Mix", "%", 0, 100, 50)),
            Phaser::new);

    private final Param rate = param("rate");
    private final Param depth = param("depth");
    private final Param feedback = param("feedback");
    private final Param stages = param("stages");
    private final Param mix = param("mix");
    private final float[] state = new float[STAGES];
    private final Lfo lfo = new Lfo();
    private float coeff;
    private float last;
    private int tap;
    private int previousTap;
    /** From the previous tap (0) to the chosen one (1). */
    private final Smoothed tapFade = Smoothed.crossfade(Smoothed.Style.CROSSFADE_LINEAR, TAP_FADE_SECONDS);

    private Phaser() {
        super(TYPE);
    }

    @Override
    protected void onPrepare(float sampleRate, int maxBlock) {
        tapFade.prepare(sampleRate);
    }

    @Override
    protected void reset() {
        java.util.Arrays.fill(state, 0f);
        lfo.reset();
        last = 0f;
        tap = TAPS[(int) stages.target()];
        previousTap = tap;
        tapFade.reset(1f);
        coeff = coefficientAt(lfo.phase());
    }

    /** The allpass coefficient for the LFO at {@code phase}: break frequency swept in octaves. */
    private float coefficientAt(double phase) {
        double d = depth.current() * 0.01;
        double centre = Math.sqrt(LOW_HZ * HIGH_HZ);
        double hz = centre * Math.pow(HIGH_HZ / LOW_HZ, 0.5 * d * Lfo.sine((float) phase));
        double t = Math.tan(Math.PI * hz / sampleRate);
        return (float) ((t - 1) / (t + 1));
    }

    /** The coefficient a first-order allpass needs for a break (-90 degrees) at {@code hz}. */
    static double coefficientFor(double hz, double sampleRate) {
        double t = Math.tan(Math.PI * hz / sampleRate);
        return (t - 1) / (t + 1);
    }

    @Override
    protected void processBlock(float[] buf, int n) {
        int wanted = TAPS[(int) stages.target()];
        if (wanted != tap && !tapFade.isSmoothing()) {
            previousTap = tap;
            tap = wanted;
            tapFade.startFade();
        }
        depth.advance(n);
        float hz = rate.advance(n);
        // The sweep is slow: one coefficient per block end, ramped linearly across the block.
        for (int i = 0; i < n; i++) {
            lfo.next(hz, sampleRate);
        }
        float target = coefficientAt(lfo.phase());
        float step = (target - coeff) / n;
        float a = coeff;
        feedback.latch();
        mix.latch();
        for (int i = 0; i < n; i++) {
            a += step;
            float x = buf[i];
            float s = x + feedback.next() * 0.01f * Mix.limit(last);
            float outTap = 0f, outPrevious = 0f;
            for (int k = 0; k < STAGES; k++) {
                // y = a x + x[n-1] - a y[n-1], kept in one state variable (transposed form).
                float y = a * s + state[k];
                state[k] = s - a * y;
                s = y;
                if (k + 1 == tap) {
                    outTap = y;
                }
                if (k + 1 == previousTap) {
                    outPrevious = y;
                }
            }
            float wet = outTap;
            if (tapFade.current() < 1f) {
                tapFade.next();
                wet = outPrevious + (outTap - outPrevious) * tapFade.fadeIn(); // the linear pair, one multiply
            }
            last = wet;
            float m = mix.next() * 0.01f;
            buf[i] = x * Mix.dry(m) + wet * Mix.wet(m);
        }
        coeff = target;
        for (int k = 0; k < STAGES; k++) {
            state[k] = (state[k] + 1e-18f) - 1e-18f;
        }
        last = (last + 1e-18f) - 1e-18f;
        feedback.settle();
        mix.settle();
    }
}
