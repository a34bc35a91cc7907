package jambox.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import jambox.protocol.Codec;
import jambox.protocol.Header;
import jambox.protocol.Opus;
import jambox.protocol.PacketType;

/** An Opus member through the jitter buffer: decoded as offered, reordered and lost packets included. */
class JitterBufferOpusTest {
    private static final int RATE = JitterBuffer.SAMPLE_RATE;
    private static final int N = Opus.FRAMES;

    /** A stereo stream's packets, coded in order as a sender codes them: left 440 Hz, right 660 Hz. */
    private static List<byte[]> stream(int packets) {
        Opus.Encoder enc = new Opus.Encoder(2, Opus.DEFAULT_BITRATE);
        float[][] block = new float[2][N];
        List<byte[]> out = new ArrayList<>();
        for (int k = 0; k < packets; k++) {
            for (int i = 0; i < N; i++) {
                long t = (long) k * N + i;
                block[0][i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * t / RATE));
                block[1][i] = (float) (0.5 * Math.sin(2 * Math.PI * 660 * t / RATE));
            }
            byte[] packet = new byte[Header.SIZE + Opus.MAX_BODY];
            int n = enc.encode(block, packet, Header.SIZE);
            out.add(Arrays.copyOf(packet, Header.SIZE + n));
        }
        return out;
    }

    private static Header header(long k, int bodyLength) {
        Header h = new Header().clear(PacketType.AUDIO).audio(Codec.OPUS, 2, N);
        h.bodyLength = bodyLength;
        h.member = 2;
        h.sequence = 1000 + (int) k;
        h.samplePosition = k * N;
        h.senderTime = k * N * 1_000_000L / RATE;
        return h;
    }

    /**
     * In order, and with one packet in 97 lost: the tone's frequency (zero crossings, which a
     * concealed packet's splice moves a little) within 1 %, its level within 1.5 dB.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "one packet in {0} lost (0: none)")
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 97})
    void aToneArrivesAtItsFrequencyInOrderAndThroughLoss(int loseEvery) {
        run(0, loseEvery, 0.01);
    }

    /**
     * One pair in 50 swapped on the way: the second of a pair waits (as bytes) for the first, so
     * the decoder still decodes in the stream's order (decoded as they came, the swapped pairs
     * spliced and measured 447.27 Hz on L). While the depth is still growing to the jitter, the
     * first of a pair may come after the reader wanted it: then it is concealed, by Opus in the
     * decoder and by the buffer in the slot, and counted late.
     */
    @Test
    void reorderedPacketsAreDecodedInTheStreamsOrder() {
        run(50, 0, 0.01);
    }

    private void run(int swapEvery, int loseEvery, double tolerance) {
        int packets = 2 * RATE / N; // two seconds
        List<byte[]> sent = stream(packets);
        JitterBuffer buffer = new JitterBuffer(2);
        float[][] period = new float[2][64];
        float[][] out = new float[2][packets * N];
        int pulled = 0;
        for (int k = 0; k < packets; k++) {
            // Every 50th pair swapped, every 97th packet lost.
            long index = swapEvery > 0 && k % swapEvery == 10 ? k + 1 : swapEvery > 0 && k % swapEvery == 11 ? k - 1 : k;
            long now = k * N * 1_000_000_000L / RATE;
            if (loseEvery == 0 || index % loseEvery != 40) {
                byte[] p = sent.get((int) index);
                assertTrue(buffer.offer(header(index, p.length - Header.SIZE), p, Header.SIZE, now) != Arrival.BAD);
            }
            while (pulled + 64 <= (k + 1) * N) {
                buffer.pull(period, 64);
                for (int c = 0; c < 2; c++) {
                    System.arraycopy(period[c], 0, out[c], pulled, 64);
                }
                pulled += 64;
            }
        }
        float[] left = Arrays.copyOfRange(out[0], RATE, pulled);
        float[] right = Arrays.copyOfRange(out[1], RATE, pulled);
        JitterStats stats = buffer.stats(new JitterStats());
        double l = Signals.frequency(left, RATE);
        double r = Signals.frequency(right, RATE);
        System.out.printf(swapEvery + "/" + loseEvery + " Opus through the jitter buffer: L %.2f Hz %.2f dB, R %.2f Hz %.2f dB; %s%n", l,
                Signals.rmsDb(left), r, Signals.rmsDb(right), stats);
        assertEquals(440, l, 440 * tolerance);
        assertEquals(660, r, 660 * tolerance);
        assertEquals(-9.03, Signals.rmsDb(left), 1.5);
        assertEquals(-9.03, Signals.rmsDb(right), 1.5);
        assertEquals(0, stats.bad);
        assertTrue(stats.received >= packets - (loseEvery == 0 ? 0 : packets / loseEvery + 1), stats.toString());
    }

    @Test
    void malformedOpusPacketsAreBadAndChangeNothing() {
        List<byte[]> sent = stream(4);
        JitterBuffer buffer = new JitterBuffer(2);
        byte[] p = sent.get(0);
        Header wrongSize = header(0, p.length - Header.SIZE);
        wrongSize.frames = 64;
        assertEquals(Arrival.BAD, buffer.offer(wrongSize, p, Header.SIZE, 0), "Opus at 64 frames");
        assertEquals(Arrival.BAD, buffer.offer(header(0, 0), p, Header.SIZE, 0), "an empty body");
        byte[] big = Arrays.copyOf(p, Header.SIZE + Opus.MAX_BODY + 1);
        assertEquals(Arrival.BAD, buffer.offer(header(0, Opus.MAX_BODY + 1), big, Header.SIZE, 0), "over 1,275 bytes");
        byte[] twentyMs = p.clone();
        twentyMs[Header.SIZE] = (byte) (31 << 3);
        assertEquals(Arrival.BAD, buffer.offer(header(0, p.length - Header.SIZE), twentyMs, Header.SIZE, 0),
                "a 20 ms frame");
        Header mono = header(0, p.length - Header.SIZE);
        mono.channels = 1;
        assertEquals(Arrival.BAD, buffer.offer(mono, p, Header.SIZE, 0), "another channel count than the member's");
        JitterStats stats = buffer.stats(new JitterStats());
        assertEquals(5, stats.bad);
        assertEquals(0, stats.received);
        for (int k = 0; k < 4; k++) {
            byte[] good = sent.get(k);
            assertEquals(Arrival.ACCEPTED, buffer.offer(header(k, good.length - Header.SIZE), good, Header.SIZE, k));
        }
    }
}
