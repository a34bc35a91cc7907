package jambox.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA256 (RFC 2104) that writes into caller buffers. The JDK's {@code Mac#doFinal} allocates
 * its result on every call; this one allocates nothing after construction, so tagging a packet is
 * free of garbage. Not thread-safe: one instance per thread and key.
 */
public final class Hmac256 {
    public static final int LENGTH = 32;
    private static final int BLOCK = 64;

    private final MessageDigest inner = sha256();
    private final MessageDigest outer = sha256();
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] digest = new byte[LENGTH];

    public Hmac256(byte[] key) {
        byte[] k = key.length > BLOCK ? sha256().digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte kb = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (kb ^ 0x36);
            outerPad[i] = (byte) (kb ^ 0x5c);
        }
        start();
    }

    /** Begins a new message (also done by {@link #finish}). */
    public Hmac256 start() {
        inner.reset();
        inner.update(innerPad);
        return this;
    }

    public Hmac256 update(byte[] b, int off, int len) {
        inner.update(b, off, len);
        return this;
    }

    /** Writes the first {@code len} bytes of the MAC to out[off..] and starts a new message. */
    public void finish(byte[] out, int off, int len) {
        try {
            inner.digest(digest, 0, LENGTH);
            outer.reset();
            outer.update(outerPad);
            outer.update(digest, 0, LENGTH);
            outer.digest(digest, 0, LENGTH);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e); // cannot happen: the buffer is always 32 bytes
        }
        System.arraycopy(digest, 0, out, off, len);
        start();
    }

    /** The whole MAC of the concatenated parts; allocates (for handshakes, not per packet). */
    public static byte[] of(byte[] key, byte[]... parts) {
        Hmac256 h = new Hmac256(key);
        for (byte[] p : parts) {
            h.update(p, 0, p.length);
        }
        byte[] out = new byte[LENGTH];
        h.finish(out, 0, LENGTH);
        return out;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
