package jambox.protocol;

/**
 * A per-session or per-room key that tags packets: the first {@link Header#TAG_SIZE} bytes of
 * HMAC-SHA256 over everything before the tag. Allocation-free; one instance per thread.
 */
public final class PacketKey {
    private final Hmac256 mac;
    private final byte[] expected = new byte[Header.TAG_SIZE];

    public PacketKey(byte[] key) {
        mac = new Hmac256(key);
    }

    /** Writes the tag after the {@code len} bytes at {@code off}; returns the tagged length. */
    public int sign(byte[] b, int off, int len) {
        mac.update(b, off, len).finish(b, off + len, Header.TAG_SIZE);
        return len + Header.TAG_SIZE;
    }

    /** Whether the last {@link Header#TAG_SIZE} bytes of the {@code len} at {@code off} are the right tag. */
    public boolean verify(byte[] b, int off, int len) {
        if (len < Header.TAG_SIZE) {
            return false;
        }
        int body = len - Header.TAG_SIZE;
        mac.update(b, off, body).finish(expected, 0, Header.TAG_SIZE);
        int diff = 0;
        for (int i = 0; i < Header.TAG_SIZE; i++) {
            diff |= expected[i] ^ b[off + body + i]; // constant time: no early exit on the first mismatch
        }
        return diff == 0;
    }
}
