package jambox.dsp.pedal;

import java.util.List;

import jambox.dsp.Param;
import jambox.dsp.NoteValue;
import jambox.dsp.ParamSpec;
import jambox.dsp.PedalType;

/** Flanger: a very short swept delay with feedback, the jet-plane whoosh. */
public final class Flanger extends SweptDelayPedal {
    static final double MAX_MS = 16;

    public static final PedalType TYPE = new PedalType("flanger", "Flanger",
            "The jet whoosh: comb-filter notches sweeping up and down, sharper with feedback. With sync on and a tempo, one sweep lasts that note value.",
            "Ours. TarsosDSP's FlangerEffect rounds the delay to whole samples (a zipper as it sweeps), has no "
                    + "feedback, and reallocates when its length changes; this one shares the chorus's cubic-interpolated "
                    + "swept delay and adds a soft-limited feedback path.",
            List.of(ParamSpec.log("rate", "Rate", "Hz", 0.05, 5, 0.3),
                    ParamSpec.linear("depth", "Depth", "ms", 0, 5, 2),
                    ParamSpec.linear("delay", "Delay", "ms", 0.2, 10, 1),
                    ParamSpec.linear("feedback", "Feedback", "%", -90, 90, 50),
                    ParamSpec.linear("mix", "Mix", "%", 0, 100, 50),
                    NoteValue.syncParam()),
            Flanger::new);

    private final Param feedback = param("feedback");

    private Flanger() {
        super(TYPE, MAX_MS);
    }

    @Override
    float nextFeedback() {
        return feedback.next() * 0.01f;
    }

    @Override
    void settleFeedback() {
        feedback.settle();
        feedback.latch();
    }

    @Override
    boolean feedbackSettled() {
        return feedback.current() == feedback.latch();
    }
}
