package jambox.protocol.message;

import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.PacketWriter;

/** A member leaving (member to server), or being let go (server to member: timeout, shutdown). */
public record Leave(String message) {
    public void write(PacketWriter w) {
        w.begin(PacketType.LEAVE).putString(Text.fit(message, Limits.MESSAGE), Limits.MESSAGE);
    }

    public static Leave read(PacketReader r) {
        Leave m = new Leave(r.getString(Limits.MESSAGE, "message"));
        r.expectEnd();
        return m;
    }
}
