package jambox.protocol.message;

import jambox.protocol.MalformedPacketException;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.PacketWriter;
import jambox.protocol.Sequence;

/**
 * The body of a MIDI packet: a member's recent MIDI events, each with its own event sequence number
 * and the sample position it was played at, on the same timeline as the member's AUDIO packets'
 * {@code samplePosition}. A packet repeats events already sent (the sender puts each event in several
 * packets in a row, so one lost datagram loses nothing); {@link #fresh} is the first sequence number
 * this packet carries for the first time, so a receiver can tell an event it first got as a repeat.
 *
 * <p>Layout (big-endian): u32 fresh, u8 count, then count times: u32 sequence, i64 sample position,
 * u8 length, length bytes. Sequence numbers rise strictly within a packet (serial arithmetic). Each
 * event is one complete message: a channel message (0x80..0xEF with its 1 or 2 data bytes) or a
 * sysex (F0 .. F7) of at most {@link #MAX_EVENT_BYTES} bytes; nothing else is carried.
 *
 * <p>A mutable, reusable container: {@link #read} fills it in place without allocating (only a
 * refusal allocates its exception), so the receiving thread keeps one.
 */
public final class MidiEvents {
    /** The longest event carried, a sysex; a longer one is not sent. */
    public static final int MAX_EVENT_BYTES = 64;
    /** At most this many events in one packet. */
    public static final int MAX_EVENTS = 128;
    /**
     * The largest body: a MIDI packet (1,252 bytes at most) stays one datagram on an Ethernet path
     * and fits the server's 1,400-byte bundles, where audio-sized packets go.
     */
    public static final int MAX_BODY = 1200;
    /** Bytes an event of {@code length} bytes takes in the body. */
    public static int size(int length) {
        return 4 + 8 + 1 + length;
    }
    /** Bytes before the first event. */
    public static final int PREFIX = 5;

    public int fresh;
    public int count;
    public final int[] sequence = new int[MAX_EVENTS];
    public final long[] position = new long[MAX_EVENTS];
    public final int[] length = new int[MAX_EVENTS];
    public final byte[][] data = new byte[MAX_EVENTS][MAX_EVENT_BYTES];

    /**
     * Why {@code length} bytes of {@code b} from {@code off} are not one event this packet carries,
     * or null when they are.
     */
    public static String problem(byte[] b, int off, int length) {
        if (length < 1 || length > MAX_EVENT_BYTES) {
            return "an event of " + length + " bytes (1.." + MAX_EVENT_BYTES + " are carried)";
        }
        int status = b[off] & 0xFF;
        if (status == 0xF0) {
            if (length < 2 || (b[off + length - 1] & 0xFF) != 0xF7) {
                return "a sysex that does not end with F7";
            }
            for (int i = 1; i < length - 1; i++) {
                if ((b[off + i] & 0x80) != 0) {
                    return "a sysex with a status byte inside";
                }
            }
            return null;
        }
        if (status < 0x80 || status > 0xEF) {
            return String.format("status byte %02X is not a channel message or a sysex", status);
        }
        int expected = channelLength(status);
        if (length != expected) {
            return String.format("status %02X takes %d bytes, not %d", status, expected, length);
        }
        for (int i = 1; i < length; i++) {
            if ((b[off + i] & 0x80) != 0) {
                return "a data byte above 127";
            }
        }
        return null;
    }

    /** The length of a channel message with this status byte: 2 for program change and channel pressure, else 3. */
    public static int channelLength(int status) {
        int kind = status & 0xF0;
        return kind == 0xC0 || kind == 0xD0 ? 2 : 3;
    }

    /** Begins a MIDI packet with the header's fields cleared, and writes the prefix; then {@link #putEvent}. */
    public static void begin(PacketWriter w, int fresh, int count) {
        w.begin(PacketType.MIDI).put32(fresh).put8(count);
    }

    /** One event of a packet begun with {@link #begin}; the caller keeps to the count and the body's size. */
    public static void putEvent(PacketWriter w, int sequence, long position, byte[] b, int off, int length) {
        w.put32(sequence).put64(position).put8(length);
        int at = w.reserve(length);
        System.arraycopy(b, off, w.array(), at, length);
    }

    /** Writes this container's events as one packet begun on {@code w} (for tests and tools). */
    public void write(PacketWriter w) {
        begin(w, fresh, count);
        for (int i = 0; i < count; i++) {
            putEvent(w, sequence[i], position[i], data[i], 0, length[i]);
        }
    }

    /**
     * Reads a MIDI packet's body into this container, replacing what it held; throws
     * {@link MalformedPacketException} with the reason when the body is not well formed.
     */
    public MidiEvents read(PacketReader r) {
        count = 0;
        if (r.bodyLength() > MAX_BODY) {
            throw new MalformedPacketException("MIDI body of " + r.bodyLength() + " bytes (at most " + MAX_BODY + ")");
        }
        fresh = r.get32();
        int n = r.get8();
        if (n < 1 || n > MAX_EVENTS) {
            throw new MalformedPacketException("MIDI packet with " + n + " events (1.." + MAX_EVENTS + ")");
        }
        for (int i = 0; i < n; i++) {
            int seq = r.get32();
            if (i > 0 && !Sequence.isAfter(seq, sequence[i - 1])) {
                throw new MalformedPacketException("MIDI event sequence numbers do not rise");
            }
            long pos = r.get64();
            int len = r.get8();
            if (len < 1 || len > MAX_EVENT_BYTES) {
                throw new MalformedPacketException("MIDI event of " + len + " bytes (1.." + MAX_EVENT_BYTES + ")");
            }
            if (r.remaining() < len) {
                throw new MalformedPacketException("MIDI body ends early");
            }
            int at = r.bodyOffset() + (r.bodyLength() - r.remaining());
            String why = problem(r.array(), at, len);
            if (why != null) {
                throw new MalformedPacketException("MIDI event: " + why);
            }
            System.arraycopy(r.array(), at, data[i], 0, len);
            r.skip(len);
            sequence[i] = seq;
            position[i] = pos;
            length[i] = len;
        }
        r.expectEnd();
        count = n;
        return this;
    }
}
