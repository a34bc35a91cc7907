package jambox.appliance.stream;

import jambox.protocol.PacketReader;
import jambox.protocol.message.Roster;

/** What the receiving thread does with the room's packets once they passed the session's checks. */
public interface Downlink {
    /** An AUDIO packet from another member, its body at the reader's position. Receiving thread. */
    void audio(PacketReader packet, long arrivalNanos);

    /** A MIDI packet from another member, its body at the reader's position. Receiving thread. */
    default void midi(PacketReader packet) {
    }

    /** A part of the room's roster. Receiving thread. */
    void roster(Roster roster);

    /** The session ended (left, timed out, or the server went away): forget every member. */
    void reset();
}
