package jambox.dsp.ir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** WAV files built byte by byte, as tools write them, to feed {@link WavReader}. */
final class WavBytes {
    private final ByteArrayOutputStream chunks = new ByteArrayOutputStream();

    static WavBytes riff() {
        return new WavBytes();
    }

    /** A plain 16-byte fmt chunk. */
    WavBytes fmt(int tag, int channels, int rate, int bits) {
        byte[] b = new byte[16];
        le16(b, 0, tag);
        le16(b, 2, channels);
        le32(b, 4, rate);
        le32(b, 8, rate * channels * bits / 8);
        le16(b, 12, channels * bits / 8);
        le16(b, 14, bits);
        return chunk("fmt ", b);
    }

    /** A 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk with subformat {@code sub}. */
    WavBytes extensible(int sub, int channels, int rate, int bits, int validBits) {
        byte[] b = new byte[40];
        le16(b, 0, 0xFFFE);
        le16(b, 2, channels);
        le32(b, 4, rate);
        le32(b, 8, rate * channels * bits / 8);
        le16(b, 12, channels * bits / 8);
        le16(b, 14, bits);
        le16(b, 16, 22);
        le16(b, 18, validBits);
        le32(b, 20, channels == 1 ? 4 : 3);
        le16(b, 24, sub);
        byte[] tail = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};
        System.arraycopy(tail, 0, b, 26, tail.length);
        return chunk("fmt ", b);
    }

    /** Interleaved samples encoded as {@code bits}-bit integers or (float) 32-bit floats. */
    WavBytes data(float[][] channels, int bits, boolean floating) {
        int n = channels[0].length;
        int bytes = bits / 8;
        byte[] b = new byte[n * channels.length * bytes];
        int p = 0;
        for (int i = 0; i < n; i++) {
            for (float[] ch : channels) {
                float v = ch[i];
                if (floating) {
                    le32(b, p, Float.floatToRawIntBits(v));
                } else {
                    long max = 1L << (bits - 1);
                    long q = Math.max(-max, Math.min(max - 1, Math.round(v * (double) max)));
                    for (int k = 0; k < bytes; k++) {
                        b[p + k] = (byte) (q >> (8 * k));
                    }
                }
                p += bytes;
            }
        }
        return chunk("data", b);
    }

    /** Any chunk; an odd-sized one gets its pad byte. */
    WavBytes chunk(String id, byte[] body) {
        byte[] h = new byte[8];
        System.arraycopy(id.getBytes(StandardCharsets.ISO_8859_1), 0, h, 0, 4);
        le32(h, 4, body.length);
        chunks.writeBytes(h);
        chunks.writeBytes(body);
        if ((body.length & 1) == 1) {
            chunks.write(0);
        }
        return this;
    }

    /** Raw bytes after the chunks so far (a header whose size lies, say). */
    WavBytes raw(byte[] b) {
        chunks.writeBytes(b);
        return this;
    }

    byte[] bytes() {
        byte[] body = chunks.toByteArray();
        byte[] out = new byte[12 + body.length];
        System.arraycopy("RIFF".getBytes(StandardCharsets.ISO_8859_1), 0, out, 0, 4);
        le32(out, 4, 4 + body.length);
        System.arraycopy("WAVE".getBytes(StandardCharsets.ISO_8859_1), 0, out, 8, 4);
        System.arraycopy(body, 0, out, 12, body.length);
        return out;
    }

    static void le16(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >> 8);
    }

    static void le32(byte[] b, int p, long v) {
        for (int k = 0; k < 4; k++) {
            b[p + k] = (byte) (v >> (8 * k));
        }
    }
}
