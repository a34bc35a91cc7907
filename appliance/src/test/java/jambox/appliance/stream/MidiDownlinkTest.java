package jambox.appliance.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import jambox.common.midi.MidiLane;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketKey;
import jambox.protocol.PacketWriter;
import jambox.protocol.Problem;
import jambox.protocol.message.MidiEvents;

/**
 * The receiving side's bookkeeping, packet by packet: copies dropped by number (across the wrap of
 * the 32-bit count), an event first met as a repeat counted recovered, the lane kept in time order,
 * a late event played at once, and a member who goes released. The lane here only records what it
 * is given (where the real one goes is measured in RoomMidiJackTest); no buffer: every event is
 * "not placeable", so it goes at the next period unless an earlier one holds the lane.
 */
class MidiDownlinkTest {
    private static final PacketKey KEY = new PacketKey(new byte[32]);

    /** What the lane was given, as "frame:hex". */
    private final List<String> queued = new ArrayList<>();
    private long now = 10_000;
    private final MidiLane lane = new MidiLane() {
        @Override
        public boolean send(long frame, byte[] data, int offset, int length) {
            queued.add(frame + ":" + HexFormat.of().formatHex(data, offset, offset + length));
            return true;
        }

        @Override
        public String name() {
            return "recording";
        }
    };
    private final MidiDownlink down = new MidiDownlink(lane, () -> now, () -> 64, () -> 0);
    private final PacketReader reader = new PacketReader();

    private PacketReader packet(int fresh, int firstSeq, int... notes) {
        PacketWriter w = new PacketWriter();
        MidiEvents.begin(w, fresh, notes.length);
        for (int k = 0; k < notes.length; k++) {
            byte[] on = {(byte) 0x91, (byte) notes[k], 100};
            MidiEvents.putEvent(w, firstSeq + k, 1000 + k, on, 0, 3);
        }
        w.header.member = 3;
        int n = w.finish(KEY);
        byte[] b = Arrays.copyOf(w.array(), n);
        assertEquals(Problem.NONE, reader.read(b, 0, n));
        return reader;
    }

    @Test
    void copiesAreDroppedByNumberAcrossTheWrapAndARepeatFirstMetIsRecovered() {
        int start = Integer.MAX_VALUE - 1; // numbers wrap from 2^31-1 to -2^31 here
        down.packet(3, packet(start, start, 60, 61), null); // fresh: both new
        down.packet(3, packet(start + 3, start, 60, 61, 62, 63), null); // 62 was in a lost packet; 63 is new
        down.packet(3, packet(start + 3, start, 60, 61, 62, 63), null); // all copies
        MidiDownlink.Counters c = down.counters();
        assertEquals(4, c.received());
        assertEquals(1, c.recovered(), "62 came only as a repeat");
        assertEquals(6, c.duplicates());
        assertEquals(List.of("10064:913c64", "10064:913d64", "10064:913e64", "10064:913f64"), queued);
        assertEquals(4, c.late(), "no buffer to place them against: played at once");
    }

    @Test
    void aMemberWhoGoesGetsANoteOffForEachHeldNoteAndAllNotesOffOnEachChannelUsed() {
        down.packet(3, packet(0, 0, 60, 64), null);
        now = 20_000;
        down.gone(3);
        assertEquals(List.of("10064:913c64", "10064:914064", "20064:813c00", "20064:814000", "20064:b17b00"), queued);
        assertEquals(3, down.counters().notesOff());
        // The numbering starts afresh: the same numbers are new events from whoever comes next.
        down.packet(3, packet(0, 0, 60), null);
        assertEquals(3, down.counters().received());
        down.gone(3);
        assertEquals("20064:813c00", queued.get(6));
    }

    @Test
    void theLaneStaysInTimeOrderAndABadPacketIsCounted() {
        down.packet(3, packet(0, 0, 60), null);
        now = 5_000; // an event due earlier than one queued goes behind it, never before
        down.packet(3, packet(1, 1, 61), null);
        assertEquals("10064:913d64", queued.get(1));
        now = 1_000_000;
        down.packet(3, packet(2, 2, 62), null);
        now = 100; // a new audio clock (a new JACK server): not held behind the old one's frames
        down.packet(3, packet(3, 3, 63), null);
        assertEquals(List.of("10064:913c64", "10064:913d64", "1000064:913e64", "164:913f64"), queued);
        PacketWriter w = new PacketWriter();
        w.begin(jambox.protocol.PacketType.MIDI).put32(0).put8(0);
        int n = w.finish(KEY);
        assertEquals(Problem.NONE, reader.read(w.array(), 0, n));
        down.packet(3, reader, null);
        assertEquals(1, down.counters().bad());
    }
}
