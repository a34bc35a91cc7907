package jambox.protocol.message;

import jambox.protocol.MalformedPacketException;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.PacketWriter;

/**
 * Server-side recording. A member asks to START or STOP; the server tells the room the state
 * (IDLE, RECORDING, FAILED), who changed it, the recording's name and, on failure, why.
 */
public record Recording(int state, int member, String name, String message) {
    public static final int IDLE = 0;
    public static final int RECORDING = 1;
    public static final int FAILED = 2;
    public static final int START = 3;
    public static final int STOP = 4;

    public static Recording request(boolean start) {
        return new Recording(start ? START : STOP, 0, "", "");
    }

    public void write(PacketWriter w) {
        w.begin(PacketType.RECORD).put8(state).put16(member).putString(name, Limits.ROOM_NAME + 32)
                .putString(Text.fit(message, Limits.MESSAGE), Limits.MESSAGE);
    }

    public static Recording read(PacketReader r) {
        int state = r.get8();
        if (state > STOP) {
            throw new MalformedPacketException("unknown recording state " + state);
        }
        Recording m = new Recording(state, r.get16(), r.getString(Limits.ROOM_NAME + 32, "recording name"),
                r.getString(Limits.MESSAGE, "message"));
        r.expectEnd();
        return m;
    }
}
