package jambox.dsp;

/**
 * Note values for tempo-synced times: a pedal with a {@code sync} choice takes its time (a delay's
 * echo, a tremolo's or chorus's cycle) from the {@link Transport}'s tempo when it has one, and
 * from its own knob when it has none or sync is off. Plain, dotted (1.5 x) and triplet (2/3 x).
 */
public final class NoteValue {
    private NoteValue() {
    }

    private static final String[] NAMES = {"off", "1/1", "1/2", "1/2.", "1/4", "1/4.", "1/4T", "1/8", "1/8.", "1/8T", "1/16", "1/16T"};
    /** Each value's length in quarter notes (beats); index 0, off, has none. */
    private static final double[] BEATS = {Double.NaN, 4, 2, 3, 1, 1.5, 2.0 / 3, 0.5, 0.75, 1.0 / 3, 0.25, 1.0 / 6};

    /** The {@code sync} parameter: off by default, so a pedal keeps its own time until asked. */
    public static ParamSpec syncParam() {
        return ParamSpec.choice("sync", "Sync", 0, NAMES);
    }

    /** Quarter notes in value {@code index}; NaN for off. */
    public static double beats(int index) {
        return BEATS[index];
    }

    /** Seconds value {@code index} lasts at the transport's tempo; NaN for off or without a tempo. */
    public static double seconds(int index, Transport t) {
        double bpm = t.bpm();
        return index <= 0 || !(bpm > 0) ? Double.NaN : BEATS[index] * 60.0 / bpm;
    }
}
