package jambox.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import jambox.protocol.Header;
import jambox.protocol.MalformedPacketException;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.PacketWriter;
import jambox.protocol.Problem;
import jambox.protocol.Wire;

/** The MIDI packet: what it carries, what it refuses and why. */
class MidiEventsTest {
    /** A note on, a note off, a pitch bend, a program change and a short sysex; the first two are repeats. */
    static MidiEvents sample() {
        MidiEvents m = new MidiEvents();
        put(m, 41, 48_000, 0x90, 60, 100);
        put(m, 42, 48_064, 0x80, 60, 0);
        put(m, 43, 48_100, 0xE3, 0x00, 0x40);
        put(m, 44, 48_101, 0xC1, 5);
        put(m, 45, 48_200, 0xF0, 0x7D, 0x01, 0x02, 0xF7);
        m.fresh = 43;
        return m;
    }

    static void put(MidiEvents m, int seq, long position, int... bytes) {
        int i = m.count++;
        m.sequence[i] = seq;
        m.position[i] = position;
        m.length[i] = bytes.length;
        for (int k = 0; k < bytes.length; k++) {
            m.data[i][k] = (byte) bytes[k];
        }
    }

    /** The events as text, to compare. */
    static List<String> text(MidiEvents m) {
        List<String> out = new ArrayList<>();
        out.add("fresh " + m.fresh);
        for (int i = 0; i < m.count; i++) {
            out.add(m.sequence[i] + "@" + m.position[i] + ":" + HexFormat.of().formatHex(m.data[i], 0, m.length[i]));
        }
        return out;
    }

    private static byte[] packet(MidiEvents m) {
        PacketWriter w = new PacketWriter();
        m.write(w);
        int n = w.finish(MessagesTest.KEY);
        return Arrays.copyOf(w.array(), n);
    }

    private static String refusal(MidiEvents m) {
        byte[] b = packet(m);
        PacketReader r = new PacketReader();
        assertEquals(Problem.NONE, r.read(b, 0, b.length));
        return assertThrows(MalformedPacketException.class, () -> new MidiEvents().read(r)).getMessage();
    }

    @Test
    void aPacketOfEventsReadsBackAsWritten() {
        MidiEvents m = sample();
        byte[] b = packet(m);
        PacketReader r = new PacketReader();
        assertEquals(Problem.NONE, r.read(b, 0, b.length));
        assertEquals(PacketType.MIDI, r.header.type);
        assertTrue(r.verify(MessagesTest.KEY));
        MidiEvents back = new MidiEvents().read(r);
        assertEquals(text(m), text(back));
        assertEquals(5, back.count);
    }

    @Test
    void eventsThatAreNotOneWholeChannelMessageOrASmallSysexAreRefusedWithTheReason() {
        MidiEvents m = new MidiEvents();
        put(m, 1, 0, 0x90, 60);
        assertTrue(refusal(m).contains("status 90 takes 3 bytes, not 2"), refusal(m));
        m = new MidiEvents();
        put(m, 1, 0, 0xF8);
        assertTrue(refusal(m).contains("status byte F8 is not a channel message or a sysex"), refusal(m));
        m = new MidiEvents();
        put(m, 1, 0, 0x40, 60, 1);
        assertTrue(refusal(m).contains("status byte 40"), refusal(m));
        m = new MidiEvents();
        put(m, 1, 0, 0x90, 200, 1);
        assertTrue(refusal(m).contains("a data byte above 127"), refusal(m));
        m = new MidiEvents();
        put(m, 1, 0, 0xF0, 1, 2);
        assertTrue(refusal(m).contains("does not end with F7"), refusal(m));
        m = new MidiEvents();
        put(m, 1, 0, 0x90, 60, 1);
        put(m, 1, 0, 0x80, 60, 0);
        assertTrue(refusal(m).contains("do not rise"), refusal(m));
    }

    @Test
    void anOversizedSysexOrEventCountIsRefusedOnTheWire() {
        // Written by hand: the container itself cannot hold them.
        PacketWriter w = new PacketWriter();
        MidiEvents.begin(w, 0, 1);
        w.put32(0).put64(0).put8(MidiEvents.MAX_EVENT_BYTES + 1).put8(0xF0);
        for (int i = 0; i < MidiEvents.MAX_EVENT_BYTES - 1; i++) {
            w.put8(1);
        }
        w.put8(0xF7);
        assertTrue(read(w).contains("MIDI event of 65 bytes (1..64)"), read(w));
        w = new PacketWriter();
        MidiEvents.begin(w, 0, MidiEvents.MAX_EVENTS + 1);
        assertTrue(read(w).contains("with 129 events"), read(w));
        w = new PacketWriter();
        MidiEvents.begin(w, 0, 0);
        assertTrue(read(w).contains("with 0 events"), read(w));
        assertNull(MidiEvents.problem(new byte[] {(byte) 0xD0, 5}, 0, 2));
        assertTrue(MidiEvents.problem(new byte[65], 0, 65).contains("65 bytes"));
    }

    private static String read(PacketWriter w) {
        int n = w.finish(MessagesTest.KEY);
        PacketReader r = new PacketReader();
        assertEquals(Problem.NONE, r.read(w.array(), 0, n));
        return assertThrows(MalformedPacketException.class, () -> new MidiEvents().read(r)).getMessage();
    }

    @Test
    void aTruncatedPacketOrOneWithTrailingBytesIsRefusedNeverAnotherException() {
        byte[] good = packet(sample());
        int body = Wire.u16(good, 14);
        for (int cut = 0; cut <= body + 3; cut++) {
            if (cut == body) {
                continue;
            }
            byte[] bad = MessagesTest.withBody(good, cut);
            PacketReader r = new PacketReader();
            assertEquals(Problem.NONE, r.read(bad, 0, bad.length));
            assertThrows(MalformedPacketException.class, () -> new MidiEvents().read(r), "body cut to " + cut);
        }
        // The header of a MIDI packet carries no audio format.
        byte[] bad = good.clone();
        Wire.put16(bad, 12, 64);
        assertEquals(Problem.BAD_AUDIO_FORMAT, new PacketReader().read(bad, 0, bad.length));
        assertEquals(Header.SIZE + body + Header.TAG_SIZE, good.length);
    }

    @Test
    void theLargestPacketFitsTheBody() {
        MidiEvents m = new MidiEvents();
        int room = MidiEvents.MAX_BODY - MidiEvents.PREFIX;
        int seq = 0;
        while (room >= MidiEvents.size(3) && m.count < MidiEvents.MAX_EVENTS) {
            put(m, seq++, seq, 0x90, 1, 1);
            room -= MidiEvents.size(3);
        }
        byte[] b = packet(m);
        PacketReader r = new PacketReader();
        assertEquals(Problem.NONE, r.read(b, 0, b.length));
        assertEquals(m.count, new MidiEvents().read(r).count);
        assertTrue(m.count >= 70, m.count + " note events in one packet");
        put(m, seq, seq, 0x90, 1, 1);
        assertTrue(refusal(m).contains("bytes (at most 1200)"), refusal(m));
    }
}
