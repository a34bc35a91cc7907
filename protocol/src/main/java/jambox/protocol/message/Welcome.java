package jambox.protocol.message;

import jambox.protocol.Keys;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.PacketWriter;

/**
 * The server's acceptance, tagged with the new session key (so the joiner knows the server holds
 * the secret too). The header carries the room and member ids; the room nonce yields the room key.
 */
public record Welcome(int capacity, long serverTime, byte[] roomNonce, int timeoutMillis) {
    public void write(PacketWriter w, int room, int member) {
        w.begin(PacketType.WELCOME).put16(capacity).put64(serverTime).putBytes(roomNonce).put32(timeoutMillis);
        w.header.room = room;
        w.header.member = member;
    }

    public static Welcome read(PacketReader r) {
        Welcome m = new Welcome(r.get16(), r.get64(), r.getBytes(Keys.NONCE_SIZE), r.get32());
        r.expectEnd();
        return m;
    }
}
