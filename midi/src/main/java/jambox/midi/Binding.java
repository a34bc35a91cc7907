package jambox.midi;

import jambox.surface.Target;

/**
 * One line of the MIDI map: a {@link Source} and what it does to a {@link Target}.
 *
 * <ul>
 *   <li>An absolute CC on a parameter, the master or a monitor is a fader: 0..127 sweeps the
 *       target's whole travel, or {@code range}, with soft takeover.</li>
 *   <li>A relative CC ({@code relative} names its encoding) on those, or on PRESET, is an endless
 *       encoder: each message moves by the steps it carries (a preset by one, its sign).</li>
 *   <li>On BYPASS, PRESET, TUNER or TAP, a CC of 64 or more, a note-on and a program change are a
 *       press; notes off and CCs below 64 (a switch let go) do nothing.</li>
 * </ul>
 *
 * @param relative the encoding of a relative CC, or null for an absolute one
 * @param range    a fader's span in the target's units, or null for its whole travel
 * @param preset   PRESET: {@link #NEXT}, {@link #PREVIOUS}, or the preset's number in the list (1 is
 *                 the first); {@link #NEXT} for every other kind
 */
public record Binding(Source source, Target target, Encoding relative, Range range, int preset) {

    public static final int NEXT = 0;
    public static final int PREVIOUS = -1;
    /** Preset numbers a binding can name: as many as there are programs. */
    public static final int MAX_PRESET = 128;

    /** An absolute CC over the target's whole travel, a note or a program as a press (PRESET: next). */
    public static Binding of(Source source, Target target) {
        return new Binding(source, target, null, null, NEXT);
    }

    /** True when this source acts as a switch: each message a press. */
    public boolean isPress() {
        return MapRules.PRESSED.contains(target.kind());
    }

    @Override
    public String toString() {
        String what = target + (relative != null ? " (relative, " + relative.jsonName() + ")" : "")
                + (range != null ? " (" + range.min() + ".." + range.max() + " " + range.curve().jsonName() + ")" : "")
                + (preset == PREVIOUS ? " previous" : preset > 0 ? " number " + preset : "");
        return source + " -> " + what;
    }
}
