package jambox.protocol.message;

import jambox.protocol.Header;
import jambox.protocol.Keys;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.PacketWriter;

/** The server's stateless answer to a HELLO: a cookie bound to the client's address and the time slot. */
public record Challenge(int time, byte[] cookie, byte[] clientNonce) {
    public static final int PACKET_LENGTH = Header.SIZE + 4 + Keys.COOKIE_SIZE + Keys.NONCE_SIZE;

    public void write(PacketWriter w) {
        w.begin(PacketType.CHALLENGE).put32(time).putBytes(cookie).putBytes(clientNonce);
    }

    public static Challenge read(PacketReader r) {
        Challenge c = new Challenge(r.get32(), r.getBytes(Keys.COOKIE_SIZE), r.getBytes(Keys.NONCE_SIZE));
        r.expectEnd();
        return c;
    }
}
