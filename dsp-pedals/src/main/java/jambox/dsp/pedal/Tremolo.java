package jambox.dsp.pedal;

import java.util.List;

import jambox.dsp.NoteValue;
import jambox.dsp.Param;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;
import jambox.dsp.PedalType;
import jambox.dsp.unit.Lfo;

/** Tremolo: the level swells and dips at a steady rate. */
public final class Tremolo extends Pedal {
    public static final PedalType TYPE = new PedalType("tremolo", "Tremolo",
            "The volume pulses: slow and deep for surf, fast and choppy with the square wave. With sync on and a "
                    + "tempo, one pulse lasts that note value instead of following the rate knob.",
            "Ours: true amplitude modulation, gain moving between 1 - depth and 1. TarsosDSP's AmplitudeLFO multiplies "
                    + "by a bipolar LFO, which is ring modulation (the sound's phase flips), not a tremolo.",
            List.of(ParamSpec.log("rate", "Rate", "Hz", 0.5, 15, 5),
                    ParamSpec.linear("depth", "Depth", "%", 0, 100, 60),
                    ParamSpec.choice("shape", "Shape", 0, "sine", "triangle", "square"),
                    NoteValue.syncParam()),
            Tremolo::new);

    private static final Lfo.Shape[] SHAPES = Lfo.Shape.values();
    /** Shapes crossfade when switched, over this long. */
    private static final double SHAPE_FADE_SECONDS = 0.02;

    private final Param rate = param("rate");
    private final Param depth = param("depth");
    private final Param shape = param("shape");
    private final Param sync = param("sync");
    private final Lfo lfo = new Lfo();
    private Lfo.Shape current = Lfo.Shape.SINE;
    private Lfo.Shape previous = Lfo.Shape.SINE;
    private float shapeMix = 1f;
    private float shapeStep;

    private Tremolo() {
        super(TYPE);
    }

    @Override
    protected void onPrepare(float sampleRate, int maxBlock) {
        shapeStep = (float) (1 / (SHAPE_FADE_SECONDS * sampleRate));
    }

    @Override
    protected void reset() {
        lfo.reset();
        current = SHAPES[(int) shape.target()];
        previous = current;
        shapeMix = 1f;
    }

    @Override
    protected void processBlock(float[] buf, int n) {
        Lfo.Shape wanted = SHAPES[(int) shape.target()];
        if (wanted != current) {
            previous = current;
            current = wanted;
            shapeMix = 0f;
        }
        rate.latch();
        depth.latch();
        double synced = NoteValue.seconds((int) sync.target(), transport());
        float syncedHz = synced > 0 ? (float) (1 / synced) : 0f;
        for (int i = 0; i < n; i++) {
            float knob = rate.next();
            float hz = syncedHz > 0 ? syncedHz : knob;
            float d = depth.next() * 0.01f;
            double phase = lfo.next(hz, sampleRate);
            float wave = Lfo.value(current, phase, hz / sampleRate);
            if (shapeMix < 1f) {
                shapeMix = Math.min(1f, shapeMix + shapeStep);
                wave = Lfo.value(previous, phase, hz / sampleRate) * (1f - shapeMix) + wave * shapeMix;
            }
            // wave -1..1 maps to gain 1-d..1: the peak is never louder than the input.
            buf[i] *= 1f - d * 0.5f * (1f - wave);
        }
        rate.settle();
        depth.settle();
    }
}
