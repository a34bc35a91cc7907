package jambox.protocol;

/**
 * What a packet is. The code is the byte on the wire. Every type after the handshake carries an
 * authentication tag; the server's room-wide broadcasts are tagged with the room key (one tag for
 * all listeners), everything else with the member's session key.
 */
public enum PacketType {
    HELLO(1, false, false),
    CHALLENGE(2, false, false),
    JOIN(3, false, false),
    WELCOME(4, true, false),
    REFUSE(5, false, false),
    LEAVE(6, true, false),
    AUDIO(7, true, true),
    PING(8, true, false),
    PONG(9, true, false),
    ROSTER(10, true, true),
    ROUTE(11, true, false),
    TEMPO(12, true, true),
    BEAT(13, true, true),
    RECORD(14, true, true),
    ERROR(15, true, false),
    /** Several room-wide packets for one member in one datagram; each keeps its own tag. */
    BUNDLE(16, false, true),
    /** A member's MIDI events, stamped on its audio's timeline; forwarded as AUDIO is (see message.MidiEvents). */
    MIDI(17, true, true),
    /** A member's whole mixer strip table, for a room where the server mixes (see message.MixStrips). */
    MIX(18, true, false),
    /** A mix room's meters: each member's peak as the server heard it (see message.Levels). */
    LEVELS(19, true, true);

    private static final PacketType[] BY_CODE = new PacketType[256];

    static {
        for (PacketType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    public final int code;
    /** Carries a {@link Header#TAG_SIZE}-byte tag after the body. */
    public final boolean tagged;
    /** When the server sends it, it goes to a whole room and is tagged with the room key. */
    public final boolean roomWide;

    PacketType(int code, boolean tagged, boolean roomWide) {
        this.code = code;
        this.tagged = tagged;
        this.roomWide = roomWide;
    }

    /** The type for a wire code, or null when no type has it. */
    public static PacketType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
