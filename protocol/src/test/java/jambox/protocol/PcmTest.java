package jambox.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

class PcmTest {
    @Test
    void roundTripsWithinHalfAStepForPcmAndBitExactForFloat() {
        Random r = new Random(3);
        byte[] buf = new byte[Header.MAX_BODY];
        for (Codec c : new Codec[] {Codec.PCM16, Codec.PCM24, Codec.FLOAT32}) {
            double step = c == Codec.PCM16 ? 1 / 32767.0 : 1 / 8388607.0;
            for (int trial = 0; trial < 300; trial++) {
                int channels = 1 + r.nextInt(2);
                int frames = new int[] {32, 64, 128, 256}[r.nextInt(4)];
                float[][] in = new float[2][frames];
                for (int ch = 0; ch < channels; ch++) {
                    for (int i = 0; i < frames; i++) {
                        in[ch][i] = (float) (r.nextDouble() * 2 - 1);
                    }
                }
                assertEquals(frames * channels * c.bytesPerSample, Pcm.encode(c, in, channels, frames, buf, 0));
                float[][] out = new float[2][frames];
                Pcm.decode(c, buf, 0, channels, frames, out);
                for (int ch = 0; ch < channels; ch++) {
                    for (int i = 0; i < frames; i++) {
                        if (c == Codec.FLOAT32) {
                            assertEquals(Float.floatToRawIntBits(in[ch][i]), Float.floatToRawIntBits(out[ch][i]));
                        } else {
                            assertEquals(in[ch][i], out[ch][i], step / 2 + 1e-7, c + " " + ch + ":" + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void pcmClipsAtFullScaleAndCarriesNanAsSilenceFloatCarriesEverything() {
        float[][] in = {{2f, -3f, Float.NaN, 1f, -1f, 0.5f, Float.POSITIVE_INFINITY, -0f}};
        byte[] b = new byte[64];
        float[][] out = new float[1][8];
        Pcm.encode(Codec.PCM16, in, 1, 8, b, 0);
        assertEquals("7fff8001" + "0000" + "7fff8001" + "4000" + "7fff" + "0000", HexFormat.of().formatHex(b, 0, 16));
        Pcm.decode(Codec.PCM16, b, 0, 1, 8, out);
        assertEquals(1f, out[0][0]);
        assertEquals(-1f, out[0][1]);
        assertEquals(0f, out[0][2]);
        Pcm.encode(Codec.PCM24, in, 1, 8, b, 0);
        assertEquals("7fffff" + "800001" + "000000", HexFormat.of().formatHex(b, 0, 9));
        Pcm.encode(Codec.FLOAT32, in, 1, 8, b, 0);
        Pcm.decode(Codec.FLOAT32, b, 0, 1, 8, out);
        for (int i = 0; i < 8; i++) {
            assertEquals(Float.floatToRawIntBits(in[0][i]), Float.floatToRawIntBits(out[0][i]));
        }
    }

    @Test
    void stereoIsInterleavedLeftThenRightBigEndian() {
        float[][] in = new float[2][32];
        in[0][0] = 0.5f;
        in[1][0] = -0.5f;
        in[0][1] = 1f;
        in[1][1] = 0f;
        byte[] b = new byte[128];
        Pcm.encode(Codec.PCM16, in, 2, 32, b, 0);
        assertEquals("4000" + "c001" + "7fff" + "0000", HexFormat.of().formatHex(b, 0, 8)); // round half up: -16383.5 -> -16383
    }
}
