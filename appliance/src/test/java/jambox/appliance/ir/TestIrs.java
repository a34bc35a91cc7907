package jambox.appliance.ir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Impulse-response WAV files for tests, byte by byte: 24-bit PCM, each sample exact in a float. */
public final class TestIrs {
    private TestIrs() {
    }

    /** {@code frames} frames of {@code channels} channels at {@code rate}: a decaying click, distinct per seed. */
    public static float[][] samples(int channels, int frames, int seed) {
        float[][] x = new float[channels][frames];
        java.util.Random r = new java.util.Random(seed);
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < frames; i++) {
                int q = (int) ((r.nextInt(1 << 22) - (1 << 21)) * Math.exp(-i / 2000.0));
                x[c][i] = q / 8388608f;
            }
            x[c][0] = 0.5f;
        }
        return x;
    }

    /** A 24-bit PCM WAV of {@code x} at {@code rate}, with a LIST chunk of odd size before the data. */
    public static byte[] wav24(float[][] x, int rate) {
        int ch = x.length;
        int n = x[0].length;
        int data = n * ch * 3;
        ByteBuffer b = ByteBuffer.allocate(12 + 24 + 8 + 6 + data + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(b.capacity() - 8).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) ch).putInt(rate).putInt(rate * ch * 3)
                .putShort((short) (ch * 3)).putShort((short) 24);
        b.put("LIST".getBytes()).putInt(5).put(new byte[] {'a', 'b', 'c', 'd', 'e', 0});
        b.put("data".getBytes()).putInt(data);
        for (int i = 0; i < n; i++) {
            for (float[] c : x) {
                int q = Math.round(c[i] * 8388608f);
                b.put((byte) q).put((byte) (q >> 8)).put((byte) (q >> 16));
            }
        }
        return b.array();
    }
}
