package jambox.dsp.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

import org.junit.jupiter.api.Test;

class WavReaderTest {
    /** {@code n} samples each exactly representable at {@code bits} bits, so a round trip is exact. */
    private static float[] exact(Random r, int n, int bits) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(1 << 24) - (1 << 23); // 24 significant bits at most: exact in a float
            x[i] = switch (bits) {
                case 16 -> (k >> 8) / 32768f;
                case 24 -> k / 8388608f;
                default -> (float) ((long) k * 256 / 2147483648.0);
            };
        }
        x[0] = 0.5f; // never silent
        return x;
    }

    private static ImpulseResponse read(byte[] wav) throws BadWavException {
        return WavReader.read("cab", wav);
    }

    private static String refused(byte[] wav) {
        return assertThrows(BadWavException.class, () -> read(wav)).getMessage();
    }

    private static float[] mono(int n) {
        float[] x = new float[n];
        x[0] = 0.5f;
        x[n / 2] = -0.25f;
        return x;
    }

    @Test
    void takesEveryIntegerWidthMonoAndStereoExactly() throws Exception {
        Random r = new Random(1);
        for (int bits : new int[] {16, 24, 32}) {
            for (int ch = 1; ch <= 2; ch++) {
                float[][] x = new float[ch][];
                for (int c = 0; c < ch; c++) {
                    x[c] = exact(r, 1000, bits);
                }
                ImpulseResponse ir = read(WavBytes.riff().fmt(1, ch, 44100, bits).data(x, bits, false).bytes());
                assertEquals(44100, ir.sampleRate());
                assertEquals("cab", ir.name());
                assertArrayEquals(x, ir.channels(), bits + "-bit, " + ch + " channels");
            }
        }
    }

    @Test
    void takesFloatAndExtensible() throws Exception {
        Random r = new Random(2);
        float[][] x = {exact(r, 500, 24), exact(r, 500, 24)};
        x[1][3] = 1.75f; // float may go past full scale
        assertArrayEquals(x, read(WavBytes.riff().fmt(3, 2, 96000, 32).data(x, 32, true).bytes()).channels());
        assertArrayEquals(x, read(WavBytes.riff().extensible(3, 2, 96000, 32, 32).data(x, 32, true).bytes()).channels());
        float[][] y = {exact(r, 500, 24)};
        assertArrayEquals(y, read(WavBytes.riff().extensible(1, 1, 48000, 24, 24).data(y, 24, false).bytes()).channels());
        // 20 valid bits in 24-bit containers: decoded by the container
        assertArrayEquals(y, read(WavBytes.riff().extensible(1, 1, 48000, 24, 20).data(y, 24, false).bytes()).channels());
    }

    @Test
    void skipsOtherChunksAndTheirPadBytes() throws Exception {
        float[][] x = {mono(100)};
        byte[] wav = WavBytes.riff().chunk("JUNK", new byte[3]).fmt(1, 1, 48000, 16)
                .chunk("LIST", "INFOISFT\5\0\0\0ab".getBytes()).chunk("bext", new byte[7])
                .data(x, 16, false).chunk("cue ", new byte[1]).bytes();
        assertArrayEquals(x, read(wav).channels());
        // data before fmt, and a last pad byte missing at the end of the file
        byte[] odd = WavBytes.riff().data(new float[][] {mono(101)}, 24, false).fmt(1, 1, 48000, 24).chunk("note", new byte[1]).bytes();
        byte[] cut = java.util.Arrays.copyOf(odd, odd.length - 1);
        assertEquals(101, read(cut).length());
        // a RIFF size that lies is not held against the file
        WavBytes.le32(odd, 4, 12);
        assertEquals(101, read(odd).length());
    }

    @Test
    void takesAnyRateUpToHalfASecond() throws Exception {
        for (int rate : new int[] {8000, 22050, 44100, 48000, 192000, 384000}) {
            int n = rate / 2;
            assertEquals(n, read(WavBytes.riff().fmt(1, 2, rate, 16).data(new float[][] {mono(n), mono(n)}, 16, false).bytes()).length());
        }
    }

    @Test
    void refusesWhatIsNotAWav() {
        assertEquals("not a WAV file", refused(new byte[0]));
        assertEquals("not a WAV file", refused("RIFF".getBytes()));
        assertEquals("not a WAV file", refused("<html><body>hello</body></html>".getBytes()));
        byte[] avi = WavBytes.riff().bytes();
        avi[8] = 'A';
        assertEquals("not a WAV file", refused(avi));
        byte[] rifx = WavBytes.riff().fmt(1, 1, 48000, 16).bytes();
        rifx[3] = 'X';
        assertTrue(refused(rifx).contains("RIFX WAV is not taken"));
    }

    @Test
    void refusesSampleFormatsItDoesNotTake() {
        float[][] x = {mono(10)};
        assertEquals("8-bit PCM is not taken: 16, 24 or 32-bit PCM, or 32-bit float",
                refused(WavBytes.riff().fmt(1, 1, 48000, 8).data(x, 8, false).bytes()));
        assertTrue(refused(WavBytes.riff().fmt(1, 1, 48000, 12).data(x, 16, false).bytes()).startsWith("12-bit PCM is not taken"));
        assertTrue(refused(WavBytes.riff().fmt(3, 1, 48000, 64).data(x, 32, true).bytes()).startsWith("64-bit float is not taken"));
        assertTrue(refused(WavBytes.riff().fmt(3, 1, 48000, 16).data(x, 16, false).bytes()).startsWith("16-bit float is not taken"));
        assertEquals("a compressed WAV (format 0x0002) is not taken: save it as PCM or float",
                refused(WavBytes.riff().fmt(2, 1, 48000, 4).data(x, 8, false).bytes()));
        assertTrue(refused(WavBytes.riff().extensible(7, 1, 48000, 16, 16).data(x, 16, false).bytes())
                .contains("(format 0x0007) is not taken"));
        byte[] guid = WavBytes.riff().extensible(1, 1, 48000, 16, 16).data(x, 16, false).bytes();
        guid[12 + 8 + 30] ^= 1;
        assertEquals("an extensible WAV with a sample format the box does not know", refused(guid));
        assertEquals("the fmt chunk says 32 valid bits in 24-bit samples",
                refused(WavBytes.riff().extensible(1, 1, 48000, 24, 32).data(x, 24, false).bytes()));
        byte[] shortExt = new byte[18];
        WavBytes.le16(shortExt, 0, 0xFFFE);
        assertEquals("the fmt chunk is too short for an extensible WAV",
                refused(WavBytes.riff().chunk("fmt ", shortExt).data(x, 16, false).bytes()));
    }

    @Test
    void refusesChannelsAndRatesOutOfRange() {
        assertEquals("3 channels: an impulse response has one or two",
                refused(WavBytes.riff().fmt(1, 3, 48000, 16).data(new float[][] {mono(9), mono(9), mono(9)}, 16, false).bytes()));
        assertEquals("0 channels: an impulse response has one or two",
                refused(WavBytes.riff().fmt(1, 0, 48000, 16).data(new float[][] {mono(9)}, 16, false).bytes()));
        assertEquals("a sample rate of 4000 Hz is not taken (8000 .. 384000 Hz)",
                refused(WavBytes.riff().fmt(1, 1, 4000, 16).data(new float[][] {mono(9)}, 16, false).bytes()));
        assertEquals("a sample rate of 768000 Hz is not taken (8000 .. 384000 Hz)",
                refused(WavBytes.riff().fmt(1, 1, 768000, 16).data(new float[][] {mono(9)}, 16, false).bytes()));
    }

    @Test
    void refusesAResponseLongerThanHalfASecond() {
        assertEquals("1.2 s long (57600 samples at 48000 Hz): at most 0.5 s",
                refused(WavBytes.riff().fmt(1, 1, 48000, 16).data(new float[][] {mono(57600)}, 16, false).bytes()));
        assertEquals("0.5 s long (22051 samples at 44100 Hz): at most 0.5 s",
                refused(WavBytes.riff().fmt(1, 1, 44100, 16).data(new float[][] {mono(22051)}, 16, false).bytes()));
    }

    @Test
    void refusesDamagedStructure() {
        float[][] x = {mono(10)};
        byte[] fmt = WavBytes.riff().fmt(1, 1, 48000, 16).bytes();
        assertEquals("no data chunk: the file has no samples", refused(fmt));
        assertEquals("no fmt chunk: the file does not say how its samples are stored",
                refused(WavBytes.riff().data(x, 16, false).bytes()));
        assertEquals("no samples", refused(WavBytes.riff().fmt(1, 1, 48000, 16).chunk("data", new byte[0]).bytes()));
        assertEquals("two fmt chunks: the file is damaged",
                refused(WavBytes.riff().fmt(1, 1, 48000, 16).fmt(1, 1, 48000, 16).data(x, 16, false).bytes()));
        assertEquals("two data chunks: the file is damaged",
                refused(WavBytes.riff().fmt(1, 1, 48000, 16).data(x, 16, false).data(x, 16, false).bytes()));
        assertEquals("the fmt chunk is too short (14 bytes)",
                refused(WavBytes.riff().chunk("fmt ", new byte[14]).data(x, 16, false).bytes()));
        assertEquals("the data chunk ends in the middle of a sample",
                refused(WavBytes.riff().fmt(1, 2, 48000, 24).chunk("data", new byte[9]).bytes()));
        byte[] align = WavBytes.riff().fmt(1, 2, 48000, 16).data(new float[][] {mono(10), mono(10)}, 16, false).bytes();
        WavBytes.le16(align, 12 + 8 + 12, 2);
        assertEquals("the fmt chunk is inconsistent: 2 bytes a frame for 2 channels of 16 bits", refused(align));
        byte[] full = WavBytes.riff().fmt(1, 1, 48000, 16).data(x, 16, false).bytes();
        assertEquals("truncated data chunk: it says 20 bytes, 19 are there",
                refused(java.util.Arrays.copyOf(full, full.length - 1)));
        assertEquals("truncated fmt chunk", refused(java.util.Arrays.copyOf(full, 12 + 8 + 10)));
        byte[] list = WavBytes.riff().fmt(1, 1, 48000, 16).data(x, 16, false).chunk("LIST", new byte[40]).bytes();
        assertEquals("truncated 'LIST' chunk", refused(java.util.Arrays.copyOf(list, list.length - 5)));
        byte[] unknown = WavBytes.riff().fmt(1, 1, 48000, 16).data(x, 16, false).raw(new byte[] {1, 2, 3, 4, 9, 0, 0, 0}).bytes();
        assertEquals("truncated '?' chunk", refused(unknown));
    }

    @Test
    void refusesNonFiniteAndSilentSamples() {
        float[] x = mono(10);
        x[4] = Float.NaN;
        assertEquals("sample 5 is not a number (NaN)", refused(WavBytes.riff().fmt(3, 1, 48000, 32).data(new float[][] {x}, 32, true).bytes()));
        x[4] = Float.NEGATIVE_INFINITY;
        assertEquals("sample 5 is not a number (-Infinity)",
                refused(WavBytes.riff().fmt(3, 1, 48000, 32).data(new float[][] {x}, 32, true).bytes()));
        assertEquals("every sample is zero: the file is silent",
                refused(WavBytes.riff().fmt(1, 1, 48000, 16).data(new float[][] {new float[64]}, 16, false).bytes()));
    }

    /** Whatever is cut off or flipped, the reader answers with a reason or a response, never anything else. */
    @Test
    void truncationsAndCorruptionsOnlyEverGiveTheReason() {
        Random r = new Random(20);
        float[][] st = {mono(300), mono(300)};
        byte[][] seeds = {
                WavBytes.riff().fmt(1, 2, 48000, 24).chunk("LIST", new byte[5]).data(st, 24, false).bytes(),
                WavBytes.riff().extensible(3, 2, 44100, 32, 32).data(st, 32, true).chunk("cue ", new byte[3]).bytes(),
                WavBytes.riff().fmt(1, 1, 8000, 16).data(new float[][] {mono(300)}, 16, false).bytes()};
        int taken = 0;
        int refused = 0;
        for (int trial = 0; trial < 30000; trial++) {
            byte[] seed = seeds[trial % seeds.length];
            byte[] b;
            if (trial % 3 == 0) {
                b = java.util.Arrays.copyOf(seed, r.nextInt(seed.length + 1));
            } else {
                b = seed.clone();
                int flips = 1 + r.nextInt(6);
                for (int f = 0; f < flips; f++) {
                    // mostly the headers, where a wrong byte matters most
                    int at = r.nextBoolean() ? r.nextInt(Math.min(b.length, 80)) : r.nextInt(b.length);
                    b[at] = r.nextInt(4) == 0 ? (byte) 0xFF : (byte) r.nextInt(256);
                }
            }
            try {
                read(b);
                taken++;
            } catch (BadWavException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
                refused++;
            } catch (Throwable t) {
                fail("trial " + trial + ": " + t, t);
            }
        }
        assertTrue(taken > 1000 && refused > 1000, taken + " taken, " + refused + " refused");
    }
}
