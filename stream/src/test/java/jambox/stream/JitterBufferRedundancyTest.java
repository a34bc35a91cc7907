package jambox.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import jambox.protocol.Codec;
import jambox.protocol.Header;

/**
 * Packets that carry copies of the packets before them (the sender's redundancy): the buffer fills
 * the missing ones from the copies before they are due, plays them bit for bit as sent, and counts
 * them as recovered; an original that was only overtaken is not counted.
 */
class JitterBufferRedundancyTest {
    private static final int PACKETS = 1200;
    private static final int FRAMES = 64;

    /** Deterministic noise, each frame and channel its own value, never silence. */
    private static final Sender.Signal NOISE = (frame, channel) -> {
        long h = (frame * 2 + channel + 1) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return ((h >>> 40) + 1) / (float) (1L << 24) - 0.5f;
    };

    /**
     * Makes packet {@code n} of {@code sender} with copies of the {@code copies} packets before it
     * (fewer at the stream's start), in {@code sender}'s header and packet, as a sender does.
     */
    private static void redundant(Sender sender, long n, int copies, byte[][] scratch) {
        int have = (int) Math.min(copies, n);
        int part = 0;
        for (int k = 1; k <= have; k++) {
            sender.make(n - k);
            part = sender.header.bodyLength;
            System.arraycopy(sender.packet, Sender.BODY, scratch[k - 1], 0, part);
        }
        sender.make(n);
        part = sender.header.bodyLength;
        for (int k = 1; k <= have; k++) {
            System.arraycopy(scratch[k - 1], 0, sender.packet, Sender.BODY + k * part, part);
        }
        if (have > 0) {
            sender.header.flags |= Header.FLAG_REDUNDANT;
            sender.header.bodyLength = part * (1 + have);
        }
    }

    private static JitterBuffer buffer() {
        JitterBuffer b = new JitterBuffer(2);
        b.setDriftTracking(false);
        b.setDepthMode(DepthMode.MANUAL);
        b.setManualDepth(6);
        return b;
    }

    /**
     * Plays {@code PACKETS} packets with {@code copies} copies each, one per tick, leaving out those
     * in {@code lost}; returns the playback.
     */
    private static Playback play(Sender sender, int copies, Set<Long> lost) {
        JitterBuffer buffer = buffer();
        Playback p = new Playback(buffer, 2, FRAMES, (PACKETS + 16) * FRAMES);
        byte[][] scratch = new byte[2][Header.MAX_BODY];
        for (long n = 0; n < PACKETS; n++) {
            if (!lost.contains(n)) {
                redundant(sender, n, copies, scratch);
                sender.offerTo(buffer, p.now());
            }
            p.tick();
        }
        return p;
    }

    /** Every frame played from the first sound on is the sender's own, bit for bit. */
    private static void assertPlaysAsSent(Playback p, Sender sender) {
        int start = p.firstSound();
        assertTrue(start >= 0, "nothing played");
        int n = p.frames() - start;
        assertTrue(n > (PACKETS - 20) * FRAMES, "played only " + n + " frames");
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < n; i++) {
                if (p.played[c][start + i] != sender.sample(i, c)) {
                    throw new AssertionError("channel " + c + " frame " + i + " (packet " + i / FRAMES + "): played "
                            + p.played[c][start + i] + ", sent " + sender.sample(i, c));
                }
            }
        }
    }

    private static Set<Long> every(int step, int from, int run) {
        Set<Long> lost = new HashSet<>();
        for (long n = from; n < PACKETS - 10; n += step) {
            for (int k = 0; k < run; k++) {
                lost.add(n + k);
            }
        }
        return lost;
    }

    @Test
    void singleLossesAreFilledFromTheNextPacketAndPlayBitExact() {
        Sender sender = new Sender(Codec.FLOAT32, 2, FRAMES, 0x7FFF_FFF0, 9_000L, NOISE);
        Set<Long> lost = every(10, 20, 1);
        Playback p = play(sender, 1, lost);
        JitterStats s = p.stats();
        System.out.printf("JitterBufferRedundancyTest: 1 copy, single losses: recovered %d of %d lost; %s%n",
                s.recovered, lost.size(), s);
        assertPlaysAsSent(p, sender);
        assertEquals(lost.size(), s.recovered, s.toString());
        assertEquals(0, s.concealed, s.toString());
        assertEquals(0, s.lost, s.toString());
        assertEquals(0, s.duplicates, "a copy of a packet already here is no duplicate: " + s);
    }

    @Test
    void twoInARowNeedTwoCopies() {
        Sender sender = new Sender(Codec.PCM16, 2, FRAMES, 5, 0L, NOISE);
        Set<Long> lost = every(12, 30, 2);
        JitterStats one = play(sender, 1, lost).stats();
        Playback p2 = play(sender, 2, lost);
        JitterStats two = p2.stats();
        System.out.printf("JitterBufferRedundancyTest: pairs lost (%d packets): 1 copy recovered %d, concealed %d;"
                + " 2 copies recovered %d, concealed %d%n", lost.size(), one.recovered, one.concealed, two.recovered,
                two.concealed);
        assertEquals(lost.size() / 2, one.recovered, "the second of each pair: " + one);
        assertEquals(lost.size() / 2, one.concealed, "the first of each pair: " + one);
        assertEquals(lost.size(), two.recovered, two.toString());
        assertEquals(0, two.concealed, two.toString());
        // PCM16 is not bit exact against the float signal; the copies are the packets' own bytes, so
        // what plays is what the sender's packets decode to, checked through a second buffer without loss.
        Playback clean = play(sender, 0, Set.of());
        int a = p2.firstSound();
        int b = clean.firstSound();
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < (PACKETS - 20) * FRAMES; i++) {
                assertEquals(clean.played[c][b + i], p2.played[c][a + i], "channel " + c + " frame " + i);
            }
        }
    }

    @Test
    void withoutCopiesNothingIsRecovered() {
        Sender sender = new Sender(Codec.PCM16, 2, FRAMES, 5, 0L, NOISE);
        Set<Long> lost = every(10, 20, 1);
        JitterStats s = play(sender, 0, lost).stats();
        assertEquals(0, s.recovered, s.toString());
        assertEquals(lost.size(), s.concealed, s.toString());
    }

    @Test
    void anOriginalThatWasOnlyOvertakenIsNotCountedAsRecovered() {
        Sender sender = new Sender(Codec.FLOAT32, 2, FRAMES, 5, 0L, NOISE);
        JitterBuffer buffer = buffer();
        Playback p = new Playback(buffer, 2, FRAMES, (PACKETS + 16) * FRAMES);
        byte[][] scratch = new byte[2][Header.MAX_BODY];
        int swapped = 0;
        for (long n = 0; n < PACKETS; n += 2) {
            boolean swap = n >= 20 && n % 20 == 0;
            long first = swap ? n + 1 : n;
            long second = swap ? n : n + 1;
            redundant(sender, first, 1, scratch);
            sender.offerTo(buffer, p.now());
            p.tick();
            redundant(sender, second, 1, scratch);
            Arrival a = sender.offerTo(buffer, p.now());
            // Overtaken, packet n found its slot filled from the copy in n + 1: no duplicate, nothing lost.
            assertEquals(swap ? Arrival.DUPLICATE : Arrival.ACCEPTED, a, "packet " + second);
            p.tick();
            if (swap) {
                swapped++;
            }
        }
        JitterStats s = p.stats();
        System.out.printf("JitterBufferRedundancyTest: %d packets overtaken by the next: %s%n", swapped, s);
        assertPlaysAsSent(p, sender);
        assertEquals(0, s.recovered, "nothing was lost: " + s);
        assertEquals(0, s.duplicates, s.toString());
        assertEquals(0, s.concealed, s.toString());
    }

    /** Packet n - 1 lost, n + 1 overtakes n: n, found already filled, still brings the only copy of n - 1. */
    @Test
    void anOvertakenPacketStillFillsTheOneLostBeforeIt() {
        Sender sender = new Sender(Codec.FLOAT32, 2, FRAMES, 5, 0L, NOISE);
        JitterBuffer buffer = buffer();
        Playback p = new Playback(buffer, 2, FRAMES, (PACKETS + 16) * FRAMES);
        byte[][] scratch = new byte[2][Header.MAX_BODY];
        int lost = 0;
        for (long n = 0; n < PACKETS; n += 3) {
            boolean trouble = n >= 30 && n % 30 == 0;
            long[] order = trouble ? new long[] {n + 2, n + 1} : new long[] {n, n + 1, n + 2};
            if (trouble) {
                lost++; // packet n never comes; n + 2 arrives before n + 1
            }
            for (long k : order) {
                redundant(sender, k, 1, scratch);
                sender.offerTo(buffer, p.now());
                p.tick();
            }
            if (trouble) {
                p.tick();
            }
        }
        JitterStats s = p.stats();
        assertPlaysAsSent(p, sender);
        assertEquals(lost, s.recovered, s.toString());
        assertEquals(0, s.concealed, s.toString());
        assertEquals(0, s.duplicates, s.toString());
    }

    @Test
    void aCopyThatComesAfterItsPacketWasDueFillsNothing() {
        Sender sender = new Sender(Codec.FLOAT32, 2, FRAMES, 5, 0L, NOISE);
        JitterBuffer buffer = buffer();
        Playback p = new Playback(buffer, 2, FRAMES, (PACKETS + 16) * FRAMES);
        byte[][] scratch = new byte[2][Header.MAX_BODY];
        for (long n = 0; n < 100; n++) {
            redundant(sender, n, 1, scratch);
            sender.offerTo(buffer, p.now());
            p.tick();
        }
        // Packets 100..119 are held up for 20 ticks (far past the 6-packet depth); 100 never comes.
        for (int t = 0; t < 20; t++) {
            p.tick();
        }
        for (long n = 101; n < 200; n++) {
            redundant(sender, n, 1, scratch);
            sender.offerTo(buffer, p.now());
            p.tick();
        }
        JitterStats s = p.stats();
        assertEquals(0, s.recovered, "packet 100 was due long before 101 brought its copy: " + s);
        assertTrue(s.concealed > 0, s.toString());
    }

    @Test
    void offeringPacketsWithCopiesAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Sender sender = new Sender(Codec.PCM16, 2, FRAMES, 5, 0L, NOISE);
        JitterBuffer buffer = buffer();
        float[][] out = new float[2][FRAMES];
        byte[][] scratch = new byte[2][Header.MAX_BODY];
        // Made before measuring: every packet of the stream, each with two copies, and every third lost.
        int total = 6000;
        byte[][] packets = new byte[total][];
        Header[] headers = new Header[total];
        for (int n = 0; n < total; n++) {
            redundant(sender, n, 2, scratch);
            packets[n] = Arrays.copyOf(sender.packet, Header.SIZE + sender.header.bodyLength);
            Header h = new Header();
            h.clear(sender.header.type);
            h.flags = sender.header.flags;
            h.audio(sender.header.codec, 2, FRAMES);
            h.bodyLength = sender.header.bodyLength;
            h.sequence = sender.header.sequence;
            h.samplePosition = sender.header.samplePosition;
            h.senderTime = sender.header.senderTime;
            headers[n] = h;
        }
        long[] windows = new long[5];
        int n = 0;
        for (int w = -5; w < windows.length; w++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < total / 10; i++, n++) {
                if (n % 3 != 1) {
                    buffer.offer(headers[n], packets[n], Header.SIZE, n * 1_333_333L);
                }
                buffer.pull(out, FRAMES);
            }
            long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            if (w >= 0) {
                windows[w] = bytes;
            }
        }
        JitterStats s = buffer.stats(new JitterStats());
        assertTrue(s.recovered > 1000, s.toString());
        assertTrue(Arrays.stream(windows).anyMatch(b -> b == 0), "a window with 0 bytes: " + Arrays.toString(windows));
    }
}
