package jambox.appliance.stream;

import jambox.stream.JitterBuffer;
import java.util.Arrays;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import jambox.appliance.engine.Mixer;
import jambox.common.midi.MidiLane;
import jambox.protocol.MalformedPacketException;
import jambox.protocol.PacketReader;
import jambox.protocol.message.MidiEvents;

/**
 * The room's MIDI, played on this box's {@code midi out}. Each member's events are placed against
 * that member's {@link JitterBuffer}: an event plays at the frame where the buffer plays the
 * sender's audio of the event's sample position, plus the safety limiter's delay the audio has
 * after it, so a remote keyboard stays with the remote guitar. Copies (each event comes in several
 * packets) are dropped by event number; an event first received as a copy is counted
 * {@code recovered}. An event whose frame has passed is played at once and counted {@code late}.
 *
 * <p>What each member holds down is tracked per channel, so that a member who leaves or drops out
 * gets a note-off for every held note and All Notes Off (CC 123) on every channel they used.
 *
 * <p>Events go out through one {@link MidiLane}, which must be fed in time order: an event earlier
 * than one already queued (another member's, or a packet overtaken on the way) is queued at that
 * one's frame, a little late, rather than held back, which would need a timer thread that a busy
 * machine stalls. Called on the stream's receiving thread (under {@link RoomMembers}' lock); it
 * allocates nothing per event.
 */
public final class MidiDownlink {
    /** Event numbers remembered per member for dropping copies. */
    static final int WINDOW = 1024;
    /** Further back than this the sender has started numbering afresh (a restarted box). */
    private static final int RESTART = 8 * WINDOW;
    /** Frames queued further ahead than this are from an audio clock gone by (a new JACK server). */
    private static final long STALE_FRAMES = 10 * 48_000;

    private final MidiLane lane;
    private final LongSupplier frameTime;
    private final IntSupplier periodFrames;
    private final IntSupplier outputDelay;
    private final Member[] members = new Member[Mixer.MAX_MEMBERS + 1];
    private final MidiEvents events = new MidiEvents();
    private final byte[] scratch = new byte[3];
    private long lastQueued = Long.MIN_VALUE;

    private volatile long received;
    private volatile long late;
    private volatile long duplicates;
    private volatile long recovered;
    private volatile long bad;
    private volatile long dropped;
    private volatile long notesOff;

    /** One member's numbering and what they hold down. */
    private static final class Member {
        boolean started;
        int highest;
        final long[] seen = new long[WINDOW / 64];
        /** Bit n of held[channel * 2 + n / 64]: note n is down on that channel. */
        final long[] held = new long[32];
        int channels;
    }

    /**
     * @param lane         this box's own lane to {@code midi out}
     * @param frameTime    the audio clock: the frame at which the latest period began
     * @param periodFrames frames per period now
     * @param outputDelay  frames the box's output adds after the mixer (the safety limiter's lookahead)
     */
    public MidiDownlink(MidiLane lane, LongSupplier frameTime, IntSupplier periodFrames, IntSupplier outputDelay) {
        this.lane = lane;
        this.frameTime = frameTime;
        this.periodFrames = periodFrames;
        this.outputDelay = outputDelay;
        for (int i = 0; i < members.length; i++) {
            members[i] = new Member();
        }
    }

    /** A MIDI packet from member {@code id}, its body at the reader; {@code buffer} is the member's (or null). */
    void packet(int id, PacketReader r, JitterBuffer buffer) {
        if (id < 1 || id >= members.length) {
            bad = bad + 1;
            return;
        }
        try {
            events.read(r);
        } catch (MalformedPacketException e) {
            bad = bad + 1;
            return;
        }
        Member m = members[id];
        for (int k = 0; k < events.count; k++) {
            int seq = events.sequence[k];
            if (!fresh(m, seq)) {
                duplicates = duplicates + 1;
                continue;
            }
            received = received + 1;
            if (seq - events.fresh < 0) {
                recovered = recovered + 1;
            }
            long at = buffer == null ? Long.MIN_VALUE : buffer.localFrame(events.position[k]);
            play(m, at == Long.MIN_VALUE ? Long.MIN_VALUE : at + outputDelay.getAsInt(), events.data[k],
                    events.length[k]);
        }
    }

    /** Whether event {@code seq} is new from this member; marks it seen. */
    private static boolean fresh(Member m, int seq) {
        if (!m.started || m.highest - seq > RESTART) {
            m.started = true;
            m.highest = seq;
            Arrays.fill(m.seen, 0);
            mark(m, seq);
            return true;
        }
        int ahead = seq - m.highest;
        if (ahead > 0) {
            if (ahead >= WINDOW) {
                Arrays.fill(m.seen, 0);
            } else {
                for (int s = m.highest + 1; s != seq; s++) {
                    unmark(m, s);
                }
            }
            m.highest = seq;
            mark(m, seq);
            return true;
        }
        if (-ahead >= WINDOW || isMarked(m, seq)) {
            return false;
        }
        mark(m, seq);
        return true;
    }

    private static void mark(Member m, int seq) {
        m.seen[(seq >>> 6) & (WINDOW / 64 - 1)] |= 1L << seq;
    }

    private static void unmark(Member m, int seq) {
        m.seen[(seq >>> 6) & (WINDOW / 64 - 1)] &= ~(1L << seq);
    }

    private static boolean isMarked(Member m, int seq) {
        return (m.seen[(seq >>> 6) & (WINDOW / 64 - 1)] & (1L << seq)) != 0;
    }

    /** Queues one event at {@code frame} (MIN_VALUE: as soon as possible), keeping the lane in time order. */
    private void play(Member m, long frame, byte[] data, int length) {
        long earliest = frameTime.getAsLong() + periodFrames.getAsInt();
        if (lastQueued > earliest + STALE_FRAMES) {
            lastQueued = Long.MIN_VALUE;
        }
        if (frame < earliest) {
            late = late + 1;
            frame = earliest;
        }
        frame = Math.max(frame, lastQueued);
        if (!lane.send(frame, data, 0, length)) {
            dropped = dropped + 1;
            return;
        }
        lastQueued = frame;
        track(m, data, length);
    }

    private static void track(Member m, byte[] data, int length) {
        int status = data[0] & 0xFF;
        if (status >= 0xF0) {
            return;
        }
        int channel = status & 0x0F;
        m.channels |= 1 << channel;
        int kind = status & 0xF0;
        if ((kind == 0x90 || kind == 0x80) && length == 3) {
            int note = data[1];
            long bit = 1L << note;
            int word = channel * 2 + (note >>> 6);
            if (kind == 0x90 && data[2] != 0) {
                m.held[word] |= bit;
            } else {
                m.held[word] &= ~bit;
            }
        }
    }

    /**
     * Member {@code id} left or dropped out: a note-off for each note they hold and All Notes Off on
     * each channel they used, after whatever of theirs is queued; their numbering is forgotten.
     */
    void gone(int id) {
        if (id < 1 || id >= members.length) {
            return;
        }
        Member m = members[id];
        if (m.channels != 0) {
            for (int channel = 0; channel < 16; channel++) {
                for (int note = 0; note < 128; note++) {
                    if ((m.held[channel * 2 + (note >>> 6)] & (1L << note)) != 0) {
                        send((byte) (0x80 | channel), note, 0);
                    }
                }
            }
            for (int channel = 0; channel < 16; channel++) {
                if ((m.channels & (1 << channel)) != 0) {
                    send((byte) (0xB0 | channel), 123, 0);
                }
            }
        }
        Arrays.fill(m.held, 0);
        m.channels = 0;
        m.started = false;
    }

    private void send(byte status, int a, int b) {
        scratch[0] = status;
        scratch[1] = (byte) a;
        scratch[2] = (byte) b;
        long frame = Math.max(frameTime.getAsLong() + periodFrames.getAsInt(), lastQueued);
        if (lane.send(frame, scratch, 0, 3)) {
            lastQueued = frame;
            notesOff = notesOff + 1;
        } else {
            dropped = dropped + 1;
        }
    }

    /** Any thread: the counters, for the box's state. */
    public Counters counters() {
        return new Counters(received, late, duplicates, recovered, bad, dropped, notesOff);
    }

    /**
     * What the room's MIDI did on this box.
     *
     * @param received   events from other members played (each once)
     * @param late       of those, events whose frame had passed when they came: played at once
     * @param duplicates copies dropped (every event comes in several packets)
     * @param recovered  events first received as a copy: their first packet was lost
     * @param bad        MIDI packets refused (malformed)
     * @param dropped    events the output queue had no room for
     * @param notesOff   note-offs and All Notes Off sent for members who left or dropped out
     */
    public record Counters(long received, long late, long duplicates, long recovered, long bad, long dropped,
                           long notesOff) {
    }
}
