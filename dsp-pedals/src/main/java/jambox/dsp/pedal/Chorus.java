package jambox.dsp.pedal;

import java.util.List;

import jambox.dsp.NoteValue;
import jambox.dsp.ParamSpec;
import jambox.dsp.PedalType;

/** Chorus: a copy of the note, slightly late and slightly detuned by a slow sweep, beside the note. */
public final class Chorus extends SweptDelayPedal {
    static final double MAX_MS = 40;

    public static final PedalType TYPE = new PedalType("chorus", "Chorus",
            "Shimmer and width: a second, gently wavering copy of every note. With sync on and a tempo, one sweep lasts that note value.",
            "Ours: a delay of a few ms swept by a sine LFO and read with cubic interpolation. TarsosDSP has no chorus.",
            List.of(ParamSpec.log("rate", "Rate", "Hz", 0.05, 5, 0.8),
                    ParamSpec.linear("depth", "Depth", "ms", 0, 8, 3),
                    ParamSpec.linear("delay", "Delay", "ms", 5, 30, 10),
                    ParamSpec.linear("mix", "Mix", "%", 0, 100, 50),
                    NoteValue.syncParam()),
            Chorus::new);

    private Chorus() {
        super(TYPE, MAX_MS);
    }

    @Override
    float nextFeedback() {
        return 0f;
    }

    @Override
    void settleFeedback() {
    }

    @Override
    boolean feedbackSettled() {
        return true;
    }
}
