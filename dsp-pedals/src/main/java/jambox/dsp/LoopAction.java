package jambox.dsp;

import java.util.Locale;

/** What a footswitch or the page asks of the box's loopers; see {@code pedal/Looper} for what each does in each state. */
public enum LoopAction {
    /** The one-switch cycle: record, then play, then overdub, then play again (from stopped: play). */
    RECORD,
    OVERDUB,
    PLAY,
    STOP,
    /** Takes the last overdub layer off. */
    UNDO,
    CLEAR;

    private static final LoopAction[] ALL = values();

    /** The name in the control API: "record", "overdub", ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LoopAction byId(String id) {
        for (LoopAction a : ALL) {
            if (a.id().equals(id)) {
                return a;
            }
        }
        throw new IllegalArgumentException("no looper action '" + id + "'; there are "
                + java.util.Arrays.stream(ALL).map(LoopAction::id).toList());
    }

    static LoopAction byCode(int code) {
        return ALL[code];
    }
}
