package jambox.dsp.pedal;

import java.util.List;

import jambox.dsp.Param;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;
import jambox.dsp.PedalType;
import jambox.dsp.unit.Mix;
import jambox.dsp.unit.SweptDelay;

/** Flanger: a very short swept delay with feedback, the jet-plane whoosh. */
public final class Flanger extends Pedal {
    static final double MAX_MS = 16;

    public static final PedalType TYPE = new PedalType("flanger", "Flanger",
            "The jet whoosh: comb-filter notches sweeping up and down, sharper with feedback.",
            "Ours. TarsosDSP's FlangerEffect rounds the delay to whole samples (a zipper as it sweeps), has no "
                    + "feedback, and reallocates when its length changes; this one shares the chorus's cubic-interpolated "
                    + "swept delay and adds a soft-limited feedback path.",
            List.of(ParamSpec.log("rate", "Rate", "Hz", 0.05, 5, 0.3),
                    ParamSpec.linear("depth", "Depth", "ms", 0, 5, 2),
                    ParamSpec.linear("delay", "Delay", "ms", 0.2, 10, 1),
                    ParamSpec.linear("feedback", "Feedback", "%", -90, 90, 50),
                    ParamSpec.linear("mix", "Mix", "%", 0, 100, 50)),
            Flanger::new);

    private final Param rate = param("rate");
    private final Param depth = param("depth");
    private final Param delay = param("delay");
    private final Param feedback = param("feedback");
    private final Param mix = param("mix");
    private SweptDelay voice = new SweptDelay(4);

    private Flanger() {
        super(TYPE);
    }

    @Override
    protected void onPrepare(float sampleRate, int maxBlock) {
        voice = new SweptDelay((int) Math.ceil(MAX_MS * 0.001 * sampleRate));
    }

    @Override
    protected void reset() {
        voice.reset();
    }

    @Override
    protected void processBlock(float[] buf, int n) {
        float rateT = rate.target(), depthT = depth.target(), delayT = delay.target();
        float fbT = feedback.target(), mixT = mix.target();
        // Delay and depth glide inside the voice, slew-limited, so the pitch never jumps.
        float ms = 0.001f * sampleRate;
        for (int i = 0; i < n; i++) {
            float x = buf[i];
            float wet = voice.tick(x, delayT * ms, depthT * ms, rate.next(rateT), sampleRate,
                    feedback.next(fbT) * 0.01f);
            float m = mix.next(mixT) * 0.01f;
            buf[i] = x * Mix.dry(m) + wet * Mix.wet(m);
        }
        rate.settle(rateT);
        feedback.settle(fbT);
        mix.settle(mixT);
    }
}
