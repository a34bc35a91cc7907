package jambox.protocol;

import java.util.Arrays;

/**
 * The handshake's key derivations. A room's secret never travels: the joiner proves it knows the
 * secret with a MAC over the join request and the server's cookie, and both sides derive the
 * session key (member to server, and the server's unicast replies) and the room key (the server's
 * broadcasts to the room) from it.
 */
public final class Keys {
    public static final int NONCE_SIZE = 16;
    public static final int COOKIE_SIZE = 16;
    public static final int PROOF_SIZE = 16;

    private static final byte[] JOIN_LABEL = Hmac256.utf8("jambox join v1");
    private static final byte[] SESSION_LABEL = Hmac256.utf8("jambox session v1");
    private static final byte[] ROOM_LABEL = Hmac256.utf8("jambox room v1");
    private static final byte[] COOKIE_LABEL = Hmac256.utf8("jambox cookie v1");

    private Keys() {
    }

    /**
     * The stateless cookie the server hands to a HELLO: bound to the source address and port, the
     * time slot and the client's nonce, under a key only the server knows.
     */
    public static byte[] cookie(byte[] serverKey, byte[] address, int port, int time, byte[] clientNonce) {
        byte[] portAndTime = new byte[6];
        Wire.put16(portAndTime, 0, port);
        Wire.put32(portAndTime, 2, time);
        return Arrays.copyOf(Hmac256.of(serverKey, COOKIE_LABEL, address, portAndTime, clientNonce), COOKIE_SIZE);
    }

    /** The joiner's proof of the room secret over the join request's bytes before the proof. */
    public static byte[] joinProof(byte[] secret, byte[] body, int off, int len) {
        return Arrays.copyOf(Hmac256.of(secret, JOIN_LABEL, Arrays.copyOfRange(body, off, off + len)), PROOF_SIZE);
    }

    public static byte[] session(byte[] secret, byte[] cookie, byte[] clientNonce) {
        return Hmac256.of(secret, SESSION_LABEL, cookie, clientNonce);
    }

    public static byte[] room(byte[] secret, byte[] roomNonce) {
        return Hmac256.of(secret, ROOM_LABEL, roomNonce);
    }

    /** Compares secrets' MACs without an early exit. */
    public static boolean same(byte[] a, byte[] b) {
        return java.security.MessageDigest.isEqual(a, b);
    }
}
