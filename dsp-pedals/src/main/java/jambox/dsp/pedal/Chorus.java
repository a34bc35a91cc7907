package jambox.dsp.pedal;

import java.util.List;

import jambox.dsp.Param;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;
import jambox.dsp.PedalType;
import jambox.dsp.unit.Mix;
import jambox.dsp.unit.SweptDelay;

/** Chorus: a copy of the note, slightly late and slightly detuned by a slow sweep, beside the note. */
public final class Chorus extends Pedal {
    static final double MAX_MS = 40;

    public static final PedalType TYPE = new PedalType("chorus", "Chorus",
            "Shimmer and width: a second, gently wavering copy of every note.",
            "Ours: a delay of a few ms swept by a sine LFO and read with cubic interpolation. TarsosDSP has no chorus.",
            List.of(ParamSpec.log("rate", "Rate", "Hz", 0.05, 5, 0.8),
                    ParamSpec.linear("depth", "Depth", "ms", 0, 8, 3),
                    ParamSpec.linear("delay", "Delay", "ms", 5, 30, 10),
                    ParamSpec.linear("mix", "Mix", "%", 0, 100, 50)),
            Chorus::new);

    private final Param rate = param("rate");
    private final Param depth = param("depth");
    private final Param delay = param("delay");
    private final Param mix = param("mix");
    private SweptDelay voice = new SweptDelay(4);

    private Chorus() {
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
        float rateT = rate.target(), depthT = depth.target(), delayT = delay.target(), mixT = mix.target();
        // Delay and depth glide inside the voice, slew-limited, so the pitch never jumps.
        float ms = 0.001f * sampleRate;
        for (int i = 0; i < n; i++) {
            float x = buf[i];
            float wet = voice.tick(x, delayT * ms, depthT * ms, rate.next(rateT), sampleRate, 0f);
            float m = mix.next(mixT) * 0.01f;
            buf[i] = x * Mix.dry(m) + wet * Mix.wet(m);
        }
        rate.settle(rateT);
        mix.settle(mixT);
    }
}
