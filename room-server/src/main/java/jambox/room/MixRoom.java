package jambox.room;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

import jambox.protocol.Codec;
import jambox.protocol.Header;
import jambox.protocol.Opus;
import jambox.protocol.PacketType;
import jambox.protocol.PacketWriter;
import jambox.protocol.Pcm;
import jambox.protocol.message.Levels;
import jambox.protocol.message.MixStrips;
import jambox.protocol.message.Routing;
import jambox.stream.JitterBuffer;

/**
 * A room the server mixes for: per member a {@link JitterBuffer} filled by the event loop, and
 * per block of {@value #FRAMES} frames, on the {@code room-mix} thread ({@link MixTick}), each
 * member's 64 frames pulled into {@link RoomMix}, every member's mix-minus made and coded in the
 * codec it joined with. The event loop then sends each mix as AUDIO from member 0 ({@link #sendMade}).
 *
 * <p>The hand-over from the tick to the event loop is a ring of {@value #BANKS} banks, one block
 * each, guarded like a seqlock: the tick marks a bank as being written, writes it, then publishes
 * its block number; the event loop copies a body out, then checks the bank still holds that block,
 * so a bank overwritten under it (the loop {@value #BANKS} blocks behind) is dropped, never sent torn,
 * and counted ({@link #unsent}). The ring holds more blocks than {@link MixTick} catches up in one
 * burst, so a tick catching up cannot overrun a loop that keeps up.
 *
 * <p>The tick also measures each member's peak as it pulls it, and publishes it every {@value
 * #LEVEL_BLOCKS} blocks for the event loop's LEVELS ({@link #levels}): in a mix room that is what
 * the boxes' meters show.
 *
 * <p>Threads: {@link #join}, {@link #leave}, {@link #offer}, {@link #route}, {@link #strips},
 * {@link #levels} and {@link #sendMade} on the event loop; {@link #block} on the tick. Neither allocates per block.
 */
final class MixRoom {
    /** The tick's block: 64 frames, 4/3 ms at 48 kHz, the box's own period. */
    static final int FRAMES = 64;
    static final int BANKS = 32;
    private static final int MAX_BODY = FRAMES * 2 * 4;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    /** Blocks per LEVELS window: 36 of 4/3 ms, 48 ms, about 20 meters a second, as the box's page pushes them. */
    static final int LEVEL_BLOCKS = 36;
    /** A peak at or over this clipped: a PCM16 or PCM24 stream never reaches 1.0 as a float. */
    private static final float CLIP = 0.999f;

    /** One member as the tick sees it, made on the event loop when it joins and published whole. */
    static final class Slot {
        final Member member;
        final JitterBuffer buffer;
        final Codec codec;
        final int channels;
        /** Where the buffer's pull goes: the member's one or two input channels of the mix. */
        final float[][] into;
        /** The member's mix, both sides, as the coder reads it (mono: folded into {@code mono}). */
        final float[][] out;
        final float[][] mono = new float[1][FRAMES];
        /** An Opus listener's way to the coder, else null: its mix is coded off the tick. */
        final OpusLane opus;

        Slot(Member member, RoomMix mix, int slot) {
            this.member = member;
            this.codec = member.codec;
            this.channels = member.labels.size();
            this.buffer = new JitterBuffer(channels);
            this.opus = codec == Codec.OPUS ? new OpusLane(channels, Opus.DEFAULT_BITRATE) : null;
            this.into = channels == 1 ? new float[][] {mix.input(slot, 0)}
                    : new float[][] {mix.input(slot, 0), mix.input(slot, 1)};
            this.out = new float[][] {mix.output(slot, 0), mix.output(slot, 1)};
        }
    }

    final Room room;
    final RoomMix mix;
    private final AtomicReferenceArray<Slot> slots;
    // tick thread
    private final Slot[] seen;
    // the banks: written by the tick, read by the event loop
    private final byte[][][] bodies;
    private final int[][] lengths;
    private final Slot[][] madeFor;
    private final long[] bankBlock = new long[BANKS];
    private volatile long made = -1;
    // the meters: each slot's peak over the window being measured (tick), and the last window's,
    // published whole by the tick as float bits and a clip flag, read by the event loop
    private final float[] held;
    private final boolean[] heldClip;
    private long window = -1;
    private final int[] levelBits;
    private final int[] levelClip;
    private volatile long levelWindow = -1;
    // event loop
    private final Routing[] routings;
    private final byte[] packet = new byte[Header.MAX_PACKET];
    private final Header header = new Header();
    private long sent = -1;
    private long levelsSent = -1;
    /** Blocks made that the event loop never sent: overwritten in the ring before it got to them. */
    private volatile long unsent;
    /** Opus listeners in the room now (event loop writes): the tick wakes the coder only for them. */
    private volatile int opusListeners;

    MixRoom(Room room) {
        this.room = room;
        int n = room.config.capacity();
        mix = new RoomMix(n, FRAMES, RoomService.SAMPLE_RATE);
        slots = new AtomicReferenceArray<>(n);
        seen = new Slot[n];
        bodies = new byte[BANKS][n][MAX_BODY];
        lengths = new int[BANKS][n];
        madeFor = new Slot[BANKS][n];
        Arrays.fill(bankBlock, -1);
        routings = new Routing[n];
        held = new float[n];
        heldClip = new boolean[n];
        levelBits = new int[n];
        levelClip = new int[n];
    }

    // ---- event loop ----

    void join(Member m) {
        int s = m.id - 1;
        Slot sl = new Slot(m, mix, s);
        Slot old = slots.getAndSet(s, sl);
        opusListeners = opusListeners + (sl.opus != null ? 1 : 0) - (old != null && old.opus != null ? 1 : 0);
        route();
    }

    void leave(Member m) {
        int s = m.id - 1;
        Slot sl = slots.get(s);
        if (sl != null && sl.member == m) {
            slots.set(s, null);
            if (sl.opus != null) {
                opusListeners = opusListeners - 1;
            }
        }
        route();
    }

    /** One AUDIO packet of {@code m}, its header read into {@code h}, into its buffer. */
    void offer(Member m, Header h, byte[] b, long arrivalNanos) {
        Slot sl = slots.get(m.id - 1);
        if (sl != null && sl.member == m) {
            sl.buffer.offer(h, b, Header.SIZE, arrivalNanos);
        }
    }

    /** Who hears whom, after a join, a leave or a ROUTE: the forwarding room's rule ({@link RoomMix#heard}). */
    void route() {
        for (int s = 0; s < routings.length; s++) {
            Member m = room.members[s + 1];
            routings[s] = m == null ? null : m.routing;
        }
        for (int s = 0; s < routings.length; s++) {
            mix.setHeard(s, RoomMix.heard(routings, s));
        }
    }

    /** {@code m}'s MIX table: all its strips at once. A bad one throws and changes nothing. */
    void strips(Member m, MixStrips table) {
        mix.setStrips(m.id - 1, table);
    }

    /** The buffer the tick pulls {@code m}'s audio from, or null (for stats and tests). */
    JitterBuffer buffer(Member m) {
        Slot sl = slots.get(m.id - 1);
        return sl != null && sl.member == m ? sl.buffer : null;
    }

    /** Each member's buffer figures, one line each (for the log and the tests). */
    String describe() {
        StringBuilder b = new StringBuilder();
        for (int s = 0; s < seen.length; s++) {
            Slot sl = slots.get(s);
            if (sl != null) {
                b.append("member ").append(s + 1).append(": ").append(sl.buffer.stats(new jambox.stream.JitterStats()))
                        .append('\n');
            }
        }
        return b.toString();
    }

    /**
     * Sends every block made since the last call, each listener its own mix as AUDIO from member
     * 0: the block number as its sequence, the block's sample position, stamped as forwarded audio is and tagged
     * with the room key, as every AUDIO a box receives is. Returns the datagrams sent.
     */
    int sendMade(RoomService.Outbox out, long nowMicros) {
        long last = made;
        long first = Math.max(sent + 1, last - BANKS + 2);
        if (first > sent + 1 && sent >= 0) {
            unsent = unsent + (first - sent - 1);
        }
        int count = 0;
        int flags = flags();
        int beat = room.beatAt(nowMicros);
        for (long k = first; k <= last; k++) {
            int bank = (int) (k % BANKS);
            if ((long) LONGS.getAcquire(bankBlock, bank) != k) {
                unsent = unsent + 1; // overwritten before the loop came to it
                continue;
            }
            for (int s = 0; s < seen.length; s++) {
                Slot sl = madeFor[bank][s];
                Member m = room.members[s + 1];
                if (sl == null || m != sl.member) {
                    continue;
                }
                int len = lengths[bank][s];
                if (len < 0) {
                    continue; // an Opus listener: its mix goes through the coder (sendCoded)
                }
                System.arraycopy(bodies[bank][s], 0, packet, Header.SIZE, len);
                VarHandle.loadLoadFence();
                if ((long) LONGS.getVolatile(bankBlock, bank) != k) {
                    unsent = unsent + 1;
                    break; // overwritten while we read it: too late for this block
                }
                header.clear(PacketType.AUDIO).audio(sl.codec, sl.channels, FRAMES);
                // The block number, so that sequence and position agree across a skipped stall:
                // the box's buffer takes the gap as lost packets, not as a new stream.
                header.sequence = (int) k;
                header.samplePosition = k * FRAMES;
                send(out, m, len, flags, beat, nowMicros);
                count++;
            }
        }
        sent = Math.max(sent, last);
        return count;
    }

    /** Blocks made that were never sent (event loop), and Opus packets coded and never sent. */
    long unsent() {
        long n = unsent;
        for (int s = 0; s < seen.length; s++) {
            Slot sl = slots.get(s);
            if (sl != null && sl.opus != null) {
                n += sl.opus.unsent();
            }
        }
        return n;
    }

    /**
     * Sends each Opus listener the packets the coder made for it since the last call, as AUDIO from
     * member 0 (120 frames, the lane's own sequence and positions), stamped and tagged as {@link
     * #sendMade} does. Returns the datagrams sent. Event loop.
     */
    int sendCoded(RoomService.Outbox out, long nowMicros) {
        int flags = flags();
        int beat = room.beatAt(nowMicros);
        int count = 0;
        for (int s = 0; s < seen.length; s++) {
            Slot sl = slots.get(s);
            Member m = room.members[s + 1];
            if (sl == null || sl.opus == null || m != sl.member) {
                continue;
            }
            int len;
            while ((len = sl.opus.next(packet, Header.SIZE)) >= 0) {
                header.clear(PacketType.AUDIO).audio(Codec.OPUS, sl.channels, Opus.FRAMES);
                header.bodyLength = len;
                header.sequence = sl.opus.sequence();
                header.samplePosition = sl.opus.position();
                send(out, m, len, flags, beat, nowMicros);
                count++;
            }
        }
        return count;
    }

    /**
     * Writes a LEVELS of the last window the tick finished (each member's peak) into {@code w}, if
     * one finished since the last call and the room has members: then returns true and the caller
     * sends it to the room. A window's values may be torn by the next: it is a meter. Event loop.
     */
    boolean levels(PacketWriter w) {
        long win = levelWindow;
        if (win == levelsSent) {
            return false;
        }
        levelsSent = win;
        int count = 0;
        for (int s = 0; s < seen.length; s++) {
            count += listed(s) ? 1 : 0;
        }
        if (count == 0) {
            return false;
        }
        Levels.begin(w, count);
        for (int s = 0; s < seen.length; s++) {
            if (listed(s)) {
                float peak = Float.intBitsToFloat((int) INTS.getAcquire(levelBits, s));
                Levels.put(w, s + 1, Levels.centiDb(peak), (int) INTS.getAcquire(levelClip, s) != 0);
            }
        }
        return true;
    }

    private boolean listed(int s) {
        Slot sl = slots.get(s);
        return sl != null && sl.member == room.members[s + 1];
    }

    /** The flags of every mix sent now: stamped by the server, and the metronome's while it runs. */
    private int flags() {
        return Header.FLAG_SERVER_STAMPED | (room.tempo.running() ? Header.FLAG_METRONOME : 0);
    }

    /**
     * Finishes the header begun in {@link #header} (type, codec, sequence and position set) as a
     * mix from member 0, stamped now, writes it before the body of {@code bodyLength} bytes already
     * in {@link #packet}, tags the packet with the room key and sends it to {@code m}.
     */
    private void send(RoomService.Outbox out, Member m, int bodyLength, int flags, int beat, long nowMicros) {
        header.flags = flags;
        header.room = room.id;
        header.member = 0;
        header.senderTime = nowMicros;
        header.serverTime = (int) nowMicros;
        header.beat = beat;
        header.write(packet, 0);
        int n = room.key.sign(packet, 0, Header.SIZE + bodyLength);
        out.send(m.address, packet, 0, n);
        m.stats.forwarded++;
    }

    // ---- the coder ----

    /** Codes what the tick left for each Opus listener; returns the frames coded. {@code room-opus} only. */
    int code() {
        if (opusListeners == 0) {
            return 0;
        }
        int n = 0;
        for (int s = 0; s < seen.length; s++) {
            Slot sl = slots.get(s);
            if (sl != null && sl.opus != null) {
                n += sl.opus.code();
            }
        }
        return n;
    }

    // ---- the tick ----

    /**
     * Block {@code k}: pulls 64 frames from each member's buffer, mixes, codes each PCM member's
     * mix into bank {@code k % BANKS} and publishes it, and hands each Opus listener's mix to its
     * lane. No allocation, no lock. Returns whether an Opus listener was fed (the coder has work).
     */
    boolean block(long k) {
        long w = k / LEVEL_BLOCKS;
        if (w != window) {
            publishLevels(w);
        }
        long present = 0;
        for (int s = 0; s < seen.length; s++) {
            Slot sl = slots.get(s);
            if (sl != seen[s]) {
                seen[s] = sl;
                if (sl != null && sl.channels == 1) {
                    Arrays.fill(mix.input(s, 1), 0f); // a mono member's second strip stays silent
                }
            }
            if (sl != null) {
                present |= 1L << s;
                sl.buffer.pull(sl.into, FRAMES);
                float p = 0f;
                for (float[] ch : sl.into) {
                    for (int i = 0; i < FRAMES; i++) {
                        p = Math.max(p, Math.abs(ch[i]));
                    }
                }
                held[s] = Math.max(held[s], p);
                heldClip[s] |= p >= CLIP;
            }
        }
        mix.setPresent(present);
        mix.mix(FRAMES);
        int bank = (int) (k % BANKS);
        boolean fed = false;
        LONGS.setVolatile(bankBlock, bank, -1L);
        VarHandle.storeStoreFence();
        for (int s = 0; s < seen.length; s++) {
            Slot sl = seen[s];
            madeFor[bank][s] = sl;
            if (sl == null) {
                continue;
            }
            float[][] src = sl.out;
            if (sl.channels == 1) {
                float[] l = src[0];
                float[] r = src[1];
                float[] m = sl.mono[0];
                for (int i = 0; i < FRAMES; i++) {
                    m[i] = 0.5f * (l[i] + r[i]);
                }
                src = sl.mono;
            }
            if (sl.opus != null) {
                sl.opus.put(src, k);
                lengths[bank][s] = -1;
                fed = true;
            } else {
                lengths[bank][s] = Pcm.encode(sl.codec, src, sl.channels, FRAMES, bodies[bank][s], 0);
            }
        }
        LONGS.setRelease(bankBlock, bank, k);
        made = k;
        return fed;
    }

    /** Publishes the window just ended (each slot's peak and clip) and begins window {@code w}. Tick. */
    private void publishLevels(long w) {
        if (window >= 0) {
            for (int s = 0; s < held.length; s++) {
                INTS.setRelease(levelBits, s, Float.floatToRawIntBits(held[s]));
                INTS.setRelease(levelClip, s, heldClip[s] ? 1 : 0);
            }
            levelWindow = window;
        }
        Arrays.fill(held, 0f);
        Arrays.fill(heldClip, false);
        window = w;
    }
}
