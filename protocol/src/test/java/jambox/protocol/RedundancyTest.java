package jambox.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** AUDIO packets that carry copies of the packets before them (flag REDUNDANT). */
class RedundancyTest {
    private static final int PART = 64 * 2 * 2; // 64 frames, stereo, PCM16

    /** Packet {@code n} of a stream: every sample of it is n / 1000, so each copy says whose it is. */
    private static float[][] block(int n) {
        float[][] b = new float[2][64];
        for (float[] ch : b) {
            Arrays.fill(ch, n / 1000f);
        }
        return b;
    }

    private static MemberSession session(int copies) {
        MemberSession s = BundleAndSessionTest.joined();
        s.redundancy(copies);
        return s;
    }

    /** What the body's part {@code k} (0: the packet's own samples) holds, as the packet number. */
    private static int partNumber(byte[] p, PacketReader r, int k) {
        float[][] out = new float[2][64];
        Pcm.decode(Codec.PCM16, p, r.bodyOffset() + k * r.header.partLength(), 2, 64, out);
        return Math.round(out[1][63] * 1000);
    }

    private static byte[] send(MemberSession s, int n, long position) {
        return Arrays.copyOf(s.writer().array(), s.audio(block(n), n, position));
    }

    @Test
    void eachPacketCarriesThePreviousOnesNewestFirstAndReadsBack() {
        for (int copies = 0; copies <= 2; copies++) {
            MemberSession s = session(copies);
            PacketReader r = new PacketReader();
            for (int n = 1; n <= 5; n++) {
                byte[] p = send(s, n, 64L * n);
                assertEquals(Problem.NONE, r.read(p, 0, p.length), "packet " + n + " at redundancy " + copies);
                int expected = Math.min(copies, n - 1); // the first packets have fewer before them
                assertEquals(expected, r.header.copies());
                assertEquals(expected > 0, (r.header.flags & Header.FLAG_REDUNDANT) != 0);
                assertEquals(PART * (1 + expected), r.header.bodyLength);
                assertEquals(Header.SIZE + PART * (1 + expected) + Header.TAG_SIZE, p.length);
                for (int k = 0; k <= expected; k++) {
                    assertEquals(n - k, partNumber(p, r, k), "part " + k + " of packet " + n);
                }
            }
        }
    }

    @Test
    void aGapInTheStreamSendsNoCopiesOfWhatCameBeforeIt() {
        MemberSession s = session(2);
        PacketReader r = new PacketReader();
        send(s, 1, 64);
        send(s, 2, 128);
        byte[] afterGap = send(s, 4, 256); // packet 3 never went out (the packetizer dropped it)
        r.read(afterGap, 0, afterGap.length);
        assertEquals(0, r.header.copies(), "the copies would not be the packets just before");
        byte[] next = send(s, 5, 320);
        r.read(next, 0, next.length);
        assertEquals(1, r.header.copies());
        assertEquals(4, partNumber(next, r, 1));
    }

    private static Problem read(byte[] p) {
        return new Header().read(p, 0, p.length);
    }

    /** A REDUNDANT packet with its body length (and the datagram) set to {@code parts} parts plus {@code extra} bytes. */
    private static byte[] redundant(int parts, int extra) {
        Header h = HeaderTest.audioHeader();
        h.flags = Header.FLAG_REDUNDANT;
        h.bodyLength = PART * parts + extra;
        return HeaderTest.packet(h);
    }

    @Test
    void everyMalformedFormIsRefusedAsBadRedundancy() {
        assertEquals(Problem.NONE, read(redundant(2, 0)));
        assertEquals(Problem.NONE, read(redundant(3, 0)));
        assertEquals(Problem.BAD_REDUNDANCY, read(redundant(1, 0)), "the flag without a copy");
        assertEquals(Problem.BAD_REDUNDANCY, read(redundant(4, 0)), "three copies");
        assertEquals(Problem.BAD_REDUNDANCY, read(redundant(2, 1)), "a part and a bit");
        assertEquals(Problem.BAD_REDUNDANCY, read(redundant(3, -2)), "a copy cut short");
        assertEquals(Problem.BAD_LENGTH, read(redundant(9, 0)), "over the body limit, whatever the flag");
        Header plain = HeaderTest.audioHeader();
        plain.bodyLength = 2 * PART;
        assertEquals(Problem.BAD_LENGTH, read(HeaderTest.packet(plain)), "copies without the flag");
        Header ping = new Header().clear(PacketType.PING);
        ping.bodyLength = 4;
        ping.flags = Header.FLAG_REDUNDANT;
        assertEquals(Problem.BAD_REDUNDANCY, read(HeaderTest.packet(ping)), "the flag on a PING");
        assertTrue(Problem.BAD_REDUNDANCY.reason.contains("2 or 3"), Problem.BAD_REDUNDANCY.reason);
    }

    @Test
    void aRefusedPacketChangesNothingInTheReader() {
        PacketReader r = new PacketReader();
        byte[] good = send(session(1), 7, 64);
        assertEquals(Problem.NONE, r.read(good, 0, good.length));
        byte[] bad = redundant(1, 0);
        assertEquals(Problem.BAD_REDUNDANCY, r.read(bad, 0, bad.length));
        assertEquals(0, r.remaining(), "no body to read from a refused packet");
    }

    @Test
    void redundancyOverTheBodyLimitOrOutOfRangeIsRefusedWithTheSum() {
        MemberSession big = new MemberSession("jam", "Ann", List.of("l", "r"), Codec.FLOAT32, 256, new byte[8]);
        var e = assertThrows(IllegalArgumentException.class, () -> big.redundancy(1));
        assertEquals("redundancy 1 makes an audio body of 256 frames x 2 channel(s) x 4 bytes x (1 + 1 copies) = 4096"
                + " bytes, over the protocol's 2048", e.getMessage());
        MemberSession s = BundleAndSessionTest.joined();
        assertThrows(IllegalArgumentException.class, () -> s.redundancy(3));
        assertThrows(IllegalArgumentException.class, () -> s.redundancy(-1));
        assertNull(MemberSession.redundancyProblem(2, PART, 64, 2, Codec.PCM16));
        assertNull(MemberSession.redundancyProblem(2, 256 * 2, 256, 1, Codec.PCM16), "3 x 512 bytes fit");
    }

    @Test
    void sendingWithCopiesAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        MemberSession s = session(2);
        float[][] block = block(3);
        long position = 0;
        long[] windows = new long[5];
        for (int w = -5; w < windows.length; w++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                s.audio(block, i, position += 64);
            }
            long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            if (w >= 0) {
                windows[w] = bytes;
            }
        }
        assertTrue(Arrays.stream(windows).anyMatch(b -> b == 0), Arrays.toString(windows));
    }

    @Test
    void theCopiesReadBackByteForByte() {
        MemberSession s = session(1);
        byte[] first = send(s, 11, 64);
        byte[] second = send(s, 12, 128);
        PacketReader r = new PacketReader();
        r.read(second, 0, second.length);
        assertArrayEquals(Arrays.copyOfRange(first, Header.SIZE, Header.SIZE + PART),
                Arrays.copyOfRange(second, Header.SIZE + PART, Header.SIZE + 2 * PART));
    }
}
