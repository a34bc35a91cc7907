package jambox.appliance.stream;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import jambox.appliance.engine.Uplink;

/**
 * The audio thread's side of sending: it cuts the post-pedal signal into packets of the session's
 * frame count, whatever the period size, and hands each finished packet to the sending thread
 * through a ring of preallocated slots, waking it with {@link LockSupport#unpark} (no lock, no
 * allocation). When the sender falls a whole ring behind, packets are dropped and counted; the
 * audio thread never waits. The ring holds at least {@link #RING_FRAMES} frames whatever the packet
 * size: what it must bridge is a time (the sending thread held off the CPU), not a packet count.
 */
public final class Packetizer implements Uplink {
    /** 85 ms at 48 kHz: 64 packets of 64 frames, 128 of 32. */
    static final int RING_FRAMES = 4096;

    private final int slots;
    private final int frames;
    private final int channels;
    private final float[][][] audio;
    private final long[] position;
    private final long[] senderMicros;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();
    private volatile Thread consumer;
    private volatile boolean active = true;
    private volatile long dropped;
    private int fill;
    private boolean writing;
    private long nextPosition;
    /** The box's audio clock, read once a period to tie it to the stream's positions; null: not tied. */
    private final java.util.function.LongSupplier clock;
    // A seqlock the audio thread writes once a period: the frame on the audio clock whose sample is
    // at stream position clockPosition. Odd while being written.
    private volatile long clockVersion;
    private volatile long clockFrame;
    private volatile long clockPosition;

    public Packetizer(int channels, int frames) {
        this(channels, frames, null);
    }

    /**
     * As {@link #Packetizer(int, int)}, and ties the stream's sample positions to {@code clock}, the
     * frame at which the current period began on the box's audio clock (the MIDI ports' frame time,
     * read on the audio thread after they took it), so events stamped on that clock can be placed on
     * the stream ({@link #positionOf}).
     */
    public Packetizer(int channels, int frames, java.util.function.LongSupplier clock) {
        this.clock = clock;
        this.channels = channels;
        this.frames = frames;
        this.slots = Math.max(64, (RING_FRAMES + frames - 1) / frames);
        this.audio = new float[slots][channels][frames];
        this.position = new long[slots];
        this.senderMicros = new long[slots];
    }

    public int frames() {
        return frames;
    }

    /** Packets dropped because the sender was a whole ring behind. */
    public long dropped() {
        return dropped;
    }

    // ---- audio thread ----

    @Override
    public void send(float[][] in, int n) {
        if (!active) {
            return;
        }
        if (clock != null) {
            long v = clockVersion;
            clockVersion = v + 1;
            clockFrame = clock.getAsLong();
            clockPosition = nextPosition + fill;
            clockVersion = v + 2;
        }
        int done = 0;
        while (done < n) {
            long h = head.get();
            if (fill == 0) {
                // Decided once a packet: a slot freed half-way must not go out with half its samples.
                writing = h - tail.get() < slots;
            }
            boolean room = writing;
            int take = Math.min(n - done, frames - fill);
            if (room) {
                float[][] slot = audio[(int) (h % slots)];
                for (int c = 0; c < channels; c++) {
                    System.arraycopy(in[c], done, slot[c], fill, take);
                }
            }
            fill += take;
            done += take;
            if (fill == frames) {
                fill = 0;
                if (room) {
                    int i = (int) (h % slots);
                    position[i] = nextPosition;
                    senderMicros[i] = System.nanoTime() / 1000;
                    head.lazySet(h + 1);
                    Thread t = consumer;
                    if (t != null) {
                        LockSupport.unpark(t);
                    }
                } else {
                    dropped++;
                }
                nextPosition += frames;
            }
        }
    }

    /**
     * Any thread: the stream position of the sample that entered at {@code frame} on the audio clock,
     * as of the latest period sent (the two advance together while the box is in a room), or
     * {@link Long#MIN_VALUE} when no period has been tied to the clock yet.
     */
    public long positionOf(long frame) {
        long v;
        long f;
        long p;
        do {
            v = clockVersion;
            f = clockFrame;
            p = clockPosition;
        } while ((v & 1) != 0 || v != clockVersion);
        return v == 0 ? Long.MIN_VALUE : p + (frame - f);
    }

    // ---- sending thread ----

    /** The thread to wake when a packet is ready. */
    void consumer(Thread t) {
        consumer = t;
    }

    /** The sending thread's: the oldest ready packet's slot, or -1; {@link #release} it when sent. */
    public int next() {
        long t = tail.get();
        return t < head.get() ? (int) (t % slots) : -1;
    }

    float[][] audio(int slot) {
        return audio[slot];
    }

    long position(int slot) {
        return position[slot];
    }

    long senderMicros(int slot) {
        return senderMicros[slot];
    }

    /** The sending thread's: the packet {@link #next} gave is sent, its slot free again. */
    public void release() {
        tail.lazySet(tail.get() + 1);
    }

    /**
     * Whether packets are wanted: not while joining, when nobody would send them. A new activation
     * starts afresh, without what was queued before.
     */
    void active(boolean on) {
        if (on) {
            tail.lazySet(head.get());
        }
        active = on;
    }
}
