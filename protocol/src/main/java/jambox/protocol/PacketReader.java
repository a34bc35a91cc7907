package jambox.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Reads one packet from a byte array: {@link #read} checks the header, then the getters walk the
 * body and throw {@link MalformedPacketException} when a field would run past it. Only
 * {@link #getString} and {@link #getBytes} allocate.
 */
public final class PacketReader {
    public final Header header = new Header();
    private byte[] buf;
    private int start;
    private int length;
    private int pos;
    private int end;

    public Problem read(byte[] b, int off, int len) {
        buf = b;
        start = off;
        length = len;
        Problem p = header.read(b, off, len);
        pos = off + Header.SIZE;
        end = p == Problem.NONE ? pos + header.bodyLength : pos;
        return p;
    }

    /** Whether the packet's tag is right for this key. */
    public boolean verify(PacketKey key) {
        return header.type.tagged && key.verify(buf, start, length);
    }

    public byte[] array() {
        return buf;
    }

    /** Offset of the packet's first byte in {@link #array()}. */
    public int offset() {
        return start;
    }

    /** The whole packet's length, header and tag included. */
    public int length() {
        return length;
    }

    /** Offset of the body's first byte in {@link #array()}. */
    public int bodyOffset() {
        return start + Header.SIZE;
    }

    /** The body's length in bytes, from the header. */
    public int bodyLength() {
        return header.bodyLength;
    }

    /** Steps over {@code n} body bytes the caller has read in place from {@link #array()}. */
    public void skip(int n) {
        take(n);
    }

    public int remaining() {
        return end - pos;
    }

    public int get8() {
        return Wire.u8(buf, take(1));
    }

    public int get16() {
        return Wire.u16(buf, take(2));
    }

    public int get32() {
        return Wire.i32(buf, take(4));
    }

    public long get64() {
        return Wire.i64(buf, take(8));
    }

    public byte[] getBytes(int n) {
        int at = take(n);
        byte[] out = new byte[n];
        System.arraycopy(buf, at, out, 0, n);
        return out;
    }

    /** A length byte and UTF-8; longer than {@code maxBytes}, or not valid UTF-8, is malformed. */
    public String getString(int maxBytes, String what) {
        int n = get8();
        if (n > maxBytes) {
            throw new MalformedPacketException(what + " is longer than " + maxBytes + " bytes");
        }
        int at = take(n);
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(buf, at, n)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new MalformedPacketException(what + " is not valid UTF-8");
        }
    }

    /** Fails unless the body has been read to its end: trailing bytes are malformed. */
    public void expectEnd() {
        if (pos != end) {
            throw new MalformedPacketException(header.type + " body has " + (end - pos) + " unexpected trailing bytes");
        }
    }

    private int take(int n) {
        if (n < 0 || pos + n > end) {
            throw new MalformedPacketException(header.type + " body ends early");
        }
        int at = pos;
        pos += n;
        return at;
    }
}
