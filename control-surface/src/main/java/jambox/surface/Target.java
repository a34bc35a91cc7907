package jambox.surface;

import java.util.Locale;
import java.util.Objects;

/**
 * What a control acts on, whatever the surface: a knob, an encoder, a footswitch, a MIDI control.
 * This module only checks that a target is well formed; whether {@code overdrive.drive} exists is
 * the appliance's business (it knows the catalog).
 *
 * @param kind    what kind of thing is controlled
 * @param pedal   PARAM and BYPASS: the pedal's catalog type id (the first such pedal on input 1's chain); otherwise null
 * @param param   PARAM: the parameter id; otherwise null
 * @param channel MONITOR: 0 or 1, the box's own input heard in the headphones; otherwise 0
 * @param action  LOOPER: one of {@link #LOOPER_ACTIONS}, what the box's loopers are told; otherwise null
 */
public record Target(Kind kind, String pedal, String param, int channel, String action) {

    /** What a control may tell the box's loopers: the control API's {@code looper} actions. */
    public static final java.util.List<String> LOOPER_ACTIONS = java.util.List.of("record", "overdub", "play", "stop", "undo", "clear");

    public enum Kind {
        PARAM, BYPASS, PRESET, TUNER, TAP, MASTER, MONITOR, LOOPER;

        /** The name in a surface's map (hardware.json, the MIDI map): {@code "param"}, {@code "bypass"}, ... */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Pedal and parameter ids follow the catalog's rule for parameter ids: a lower-case letter, then letters and digits. */
    public static boolean isId(String id) {
        return id != null && id.matches("[a-z][a-zA-Z0-9]*");
    }

    public Target {
        Objects.requireNonNull(kind, "kind");
        boolean wantsPedal = kind == Kind.PARAM || kind == Kind.BYPASS;
        if (wantsPedal ? !isId(pedal) : pedal != null) {
            throw new IllegalArgumentException(kind + ": pedal " + (wantsPedal ? "must be an id like \"overdrive\"" : "must be null") + ", not " + pedal);
        }
        if (kind == Kind.PARAM ? !isId(param) : param != null) {
            throw new IllegalArgumentException(kind + ": param " + (kind == Kind.PARAM ? "must be an id like \"drive\"" : "must be null") + ", not " + param);
        }
        if (kind == Kind.MONITOR ? channel != 0 && channel != 1 : channel != 0) {
            throw new IllegalArgumentException(kind + ": channel " + (kind == Kind.MONITOR ? "must be 0 or 1" : "must be 0") + ", not " + channel);
        }
        // List.of's contains throws on null: ask it about a name only.
        if (kind == Kind.LOOPER ? action == null || !LOOPER_ACTIONS.contains(action) : action != null) {
            throw new IllegalArgumentException(kind + ": action " + (kind == Kind.LOOPER ? "must be one of " + LOOPER_ACTIONS
                    : "must be null") + ", not " + action);
        }
    }

    /** A target of any kind but LOOPER. */
    public Target(Kind kind, String pedal, String param, int channel) {
        this(kind, pedal, param, channel, null);
    }

    public static Target param(String pedal, String param) {
        return new Target(Kind.PARAM, pedal, param, 0);
    }

    public static Target bypass(String pedal) {
        return new Target(Kind.BYPASS, pedal, null, 0);
    }

    public static Target preset() {
        return new Target(Kind.PRESET, null, null, 0);
    }

    public static Target tuner() {
        return new Target(Kind.TUNER, null, null, 0);
    }

    public static Target tap() {
        return new Target(Kind.TAP, null, null, 0);
    }

    public static Target master() {
        return new Target(Kind.MASTER, null, null, 0);
    }

    public static Target monitor(int channel) {
        return new Target(Kind.MONITOR, null, null, channel);
    }

    public static Target looper(String action) {
        return new Target(Kind.LOOPER, null, null, 0, action);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case PARAM -> "param " + pedal + "." + param;
            case BYPASS -> "bypass " + pedal;
            case MONITOR -> "monitor " + channel;
            case LOOPER -> "looper " + action;
            default -> kind.jsonName();
        };
    }
}
