package jambox.midi;

import java.util.Locale;

/**
 * What a player moves on a MIDI controller: a control change, a note, or a program change, with its
 * number and channel.
 *
 * @param kind    CC, NOTE or PROGRAM
 * @param number  the CC number, note number or program number, 0..127 as sent
 * @param channel 1..16, or {@link #ANY}
 */
public record Source(Kind kind, int number, int channel) {

    public static final int ANY = 0;

    public enum Kind {
        CC, NOTE, PROGRAM;

        /** The field that names it in midi.json: {@code "cc"}, {@code "note"}, {@code "program"}. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static Source cc(int number, int channel) {
        return new Source(Kind.CC, number, channel);
    }

    public static Source note(int number, int channel) {
        return new Source(Kind.NOTE, number, channel);
    }

    public static Source program(int number, int channel) {
        return new Source(Kind.PROGRAM, number, channel);
    }

    /** True when one message could fire both: the same kind and number, and a channel in common. */
    public boolean overlaps(Source other) {
        return kind == other.kind && number == other.number
                && (channel == ANY || other.channel == ANY || channel == other.channel);
    }

    /** True when a message of this kind, number and channel (1..16) fires this source. */
    boolean matches(Kind kind, int number, int channel) {
        return this.kind == kind && this.number == number && (this.channel == ANY || this.channel == channel);
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case CC -> "CC " + number;
            case NOTE -> "note " + number;
            case PROGRAM -> "program " + number;
        };
        return what + (channel == ANY ? " any channel" : " ch " + channel);
    }
}
