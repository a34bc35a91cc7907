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
 * A digital delay with darkening repeats.
 *
 * <p>Changing the time never clicks and never warbles: the line is read by two heads, and a
 * new time starts the idle head at the new position and crossfades to it over
 * {@value #CROSSFADE_MS} ms. (Gliding one head instead would bend the pitch of everything in
 * the line, a tape effect, but a chirp on a big jump.) A knob turned continuously gives a
 * chain of such crossfades.
 */
public final class Delay extends Pedal {
    static final double MAX_MS = 2000;
    static final double CROSSFADE_MS = 40;

    public static final PedalType TYPE = new PedalType("delay", "Delay",
            "Echoes of what you play, up to two seconds later; each repeat a little darker.",
            "Ours. TarsosDSP's DelayEffect reallocates its buffer inside process() when the time changes and only "
                    + "delays by whole samples; this one reads the line with cubic interpolation (any fraction of a sample) "
                    + "and crossfades between two read heads when the time changes.",
            List.of(ParamSpec.log("time", "Time", "ms", 10, MAX_MS, 380),
                    ParamSpec.linear("feedback", "Feedback", "%", 0, 95, 35),
                    ParamSpec.linear("mix", "Mix", "%", 0, 100, 35),
                    ParamSpec.log("tone", "Tone", "Hz", 800, 20000, 5000)),
            Delay::new);

    private final Param time = param("time");
    private final Param feedback = param("feedback");
    private final Param mix = param("mix");
    private final Param tone = param("tone");
    private DelayLine line = new DelayLine(4);
    private final OnePole toneFilter = new OnePole();
    private final float[] head = new float[2];
    private int active;
    private float fade = 1f;
    private float fadeStep;

    private Delay() {
        super(TYPE);
    }

    @Override
    protected void onPrepare(float sampleRate, int maxBlock) {
        line = new DelayLine((int) Math.ceil(MAX_MS * 0.001 * sampleRate) + 4);
        fadeStep = (float) (1 / (CROSSFADE_MS * 0.001 * sampleRate));
    }

    @Override
    protected void reset() {
        line.reset();
        toneFilter.reset();
        head[0] = head[1] = samples(time.target());
        active = 0;
        fade = 1f;
    }

    private float samples(float ms) {
        return Math.max(2f, ms * 0.001f * sampleRate);
    }

    @Override
    protected void processBlock(float[] buf, int n) {
        if (tone.moving()) {
            tone.advance(n);
        }
        toneFilter.setCutoff(sampleRate, tone.current());
        float wanted = samples(time.target());
        if (fade >= 1f && Math.abs(wanted - head[active]) > 0.01f) {
            active ^= 1;
            head[active] = wanted;
            fade = 0f;
        }
        float fbT = feedback.target(), mixT = mix.target();
        float now = head[active], before = head[active ^ 1];
        float f = fade;
        for (int i = 0; i < n; i++) {
            float x = buf[i];
            // Read before writing: the newest sample in the line is then one old, so head - 1.
            float echo = line.readCubic(now - 1f);
            if (f < 1f) {
                f = Math.min(1f, f + fadeStep);
                echo = line.readCubic(before - 1f) * (1f - f) + echo * f;
            }
            echo = toneFilter.lowpass(echo);
            line.write(x + feedback.next(fbT) * 0.01f * Mix.limit(echo));
            float m = mix.next(mixT) * 0.01f;
            buf[i] = x * Mix.dry(m) + echo * Mix.wet(m);
        }
        fade = f;
        feedback.settle(fbT);
        mix.settle(mixT);
    }
}
