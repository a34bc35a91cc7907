package jambox.protocol.message;

import jambox.protocol.Keys;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.PacketWriter;

/**
 * First packet of a join: the client's nonce, padded to at least the size of the CHALLENGE it asks
 * for, so the server never sends more bytes than it received to an address it has not validated.
 */
public record Hello(byte[] clientNonce) {
    public void write(PacketWriter w) {
        w.begin(PacketType.HELLO).putBytes(clientNonce).padTo(Challenge.PACKET_LENGTH);
    }

    public static Hello read(PacketReader r) {
        return new Hello(r.getBytes(Keys.NONCE_SIZE)); // the rest is padding
    }
}
