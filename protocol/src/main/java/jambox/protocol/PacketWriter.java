package jambox.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Builds one packet at a time in a reused buffer: {@link #begin}, fill the header fields and put
 * the body, then {@link #finish} writes the header and the tag. Puts past {@link Header#MAX_BODY}
 * throw; nothing here allocates except {@link #putString}.
 */
public final class PacketWriter {
    public final Header header = new Header();
    private final byte[] buf = new byte[Header.MAX_PACKET];
    private int pos;

    public PacketWriter begin(PacketType type) {
        header.clear(type);
        pos = Header.SIZE;
        return this;
    }

    public byte[] array() {
        return buf;
    }

    /** Where the next body byte goes (offset in {@link #array()}). */
    public int position() {
        return pos;
    }

    /** Reserves {@code n} body bytes for the caller to fill in place; returns their offset. */
    public int reserve(int n) {
        room(n);
        int at = pos;
        pos += n;
        return at;
    }

    public PacketWriter put8(int v) {
        Wire.put8(buf, reserve(1), v);
        return this;
    }

    public PacketWriter put16(int v) {
        Wire.put16(buf, reserve(2), v);
        return this;
    }

    public PacketWriter put32(int v) {
        Wire.put32(buf, reserve(4), v);
        return this;
    }

    public PacketWriter put64(long v) {
        Wire.put64(buf, reserve(8), v);
        return this;
    }

    public PacketWriter putBytes(byte[] b) {
        System.arraycopy(b, 0, buf, reserve(b.length), b.length);
        return this;
    }

    /** A string as a length byte and UTF-8; longer than {@code maxBytes} is refused. */
    public PacketWriter putString(String s, int maxBytes) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > maxBytes || b.length > 255) {
            throw new IllegalArgumentException("'" + s + "' is longer than " + maxBytes + " bytes");
        }
        put8(b.length);
        return putBytes(b);
    }

    /** Pads the body with zeros until the packet is at least {@code total} bytes long. */
    public PacketWriter padTo(int total) {
        int tag = header.type.tagged ? Header.TAG_SIZE : 0;
        while (pos + tag < total) {
            put8(0);
        }
        return this;
    }

    /** Writes the header (body length from the puts) and the tag; returns the packet's length. */
    public int finish(PacketKey key) {
        header.bodyLength = pos - Header.SIZE;
        header.write(buf, 0);
        if (!header.type.tagged) {
            return pos;
        }
        if (key == null) {
            throw new IllegalStateException(header.type + " packets need a key");
        }
        return key.sign(buf, 0, pos);
    }

    private void room(int n) {
        if (pos + n > Header.SIZE + Header.MAX_BODY) {
            throw new IllegalArgumentException("packet body over " + Header.MAX_BODY + " bytes");
        }
    }
}
