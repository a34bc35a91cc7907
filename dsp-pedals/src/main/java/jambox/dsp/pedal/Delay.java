package jambox.dsp.pedal;

import java.util.List;

import jambox.dsp.NoteValue;
import jambox.dsp.Param;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;
import jambox.dsp.PedalType;
import jambox.dsp.Smoothed;
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
            "Echoes of what you play, up to two seconds later; each repeat a little darker. With sync on and a tempo "
                    + "(the room's, or the metronome's), the echo falls on that note value instead of the time knob.",
            "Ours. TarsosDSP's DelayEffect reallocates its buffer inside process() when the time changes and only "
                    + "delays by whole samples; this one reads the line with cubic interpolation (any fraction of a sample) "
                    + "and crossfades between two read heads when the time changes.",
            List.of(ParamSpec.log("time", "Time", "ms", 10, MAX_MS, 380),
                    ParamSpec.linear("feedback", "Feedback", "%", 0, 95, 35),
                    ParamSpec.linear("mix", "Mix", "%", 0, 100, 35),
                    ParamSpec.log("tone", "Tone", "Hz", 800, 20000, 5000),
                    NoteValue.syncParam()),
            Delay::new);

    private final Param time = param("time");
    private final Param feedback = param("feedback");
    private final Param mix = param("mix");
    private final Param tone = param("tone");
    private final Param sync = param("sync");
    private DelayLine line = new DelayLine(4);
    private final OnePole toneFilter = new OnePole();
    private final float[] head = new float[2];
    private int active;
    /** From the head before (0) to the active one (1): a linear pair, since both read one line. */
    private final Smoothed fade = Smoothed.crossfade(Smoothed.Style.CROSSFADE_LINEAR, CROSSFADE_MS * 0.001);

    private Delay() {
        super(TYPE);
    }

    @Override
    protected void onPrepare(float sampleRate, int maxBlock) {
        line = new DelayLine((int) Math.ceil(MAX_MS * 0.001 * sampleRate) + 4);
        fade.prepare(sampleRate);
    }

    @Override
    protected void reset() {
        line.reset();
        toneFilter.reset();
        head[0] = head[1] = wantedSamples();
        active = 0;
        fade.reset(1f);
    }

    private float samples(float ms) {
        return Math.max(2f, ms * 0.001f * sampleRate);
    }

    /** The synced note's length when there is a tempo (within the line), else the time knob's. */
    private float wantedSamples() {
        double synced = NoteValue.seconds((int) sync.target(), transport());
        return synced > 0 ? samples((float) Math.min(MAX_MS, synced * 1000)) : samples(time.target());
    }

    @Override
    protected void processBlock(float[] buf, int n) {
        if (tone.moving()) {
            tone.advance(n);
        }
        toneFilter.setCutoff(sampleRate, tone.current());
        float wanted = wantedSamples();
        if (!fade.isSmoothing() && Math.abs(wanted - head[active]) > 0.01f) {
            active ^= 1;
            head[active] = wanted;
            fade.startFade();
        }
        feedback.latch();
        mix.latch();
        float now = head[active], before = head[active ^ 1];
        for (int i = 0; i < n; i++) {
            float x = buf[i];
            // Read before writing: the newest sample in the line is then one old, so head - 1.
            float echo = line.readCubic(now - 1f);
            if (fade.current() < 1f) {
                fade.next();
                echo = line.readCubic(before - 1f) * fade.fadeOut() + echo * fade.fadeIn();
            }
            echo = toneFilter.lowpass(echo);
            line.write(x + feedback.next() * 0.01f * Mix.limit(echo));
            float m = mix.next() * 0.01f;
            buf[i] = x * Mix.dry(m) + echo * Mix.wet(m);
        }
        feedback.settle();
        mix.settle();
    }
}
