package jambox.protocol.message;

import jambox.protocol.MalformedPacketException;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.PacketWriter;

/** A join turned down, with the reason as a code and in words. */
public record Refuse(Reason reason, String message) {
    public enum Reason {
        WRONG_SECRET(1), ROOM_FULL(2), UNKNOWN_ROOM(3), BAD_COOKIE(4), BAD_VERSION(5), BAD_REQUEST(6),
        RATE_LIMITED(7), NOT_JOINED(8);

        public final int code;

        Reason(int code) {
            this.code = code;
        }

        static Reason of(int code) {
            for (Reason r : values()) {
                if (r.code == code) {
                    return r;
                }
            }
            throw new MalformedPacketException("unknown refusal reason " + code);
        }
    }

    public void write(PacketWriter w) {
        w.begin(PacketType.REFUSE).put8(reason.code).putString(Text.fit(message, Limits.MESSAGE), Limits.MESSAGE);
    }

    public static Refuse read(PacketReader r) {
        Refuse m = new Refuse(Reason.of(r.get8()), r.getString(Limits.MESSAGE, "message"));
        r.expectEnd();
        return m;
    }
}
