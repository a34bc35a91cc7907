package jambox.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** Codec 4: a tone through the Opus encoder and decoder, what it costs, and what is refused. */
class OpusTest {
    private static final int RATE = Opus.SAMPLE_RATE;
    private static final int N = Opus.FRAMES;

    /** {@code seconds} of each channel's tone (0 Hz: silence) through encode and decode, frame by frame. */
    private static float[][] roundTrip(int bitrate, double seconds, double leftHz, double rightHz, int[] bytes) {
        int packets = (int) (seconds * RATE / N);
        Opus.Encoder enc = new Opus.Encoder(2, bitrate, false);
        Opus.Decoder dec = new Opus.Decoder(2);
        float[][] in = new float[2][N];
        float[][] frame = new float[2][N];
        float[][] out = new float[2][packets * N];
        byte[] body = new byte[Opus.MAX_BODY];
        for (int p = 0; p < packets; p++) {
            for (int i = 0; i < N; i++) {
                int t = p * N + i;
                in[0][i] = tone(leftHz, t);
                in[1][i] = tone(rightHz, t);
            }
            int n = enc.encode(in, body, 0);
            if (bytes != null) {
                bytes[0] = Math.max(bytes[0], n);
                bytes[1] = bytes[1] == 0 ? n : Math.min(bytes[1], n);
            }
            dec.decode(body, 0, n, frame);
            System.arraycopy(frame[0], 0, out[0], p * N, N);
            System.arraycopy(frame[1], 0, out[1], p * N, N);
        }
        return out;
    }

    private static float tone(double hz, int t) {
        return hz == 0 ? 0f : (float) (0.5 * Math.sin(2 * Math.PI * hz * t / RATE));
    }

    /** Rising zero crossings, placed between samples by linear interpolation. */
    static double frequency(float[] x, int from, int to) {
        double first = -1;
        double last = -1;
        int crossings = 0;
        for (int i = from + 1; i < to; i++) {
            if (x[i - 1] < 0 && x[i] >= 0) {
                double at = i - 1 + x[i - 1] / (double) (x[i - 1] - x[i]);
                if (first < 0) {
                    first = at;
                }
                last = at;
                crossings++;
            }
        }
        return crossings < 2 ? 0 : (crossings - 1) * (double) RATE / (last - first);
    }

    static double rmsDb(float[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) x[i] * x[i];
        }
        return 10 * Math.log10(sum / (to - from) + 1e-30);
    }

    /** The lag (in frames, 0..max) at which {@code out} best matches {@code in}. */
    private static int delay(float[] in, float[] out, int from, int to, int max) {
        int best = 0;
        double bestSum = Double.NEGATIVE_INFINITY;
        for (int lag = 0; lag <= max; lag++) {
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += (double) in[i] * out[i + lag];
            }
            if (sum > bestSum) {
                bestSum = sum;
                best = lag;
            }
        }
        return best;
    }

    @Test
    void aToneKeepsItsFrequencyAndLevel() {
        int[] bytes = new int[2];
        float[][] out = roundTrip(Opus.DEFAULT_BITRATE, 1.0, 440, 660, bytes);
        int from = RATE / 4;
        int to = RATE;
        double left = frequency(out[0], from, to);
        double right = frequency(out[1], from, to);
        // A sine of amplitude 0.5 is at -9.03 dB rms.
        double leftDb = rmsDb(out[0], from, to);
        double rightDb = rmsDb(out[1], from, to);
        System.out.printf("Opus %d kbit/s: L %.2f Hz %.2f dB, R %.2f Hz %.2f dB, %d..%d bytes a frame%n",
                Opus.DEFAULT_BITRATE / 1000, left, leftDb, right, rightDb, bytes[1], bytes[0]);
        assertEquals(440, left, 1.0);
        assertEquals(660, right, 1.0);
        assertEquals(-9.03, leftDb, 1.0);
        assertEquals(-9.03, rightDb, 1.0);
        assertEquals(Opus.DEFAULT_BITRATE / 8 / 400, bytes[0], "constant bitrate: every frame the same size");
        assertEquals(bytes[0], bytes[1]);
    }

    @Test
    void theCodecDelaysByItsLookahead() {
        assertEquals(Opus.DELAY_FRAMES, new Opus.Encoder(2, Opus.DEFAULT_BITRATE).delayFrames());
        assertEquals(Opus.DELAY_FRAMES, new Opus.Encoder(1, Opus.DEFAULT_BITRATE).delayFrames());
        // A chirp-free, non-periodic signal (noise) so that the match is unambiguous.
        int packets = RATE / N / 2;
        Random random = new Random(7);
        float[] signal = new float[packets * N];
        for (int i = 0; i < signal.length; i++) {
            signal[i] = (float) (0.3 * random.nextGaussian());
        }
        Opus.Encoder enc = new Opus.Encoder(1, Opus.DEFAULT_BITRATE);
        Opus.Decoder dec = new Opus.Decoder(1);
        float[][] in = new float[1][N];
        float[][] frame = new float[1][N];
        float[] out = new float[signal.length];
        byte[] body = new byte[Opus.MAX_BODY];
        for (int p = 0; p < packets; p++) {
            System.arraycopy(signal, p * N, in[0], 0, N);
            int n = enc.encode(in, body, 0);
            dec.decode(body, 0, n, frame);
            System.arraycopy(frame[0], 0, out, p * N, N);
        }
        int measured = delay(signal, out, RATE / 10, signal.length - 600, 480);
        System.out.println("Opus delay, measured: " + measured + " frames");
        assertEquals(Opus.DELAY_FRAMES, measured);
    }

    /**
     * A left-only tone: how much of it the right channel gets, at each bitrate. Below
     * MIN_STEREO_BITRATE, Opus at 2.5 ms codes the two channels as one.
     */
    @Test
    void stereoHoldsFromTheStereoMinimum() {
        double[] leak = new double[257];
        for (int kbps = 64; kbps <= 128; kbps += kbps < 72 ? 2 : 8) {
            float[][] out = roundTrip(kbps * 1000, 0.5, 440, 0, null);
            leak[kbps] = rmsDb(out[1], RATE / 8, RATE / 2) - rmsDb(out[0], RATE / 8, RATE / 2);
            System.out.printf("Opus %d kbit/s: a left-only tone on the right at %.1f dB%n", kbps, leak[kbps]);
        }
        for (int kbps = Opus.MIN_STEREO_BITRATE / 1000; kbps <= 128; kbps += 8) {
            assertTrue(leak[kbps] < -30, kbps + " kbit/s keeps the channels apart: " + leak[kbps] + " dB");
        }
        assertTrue(leak[64] > -3, "at 64 kbit/s both ears get the left channel: " + leak[64] + " dB");
    }

    /**
     * What a member's Opus stream costs on the wire: the datagram (header, frame as coded, tag)
     * plus IPv4 and UDP's 28 bytes, 400 a second.
     */
    @Test
    void bandwidthOnTheWire() {
        float[][] block = new float[2][N];
        byte[] body = new byte[Opus.MAX_BODY];
        for (int kbps : new int[] {72, 96, 128, 192, 256}) {
            Opus.Encoder enc = new Opus.Encoder(2, kbps * 1000);
            int most = 0;
            long total = 0;
            for (int k = 0; k < 100; k++) {
                for (int i = 0; i < N; i++) {
                    block[0][i] = tone(440, k * N + i);
                    block[1][i] = tone(660, k * N + i);
                }
                int n = enc.encode(block, body, 0);
                most = Math.max(most, n);
                total += n;
            }
            double frame = total / 100.0;
            double wire = Header.SIZE + frame + Header.TAG_SIZE + 28;
            System.out.printf("Opus %d kbit/s stereo: %.2f-byte frames (at most %d), %.2f bytes a datagram with IPv4+UDP,"
                    + " %.1f kbit/s on the wire at 400 packets/s%n", kbps, frame, most, wire, wire * 400 * 8 / 1000.0);
            assertEquals(kbps * 1000 / 8.0 / 400, frame, 0.5, "constant bitrate");
        }
    }

    @Test
    void bitratesOutsideTheRangeAreRefused() {
        assertNull(Opus.bitrateProblem(64_000, 1));
        assertNull(Opus.bitrateProblem(Opus.MIN_STEREO_BITRATE, 2));
        assertNull(Opus.bitrateProblem(256_000, 2));
        assertNotNull(Opus.bitrateProblem(64_000, 2));
        assertNotNull(Opus.bitrateProblem(63_999, 1));
        assertNotNull(Opus.bitrateProblem(256_001, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Opus.Encoder(2, 64_000));
        assertTrue(e.getMessage().contains("fold"), e.getMessage());
    }

    private static byte[] audioPacket(int channels, int frames, byte[] body) {
        Header h = new Header().clear(PacketType.AUDIO);
        h.codec = Codec.OPUS;
        h.channels = channels;
        h.frames = frames;
        h.bodyLength = body.length;
        byte[] b = new byte[h.packetLength()];
        h.write(b, 0);
        System.arraycopy(body, 0, b, Header.SIZE, body.length);
        return b;
    }

    private static Problem read(byte[] packet) {
        return new Header().read(packet, 0, packet.length);
    }

    @Test
    void malformedOpusBodiesAreRefusedOnArrival() {
        float[][] silence = new float[2][N];
        byte[] frame = new byte[Opus.MAX_BODY];
        int n = new Opus.Encoder(2, Opus.DEFAULT_BITRATE).encode(silence, frame, 0);
        byte[] good = java.util.Arrays.copyOf(frame, n);
        assertEquals(Problem.NONE, read(audioPacket(2, N, good)));
        assertEquals(Problem.BAD_AUDIO_FORMAT, read(audioPacket(2, 64, good)), "Opus at 64 frames");
        assertEquals(Problem.BAD_AUDIO_FORMAT, read(audioPacket(2, 240, good)), "Opus at 5 ms");
        assertEquals(Problem.BAD_OPUS, read(audioPacket(2, N, new byte[0])), "no body");
        assertEquals(Problem.BAD_LENGTH, read(audioPacket(2, N, new byte[Header.MAX_BODY + 1])), "over MAX_BODY");
        assertEquals(Problem.BAD_OPUS, read(audioPacket(2, N, new byte[Opus.MAX_BODY + 1])), "over 1,275 bytes");
        assertEquals(Problem.NONE, read(audioPacket(1, N, good)), "a stereo frame in a mono stream decodes");
        byte[] tenMs = good.clone();
        tenMs[0] = (byte) ((31 << 3) | (good[0] & 7)); // CELT fullband 20 ms
        assertEquals(Problem.BAD_OPUS, read(audioPacket(2, N, tenMs)));
        byte[] silk = good.clone();
        silk[0] = (byte) ((0 << 3) | (good[0] & 7));
        assertEquals(Problem.BAD_OPUS, read(audioPacket(2, N, silk)));
        byte[] two = good.clone();
        two[0] = (byte) ((good[0] & ~3) | 1); // two frames in the packet
        assertEquals(Problem.BAD_OPUS, read(audioPacket(2, N, two)));
        // Copies of earlier packets are for PCM only: an Opus body's length varies, so no copy count can be read.
        byte[] doubled = new byte[2 * good.length];
        System.arraycopy(good, 0, doubled, 0, good.length);
        System.arraycopy(good, 0, doubled, good.length, good.length);
        byte[] flagged = audioPacket(2, N, doubled);
        flagged[4] |= Header.FLAG_REDUNDANT;
        assertEquals(Problem.OPUS_REDUNDANT, read(flagged), "the REDUNDANT flag on Opus");

        // Garbage behind a valid table of contents either decodes as some sound or is refused:
        // nothing else escapes, and the decoder goes on with the next good frame.
        Opus.Decoder dec = new Opus.Decoder(2);
        float[][] out = new float[2][N];
        Random random = new Random(19);
        int refused = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[1 + random.nextInt(Opus.MAX_BODY)];
            random.nextBytes(junk);
            junk[0] = good[0];
            try {
                dec.decode(junk, 0, junk.length, out);
            } catch (MalformedPacketException e) {
                refused++;
            }
        }
        System.out.println("random Opus bodies refused by the decoder: " + refused + " of 2000");
        assertThrows(MalformedPacketException.class, () -> dec.decode(tenMs, 0, tenMs.length, out));
        assertThrows(MalformedPacketException.class, () -> dec.decode(good, 0, 0, out));
        dec.decode(good, 0, good.length, out);
    }
}
