package jambox.protocol;

/**
 * A BUNDLE datagram: the server's forwarded packets for one member, gathered from one read batch,
 * so a player receives a few datagrams a period instead of one per other player. The body is a
 * run of {@code u16 length, packet} pairs; every inner packet is complete and carries its own
 * room-key tag, so the bundle itself needs none. Total size stays within {@link #BUDGET} (a
 * typical MTU less IP and UDP headers).
 */
public final class Bundle {
    public static final int BUDGET = 1400;
    /** Per inner packet: its length. */
    public static final int ENTRY_OVERHEAD = 2;

    /** Receives each inner packet of a bundle in turn. */
    public interface Visitor {
        void packet(byte[] b, int off, int len);
    }

    private Bundle() {
    }

    /**
     * Calls the visitor for each inner packet of the bundle whose body is {@code b[off..off+len)}.
     * Returns false (after visiting the well-formed ones before it) when a length runs past the end.
     */
    public static boolean forEach(byte[] b, int off, int len, Visitor v) {
        int p = off;
        int end = off + len;
        while (p < end) {
            if (p + ENTRY_OVERHEAD > end) {
                return false;
            }
            int n = Wire.u16(b, p);
            p += ENTRY_OVERHEAD;
            if (n < Header.SIZE || p + n > end) {
                return false;
            }
            v.packet(b, p, n);
            p += n;
        }
        return true;
    }
}
