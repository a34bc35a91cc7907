package jambox.appliance.stream;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import jambox.common.midi.MidiListener;
import jambox.common.midi.MidiRing;
import jambox.protocol.MemberSession;
import jambox.protocol.PacketWriter;
import jambox.protocol.message.MidiEvents;

/**
 * This box's MIDI input, sent to the room. Each event that comes into {@code midi in} is stamped
 * with the position its frame has on the stream the box sends ({@link Packetizer#positionOf}, plus
 * the board's latency, which the audio of that moment also went through), so a receiver can play
 * it with the audio of that moment. Events are numbered and kept: each MIDI packet carries every
 * event of the last {@link #SPAN_NANOS} (and at least {@link #REPEATS} copies of each), oldest
 * first, one packet a turn of the sending thread (a turn a period while audio flows). A lost
 * datagram, or a burst of them shorter than the span, loses no event; and as a packet always
 * carries every event after the oldest it holds, an event recovered from a repeat comes with those
 * after it, in order (unless the network also reorders the packets). The receiver drops the copies
 * by number.
 *
 * <p>Two threads: the MIDI delivery thread ({@link #received}) stamps events into a preallocated
 * ring; the stream's sending thread ({@link #write}) takes them into its history and writes the
 * packets. Neither allocates per event nor locks.
 */
public final class MidiUplink implements MidiListener {
    /**
     * Packets each event is carried in at least: with 5 % of datagrams lost independently, all six
     * copies of one event are lost once in 64 million events.
     */
    public static final int REPEATS = 6;
    /**
     * How long an event keeps being repeated while packets have room: losses come in bursts too (a
     * receiver held off the CPU overflows its socket), and a burst shorter than this loses nothing.
     */
    public static final long SPAN_NANOS = 50_000_000;
    /**
     * A packet of repeats only waits this long after the last packet: new events go at once (the
     * delivery thread wakes the sender), repeats at most about once a period, which keeps a member
     * well inside the server's packet rate.
     */
    static final long REPEAT_GAP_NANOS = 1_000_000;
    /** Events kept for repeating; a burst beyond this waits in the ring until they have gone out. */
    static final int HISTORY = 256;

    private final Packetizer stream;
    private final LongSupplier latency;
    private final MidiRing incoming = new MidiRing(1024, MidiEvents.MAX_EVENT_BYTES);

    // Sending thread only: events numbered next - held .. next - 1, the oldest not yet sent REPEATS times first.
    private final long[] position = new long[HISTORY];
    private final int[] length = new int[HISTORY];
    private final int[] sends = new int[HISTORY];
    private final long[] firstSent = new long[HISTORY];
    private final byte[][] data = new byte[HISTORY][MidiEvents.MAX_EVENT_BYTES];
    private int next;
    private int oldest;
    private long lastPacket;

    // Each written by one thread, read by any.
    private volatile long sent; // sending thread: events sent for the first time
    private volatile long packets; // sending thread
    private volatile long dropped; // delivery thread: not carried (too long, not in a room, ring full)
    private volatile Thread consumer;

    /**
     * @param stream  the packetizer of the box's audio to the room, tied to the audio clock
     * @param latency the board's latency in samples, read as each event is stamped
     */
    public MidiUplink(Packetizer stream, LongSupplier latency) {
        this.stream = stream;
        this.latency = latency;
    }

    /** MIDI delivery thread: one event from {@code midi in}. Realtime and system common messages are not sent. */
    @Override
    public void received(long frame, byte[] bytes, int len) {
        int status = len > 0 ? bytes[0] & 0xFF : 0;
        if (status >= 0xF1) {
            return; // clock, start/stop, song position, active sensing: the room has its own clock
        }
        if (MidiEvents.problem(bytes, 0, len) != null) {
            dropped = dropped + 1;
            return;
        }
        long at = stream.positionOf(frame);
        byte[] slot = at == Long.MIN_VALUE ? null : incoming.claim();
        if (slot == null) {
            dropped = dropped + 1;
            return;
        }
        System.arraycopy(bytes, 0, slot, 0, len);
        incoming.publish(at + latency.getAsLong(), len);
        Thread t = consumer;
        if (t != null) {
            LockSupport.unpark(t); // out now, not at the next period's audio: the receiver's margin is small
        }
    }

    /** The stream's sending thread, woken when an event waits. */
    void consumer(Thread t) {
        consumer = t;
    }

    /**
     * Sending thread: begins, fills and seals on {@code s} the next MIDI packet, if any event is due
     * to be sent or repeated; returns its length, or 0 when there is nothing to send.
     */
    public int write(MemberSession s) {
        boolean fresh = take();
        long now = System.nanoTime();
        retire(now);
        if (oldest == next || (!fresh && now - lastPacket < REPEAT_GAP_NANOS)) {
            return 0;
        }
        lastPacket = now;
        int room = MidiEvents.MAX_BODY - MidiEvents.PREFIX;
        int count = 0;
        int first = next;
        for (int q = oldest; q != next && count < MidiEvents.MAX_EVENTS; q++) {
            int i = q & (HISTORY - 1);
            room -= MidiEvents.size(length[i]);
            if (room < 0) {
                break;
            }
            if (sends[i] == 0 && first == next) {
                first = q;
            }
            count++;
        }
        PacketWriter w = s.writer();
        MidiEvents.begin(w, first, count);
        long newest = 0;
        for (int k = 0; k < count; k++) {
            int q = oldest + k;
            int i = q & (HISTORY - 1);
            MidiEvents.putEvent(w, q, position[i], data[i], 0, length[i]);
            if (sends[i]++ == 0) {
                firstSent[i] = now;
                sent = sent + 1;
            }
            newest = position[i];
        }
        w.header.samplePosition = newest;
        packets = packets + 1;
        return s.seal();
    }

    /**
     * Stops repeating the oldest events once they went out {@link #REPEATS} times and either their
     * span is over or the events after them would not all fit a packet.
     */
    private void retire(long now) {
        int bytes = 0;
        for (int q = oldest; q != next; q++) {
            bytes += MidiEvents.size(length[q & (HISTORY - 1)]);
        }
        while (oldest != next) {
            int i = oldest & (HISTORY - 1);
            boolean over = now - firstSent[i] >= SPAN_NANOS || bytes > MidiEvents.MAX_BODY - MidiEvents.PREFIX;
            if (sends[i] < REPEATS || !over) {
                return;
            }
            bytes -= MidiEvents.size(length[i]);
            oldest++;
        }
    }

    /** Moves the events stamped since the last turn into the history, while it has room; whether any came. */
    private boolean take() {
        boolean any = oldest != next && sends[(next - 1) & (HISTORY - 1)] == 0;
        byte[] bytes;
        while (next - oldest < HISTORY && (bytes = incoming.peek()) != null) {
            int i = next & (HISTORY - 1);
            int len = incoming.length();
            System.arraycopy(bytes, 0, data[i], 0, len);
            length[i] = len;
            position[i] = incoming.frame();
            sends[i] = 0;
            incoming.release();
            next++;
            any = true;
        }
        return any;
    }

    /** Any thread: events sent to the room (each counted once, not per copy). */
    public long sent() {
        return sent;
    }

    /** Any thread: MIDI packets sent. */
    public long packets() {
        return packets;
    }

    /** Any thread: events from {@code midi in} not sent: too long, not a channel message or sysex, not in a room, or a full queue. */
    public long dropped() {
        return dropped;
    }
}
