package jambox.midi;

/**
 * A channel message the MIDI surface acts on, read from its bytes: what the page shows as the last
 * message received ({@code "CC 11 ch 1 = 64"}) so a player can see the controller reaches the box.
 *
 * @param type    what it is
 * @param channel 1..16
 * @param number  the CC, note or program number, 0..127
 * @param value   the CC's value or the note's velocity, 0..127; 0 for a program change
 */
public record MidiMessage(Type type, int channel, int number, int value) {

    public enum Type { CC, NOTE_ON, NOTE_OFF, PROGRAM }

    /**
     * The message in {@code length} bytes from {@code offset} (a whole message, as JACK delivers
     * them: no running status), or null when it is none of the four kinds here (clock, sysex, pitch
     * bend...) or is malformed (a data byte with its top bit set, bytes missing).
     */
    public static MidiMessage parse(byte[] bytes, int offset, int length) {
        if (length < 1) {
            return null;
        }
        int status = bytes[offset] & 0xFF;
        int channel = (status & 0x0F) + 1;
        Type type = switch (status & 0xF0) {
            case 0x80 -> Type.NOTE_OFF;
            case 0x90 -> Type.NOTE_ON;
            case 0xB0 -> Type.CC;
            case 0xC0 -> Type.PROGRAM;
            default -> null;
        };
        int needs = type == Type.PROGRAM ? 2 : 3;
        if (type == null || length < needs) {
            return null;
        }
        for (int i = 1; i < needs; i++) {
            if ((bytes[offset + i] & 0x80) != 0) {
                return null;
            }
        }
        int number = bytes[offset + 1];
        int value = type == Type.PROGRAM ? 0 : bytes[offset + 2];
        // A note-on at velocity 0 is how many keyboards say note-off.
        return new MidiMessage(type == Type.NOTE_ON && value == 0 ? Type.NOTE_OFF : type, channel, number, value);
    }

    @Override
    public String toString() {
        return switch (type) {
            case CC -> "CC " + number + " ch " + channel + " = " + value;
            case NOTE_ON -> "note " + number + " ch " + channel + " on, velocity " + value;
            case NOTE_OFF -> "note " + number + " ch " + channel + " off";
            case PROGRAM -> "program " + number + " ch " + channel;
        };
    }
}
