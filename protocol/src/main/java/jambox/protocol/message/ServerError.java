package jambox.protocol.message;

import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.PacketWriter;

/** The server telling a member that something it sent was refused, and why. */
public record ServerError(int code, String message) {
    public static final int MALFORMED = 1;
    public static final int RATE_LIMITED = 2;
    public static final int NOT_ALLOWED = 3;
    public static final int RECORDING_FAILED = 4;

    public void write(PacketWriter w) {
        w.begin(PacketType.ERROR).put16(code).putString(Text.fit(message, Limits.MESSAGE), Limits.MESSAGE);
    }

    public static ServerError read(PacketReader r) {
        ServerError m = new ServerError(r.get16(), r.getString(Limits.MESSAGE, "message"));
        r.expectEnd();
        return m;
    }
}
