package jambox.dsp;

import java.util.List;
import java.util.Locale;

/**
 * What a pedal parameter is: data, not code. Presets, the web page, knob mapping and
 * {@code docs/pedals.md} are all generated from these descriptors.
 */
public record ParamSpec(String id, String name, String unit, double min, double max,
                        double defaultValue, Taper taper, List<String> choices) {

    public ParamSpec {
        if (id == null || !id.matches("[a-z][a-zA-Z0-9]*")) {
            throw new IllegalArgumentException("parameter id must be camelCase letters and digits: " + id);
        }
        choices = List.copyOf(choices);
        if (taper == Taper.CHOICE && choices.size() < 2) {
            throw new IllegalArgumentException(id + ": a choice needs at least two options");
        }
        if (!(min < max) || defaultValue < min || defaultValue > max) {
            throw new IllegalArgumentException(id + ": need min < max and the default inside");
        }
        if (taper == Taper.LOG && min <= 0) {
            throw new IllegalArgumentException(id + ": a log taper needs min > 0");
        }
    }

    public static ParamSpec linear(String id, String name, String unit, double min, double max, double def) {
        return new ParamSpec(id, name, unit, min, max, def, Taper.LINEAR, List.of());
    }

    public static ParamSpec log(String id, String name, String unit, double min, double max, double def) {
        return new ParamSpec(id, name, unit, min, max, def, Taper.LOG, List.of());
    }

    public static ParamSpec db(String id, String name, double min, double max, double def) {
        return new ParamSpec(id, name, "dB", min, max, def, Taper.DB, List.of());
    }

    public static ParamSpec choice(String id, String name, int defaultIndex, String... choices) {
        return new ParamSpec(id, name, "", 0, choices.length - 1, defaultIndex, Taper.CHOICE, List.of(choices));
    }

    public boolean isChoice() {
        return taper == Taper.CHOICE;
    }

    /**
     * Checks a value from outside (a preset, the page, a knob) and returns it as stored.
     *
     * @throws IllegalArgumentException with a sentence a user can act on
     */
    public double validate(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(id + ": " + value + " is not a number");
        }
        if (isChoice() && (value < min || value > max || value != Math.rint(value))) {
            // A choice is named, not measured: "7 is outside 1x12 .. 4x12" would read as nonsense.
            throw new IllegalArgumentException(id + ": " + (value == Math.rint(value) ? Long.toString((long) value) : value)
                    + " is not one of the choices 0 .. " + (choices.size() - 1) + " " + choices);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(id + ": " + format(value) + " is outside " + format(min) + " .. " + format(max));
        }
        return value;
    }

    /** The index of a named choice. */
    public int choiceIndex(String choice) {
        int i = choices.indexOf(choice);
        if (i < 0) {
            throw new IllegalArgumentException(id + ": '" + choice + "' is not one of " + choices);
        }
        return i;
    }

    /** Where a value sits on the knob's travel, 0..1. */
    public double toNormalized(double value) {
        double v = Math.max(min, Math.min(max, value));
        return switch (taper) {
            case LOG -> Math.log(v / min) / Math.log(max / min);
            default -> (v - min) / (max - min);
        };
    }

    /** The value at a point of the knob's travel, 0..1; choices snap to the nearest. */
    public double fromNormalized(double knob) {
        double k = Math.max(0, Math.min(1, knob));
        return switch (taper) {
            case LOG -> min * Math.pow(max / min, k);
            case CHOICE -> Math.rint(min + k * (max - min));
            default -> min + k * (max - min);
        };
    }

    /** A value as a person reads it: "12.5 dB", "350 ms", "sine". */
    public String format(double value) {
        if (isChoice()) {
            int i = (int) Math.rint(value);
            return i >= 0 && i < choices.size() ? choices.get(i) : Double.toString(value);
        }
        // A huge value from outside (1e300 from a page) in a few characters, not three hundred digits.
        String number = Math.abs(value) >= 1e15 ? String.format(Locale.ROOT, "%.3g", value)
                : Math.abs(value) >= 100 || value == Math.rint(value)
                ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.3g", value);
        return unit.isEmpty() ? number : number + " " + unit;
    }
}
