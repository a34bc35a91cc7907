package jambox.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class HeaderTest {
    /** Worked out by hand from the layout in docs/protocol.md, not produced by the code under test. */
    static final String AUDIO_HEADER = "4a42" + "01" + "07" + "00" + "01" + "02" + "00" // magic, version, AUDIO, flags, PCM16, 2 ch, reserved
            + "0003" + "0007" + "0040" + "0100"                                          // room 3, member 7, 64 frames, 256-byte body
            + "fffffffe"                                                                 // sequence
            + "00000000075bcd15"                                                         // sender time 123456789 us
            + "0000000000001000"                                                         // sample position 4096
            + "00000000" + "00000000";                                                   // server time, beat

    static Header audioHeader() {
        Header h = new Header().clear(PacketType.AUDIO).audio(Codec.PCM16, 2, 64);
        h.room = 3;
        h.member = 7;
        h.sequence = 0xFFFFFFFE;
        h.senderTime = 123_456_789;
        h.samplePosition = 4096;
        return h;
    }

    static byte[] packet(Header h) {
        byte[] b = new byte[h.packetLength()];
        h.write(b, 0);
        return b;
    }

    @Test
    void theAudioHeaderIsByteForByteTheDocumentedLayout() {
        byte[] b = packet(audioHeader());
        assertEquals(Header.SIZE + 256 + Header.TAG_SIZE, b.length);
        assertEquals(AUDIO_HEADER, HexFormat.of().formatHex(b, 0, Header.SIZE));
        Header back = new Header();
        assertEquals(Problem.NONE, back.read(b, 0, b.length));
        assertEquals(PacketType.AUDIO, back.type);
        assertEquals(Codec.PCM16, back.codec);
        assertEquals(2, back.channels);
        assertEquals(3, back.room);
        assertEquals(7, back.member);
        assertEquals(64, back.frames);
        assertEquals(256, back.bodyLength);
        assertEquals(0xFFFFFFFE, back.sequence);
        assertEquals(123_456_789, back.senderTime);
        assertEquals(4096, back.samplePosition);
    }

    private static Problem read(byte[] b) {
        return new Header().read(b, 0, b.length);
    }

    private static byte[] with(int offset, int value) {
        byte[] b = packet(audioHeader());
        b[offset] = (byte) value;
        return b;
    }

    private static byte[] audio(Codec c, int channels, int frames) {
        Header h = audioHeader();
        h.codec = c;
        h.channels = channels;
        h.frames = frames;
        h.bodyLength = Math.min(Header.MAX_BODY, frames * channels * Math.max(1, c.bytesPerSample));
        return packet(h);
    }

    @Test
    void everyProblemIsFound() {
        byte[] ok = packet(audioHeader());
        assertEquals(Problem.TOO_SHORT, read(Arrays.copyOf(ok, Header.SIZE - 1)));
        assertEquals(Problem.BAD_MAGIC, read(with(0, 0x4b)));
        assertEquals(Problem.BAD_VERSION, read(with(2, 2)));
        assertEquals(Problem.UNKNOWN_TYPE, read(with(3, 99)));
        assertEquals(Problem.RESERVED_NOT_ZERO, read(with(7, 1)));
        assertEquals(Problem.BAD_LENGTH, read(Arrays.copyOf(ok, ok.length - 1)));
        assertEquals(Problem.BAD_LENGTH, read(Arrays.copyOf(ok, ok.length + 1)));
        byte[] huge = Arrays.copyOf(ok, Header.SIZE + 3000);
        Wire.put16(huge, 14, 3000 - Header.TAG_SIZE);
        assertEquals(Problem.BAD_LENGTH, read(huge), "a body over MAX_BODY");
        byte[] mismatch = ok.clone();
        Wire.put16(mismatch, 12, 65); // 65 frames do not make 256 bytes
        assertEquals(Problem.BAD_LENGTH, read(mismatch));
        assertEquals(Problem.BAD_AUDIO_FORMAT, read(audio(Codec.PCM16, 0, 64)));
        assertEquals(Problem.BAD_AUDIO_FORMAT, read(audio(Codec.PCM16, 3, 64)));
        assertEquals(Problem.BAD_AUDIO_FORMAT, read(audio(Codec.PCM16, 2, 31)));
        assertEquals(Problem.BAD_AUDIO_FORMAT, read(audio(Codec.PCM16, 1, 257)));
        assertEquals(Problem.BAD_AUDIO_FORMAT, read(audio(Codec.OPUS, 2, 64)));
        assertEquals(Problem.BAD_AUDIO_FORMAT, read(with(5, 99)), "unknown codec");
        Header ping = new Header().clear(PacketType.PING);
        ping.bodyLength = 4;
        ping.codec = Codec.PCM16;
        assertEquals(Problem.BAD_AUDIO_FORMAT, read(packet(ping)), "a control packet with a codec");
        assertEquals(Problem.NONE, read(ok));
    }

    @Test
    void stampTouchesOnlyFlagsServerTimeAndBeat() {
        byte[] before = packet(audioHeader());
        byte[] after = before.clone();
        Header.stamp(after, 0, 0xFF, 0x11223344, 0x55667788);
        for (int i = 0; i < before.length; i++) {
            boolean stamped = i == 4 || (i >= 36 && i < 44);
            if (!stamped) {
                assertEquals(before[i], after[i], "byte " + i);
            }
        }
        assertArrayEquals(HexFormat.of().parseHex("ff"), Arrays.copyOfRange(after, 4, 5));
        assertArrayEquals(HexFormat.of().parseHex("1122334455667788"), Arrays.copyOfRange(after, 36, 44));
    }

    @Test
    void sequenceNumbersCompareAcrossTheWrap() {
        assertEquals(1, Sequence.distance(0, 0xFFFFFFFF));
        assertEquals(-1, Sequence.distance(0xFFFFFFFF, 0));
        assertEquals(true, Sequence.isAfter(0x80000000, 0x7FFFFFFF));
        assertEquals(false, Sequence.isAfter(0x7FFFFFFF, 0x80000000));
        assertEquals(true, Sequence.isAfter(5, 0xFFFFFFF0));
        assertEquals(17, Sequence.distance(1, 0xFFFFFFF0));
    }
}
