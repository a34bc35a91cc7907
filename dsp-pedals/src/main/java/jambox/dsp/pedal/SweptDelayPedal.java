package jambox.dsp.pedal;

import jambox.dsp.NoteValue;
import jambox.dsp.Param;
import jambox.dsp.Pedal;
import jambox.dsp.PedalType;
import jambox.dsp.unit.Mix;
import jambox.dsp.unit.SweptDelay;

/**
 * What chorus and flanger share: a swept delay with rate, depth, delay and mix knobs, the
 * flanger adding feedback. Delay and depth glide inside the voice, slew-limited, so the pitch
 * never jumps when they are turned.
 */
abstract class SweptDelayPedal extends Pedal {
    private final double maxMs;
    private final Param rate = param("rate");
    private final Param depth = param("depth");
    private final Param delay = param("delay");
    private final Param mix = param("mix");
    private final Param sync = param("sync");
    private SweptDelay voice = new SweptDelay(4);

    SweptDelayPedal(PedalType type, double maxMs) {
        super(type);
        this.maxMs = maxMs;
    }

    /** The feedback for the next sample, -1..1. */
    abstract float nextFeedback();

    /** Ends the block for the feedback's glide. */
    abstract void settleFeedback();

    /** True when the feedback is not gliding. */
    abstract boolean feedbackSettled();

    @Override
    protected void onPrepare(float sampleRate, int maxBlock) {
        voice = new SweptDelay((int) Math.ceil(maxMs * 0.001 * sampleRate));
    }

    @Override
    protected void reset() {
        voice.reset();
    }

    @Override
    protected void processBlock(float[] buf, int n) {
        float rateT = rate.latch(), mixT = mix.latch();
        float ms = 0.001f * sampleRate;
        float delaySamples = delay.target() * ms, depthSamples = depth.target() * ms;
        double synced = NoteValue.seconds((int) sync.target(), transport());
        if (synced > 0) {
            // One sweep a note value: the LFO's step jumps with the tempo, its phase does not. The
            // knob still glides underneath, so turning sync off lands where it was turned to.
            rateT = (float) (1 / synced);
            if (rate.moving()) {
                rate.advance(n);
            }
        }
        if ((synced > 0 || rate.current() == rateT) && mix.current() == mixT && feedbackSettled()) {
            // Knobs at rest: the LFO step, the feedback and the mix gains hold for the whole block.
            float step = rateT / sampleRate, fb = nextFeedback();
            float dry = Mix.dry(mixT * 0.01f), wet = Mix.wet(mixT * 0.01f);
            for (int i = 0; i < n; i++) {
                float x = buf[i];
                buf[i] = x * dry + voice.tick(x, delaySamples, depthSamples, step, fb) * wet;
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float x = buf[i];
            float hz = synced > 0 ? rateT : rate.next();
            float wet = voice.tick(x, delaySamples, depthSamples, hz, sampleRate, nextFeedback());
            float m = mix.next() * 0.01f;
            buf[i] = x * Mix.dry(m) + wet * Mix.wet(m);
        }
        rate.settle();
        mix.settle();
        settleFeedback();
    }
}
