package jambox.protocol;

/**
 * Packs float samples (nominal range -1..1, one array per channel) into an AUDIO body and back,
 * interleaved, big-endian. PCM clips to full scale and carries NaN as silence; FLOAT32 carries
 * the bits as they are. No allocation.
 */
public final class Pcm {
    private static final float SCALE16 = 32767f;
    private static final float SCALE24 = 8388607f;

    private Pcm() {
    }

    /** Encodes {@code frames} frames of {@code channels} channels; returns the bytes written. */
    public static int encode(Codec codec, float[][] in, int channels, int frames, byte[] out, int off) {
        int p = off;
        switch (codec) {
            case PCM16 -> {
                for (int i = 0; i < frames; i++) {
                    for (int c = 0; c < channels; c++) {
                        Wire.put16(out, p, quantize(in[c][i], SCALE16));
                        p += 2;
                    }
                }
            }
            case PCM24 -> {
                for (int i = 0; i < frames; i++) {
                    for (int c = 0; c < channels; c++) {
                        int v = quantize(in[c][i], SCALE24);
                        out[p] = (byte) (v >> 16);
                        out[p + 1] = (byte) (v >> 8);
                        out[p + 2] = (byte) v;
                        p += 3;
                    }
                }
            }
            case FLOAT32 -> {
                for (int i = 0; i < frames; i++) {
                    for (int c = 0; c < channels; c++) {
                        Wire.put32(out, p, Float.floatToRawIntBits(in[c][i]));
                        p += 4;
                    }
                }
            }
            default -> throw new IllegalArgumentException("no PCM codec: " + codec);
        }
        return p - off;
    }

    /** Decodes an AUDIO body into {@code out[channel][0..frames)}. */
    public static void decode(Codec codec, byte[] in, int off, int channels, int frames, float[][] out) {
        int p = off;
        switch (codec) {
            case PCM16 -> {
                for (int i = 0; i < frames; i++) {
                    for (int c = 0; c < channels; c++) {
                        out[c][i] = (short) Wire.u16(in, p) / SCALE16;
                        p += 2;
                    }
                }
            }
            case PCM24 -> {
                for (int i = 0; i < frames; i++) {
                    for (int c = 0; c < channels; c++) {
                        int v = (in[p] << 16) | ((in[p + 1] & 0xFF) << 8) | (in[p + 2] & 0xFF);
                        out[c][i] = v / SCALE24;
                        p += 3;
                    }
                }
            }
            case FLOAT32 -> {
                for (int i = 0; i < frames; i++) {
                    for (int c = 0; c < channels; c++) {
                        out[c][i] = Float.intBitsToFloat(Wire.i32(in, p));
                        p += 4;
                    }
                }
            }
            default -> throw new IllegalArgumentException("no PCM codec: " + codec);
        }
    }

    private static int quantize(float x, float scale) {
        float clipped = x >= 1f ? 1f : x <= -1f ? -1f : x; // NaN fails both tests and falls through ...
        return clipped == clipped ? Math.round(clipped * scale) : 0; // ... to here, as silence
    }
}
