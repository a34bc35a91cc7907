package jambox.stream;

import java.util.Arrays;

import jambox.protocol.Codec;
import jambox.protocol.Header;
import jambox.protocol.Opus;
import jambox.protocol.PacketType;
import jambox.protocol.Pcm;

/**
 * One remote member's audio between the network and the mixer: packets go in on the network
 * thread ({@link #offer}), periods come out on the audio thread ({@link #pull}), any thread may set
 * the depth policy and read {@link #stats}. Neither side locks, blocks or logs, and neither
 * allocates in PCM; an Opus member's packets are decoded in {@link #offer}, where Concentus
 * allocates: the network thread's cost, never the audio thread's.
 *
 * <p>Packets are decoded straight into a {@link PacketRing} slot chosen by their place on the
 * stream's timeline ({@link StreamTimeline}), so reordering repairs itself. The audio thread takes
 * packets in timeline order into a {@link Resampler}, which it reads at a rate steered by
 * {@link DriftControl} to hold the depth chosen by {@link DepthPolicy}; a packet missing when due
 * is replaced by the {@link Concealer}. When the sender's stream restarts, the buffer drops what it
 * holds, lets the old sound fade out by concealment and primes again.
 *
 * <p>Depth is counted from the play position to the end of the newest packet received, in frames;
 * it includes the packet being played and the gaps of missing ones.
 */
public final class JitterBuffer implements MemberSource {
    public static final int SAMPLE_RATE = 48_000;
    /** The audio thread renders long periods in pieces of at most this many frames. */
    private static final int PIECE = Header.MAX_FRAMES;
    /** A new stream starts this many indices past the reader, beyond anything it may still take. */
    private static final int RESTART_GAP = 16;
    /** After this many packets missing in a row the sender has stopped: wait and prime again. */
    private static final int GIVE_UP_PACKETS = 16;
    /** Queued beyond the target by more than this many packets (or half the target): skip ahead. */
    private static final int CATCH_UP_PACKETS = 3;
    /** At most this many packets of repetition at a time when the depth must grow fast. */
    private static final int WIDEN_PACKETS = 4;
    private static final int WIDEN_EVERY_FRAMES = SAMPLE_RATE / 2;

    private final int channels;
    private final PacketRing ring;

    // Network thread only.
    private final StreamTimeline timeline = new StreamTimeline();
    private final JitterMeter meter = new JitterMeter();
    private final NeedMeter need = new NeedMeter();
    private long highest = -1;
    private long startIndex;
    private long startFrame;
    private long end;
    /** Per ring slot, the index of the packet put there from a copy (see {@link #fillFromCopies}), or -1. */
    private final long[] fromCopy = new long[PacketRing.SLOTS];
    /** The member's Opus decoder, once they send Opus. */
    private OpusInOrder opus;

    // Network thread to audio thread.
    private volatile int generation;
    private volatile long streamStart;
    private volatile long streamStartFrame;
    private volatile int streamFrames;
    /** The sender's sample position of the packet at {@link #streamStart}. */
    private volatile long streamStartPosition;
    private volatile long receivedEnd;

    // Audio thread to network thread.
    private volatile long readIndex;
    private volatile boolean playing;

    // Any thread to audio thread.
    private volatile DepthMode mode = DepthMode.AUTO;
    private volatile int manualPackets = 4;
    private volatile boolean driftTracking = true;

    // Audio thread only.
    private final Resampler resampler;
    private final Concealer concealer;
    private final DepthPolicy depthPolicy = new DepthPolicy();
    private final DriftControl drift = new DriftControl();
    private int seenGeneration;
    private boolean play;
    private long next;
    private long taken;
    private int packetFrames;
    private int missingRun;
    private boolean droppedOut;
    private boolean stalled;
    private int periodsSinceWiden;
    private long playStart;
    private long playStartPosition;
    /** The resampler's frame (counted from its first, see Resampler#base) of the last packet taken, and its sender position. */
    private long anchorFrame;
    private long anchorPosition;

    // Audio thread to any: a seqlock (odd while written) of where the sender's stream is played on
    // the box's audio clock, published once a period (see localFrame).
    private volatile java.util.function.LongSupplier clock;
    private volatile long mapVersion;
    private volatile boolean mapValid;
    private volatile long mapFrame;
    private volatile double mapPosition;
    private volatile double mapRatio;

    // Published for stats, each written by one thread.
    private volatile long received;
    private volatile long late;
    private volatile long duplicates;
    private volatile long bad;
    private volatile long overruns;
    private volatile long restarts;
    private volatile long skipped;
    private volatile long widened;
    private volatile long concealed;
    private volatile long recovered;
    private volatile long dropouts;
    private volatile int depthFrames;
    private volatile int targetFrames;
    private volatile double driftPpm;

    /** Any thread (the client's, as a member joins): a buffer for a member who sends {@code channels} (1 or 2) channels. */
    public JitterBuffer(int channels) {
        if (channels < 1 || channels > Header.MAX_CHANNELS) {
            throw new IllegalArgumentException("a member sends 1 or 2 channels, not " + channels);
        }
        this.channels = channels;
        ring = new PacketRing(channels);
        Arrays.fill(fromCopy, -1);
        resampler = new Resampler(channels);
        concealer = new Concealer(channels);
    }

    /** Any thread: the channels the member sends (fixed for this buffer). */
    @Override
    public int channels() {
        return channels;
    }

    /** Any thread: choose automatic or manual depth; the audio thread follows from its next period. */
    public void setDepthMode(DepthMode m) {
        mode = m;
    }

    /** Any thread: the depth in {@link DepthMode#MANUAL}, in the sender's packets (clamped to 1..32). */
    public void setManualDepth(int packets) {
        manualPackets = Math.max(DepthPolicy.MIN_PACKETS, Math.min(DepthPolicy.MAX_PACKETS, packets));
    }

    /**
     * Any thread: whether to follow the sender's clock. On by default; off reads the stream at
     * exactly our rate, for senders locked to our clock (the buffer then only absorbs jitter).
     */
    public void setDriftTracking(boolean on) {
        driftTracking = on;
    }

    /**
     * Network thread: one AUDIO packet of this member, its header already read into {@code h}, the
     * body at {@code bodyOffset} in {@code packet}, received at {@code arrivalNanos} (any monotonic
     * clock in nanoseconds, e.g. {@link System#nanoTime}). Never throws.
     */
    public Arrival offer(Header h, byte[] packet, int bodyOffset, long arrivalNanos) {
        try {
            if (!fits(h, packet, bodyOffset)) {
                bad = bad + 1;
                return Arrival.BAD;
            }
            received = received + 1;
            return place(h, packet, bodyOffset, arrivalNanos);
        } catch (RuntimeException e) {
            bad = bad + 1;
            return Arrival.BAD;
        }
    }

    private boolean fits(Header h, byte[] packet, int bodyOffset) {
        return h != null && packet != null && h.type == PacketType.AUDIO && h.codec != null && h.codec.isAudio()
                && h.channels == channels && h.codec.framesProblem(h.frames) == null
                && (h.codec == Codec.OPUS
                        ? (h.flags & Header.FLAG_REDUNDANT) == 0 && h.bodyLength >= 1 && h.bodyLength <= Opus.MAX_BODY
                        : h.copies() >= 0 && h.bodyLength == h.partLength() * (1 + h.copies()))
                && bodyOffset >= 0 && bodyOffset <= packet.length - h.bodyLength
                && (h.codec != Codec.OPUS || Opus.bodyProblem(packet, bodyOffset, h.bodyLength) == null);
    }

    private Arrival place(Header h, byte[] packet, int bodyOffset, long arrivalNanos) {
        long reader = readIndex;
        long index = timeline.place(h.sequence, h.samplePosition, h.frames, fresh(reader));
        if (index == StreamTimeline.REJECTED) {
            bad = bad + 1;
            return Arrival.BAD;
        }
        if (timeline.restarted()) {
            beginStream(index, h.frames, h.samplePosition);
        }
        meter.arrival(arrivalNanos, h.senderTime);
        if (index < reader || index < startIndex) {
            if (ring.holds(index)) {
                if (!originalOfCopy(index, reader)) {
                    duplicates = duplicates + 1;
                }
                return Arrival.DUPLICATE;
            }
            late = late + 1;
            measureNeed(index, reader, h.frames, arrivalNanos);
            return Arrival.LATE;
        }
        Arrival result = Arrival.ACCEPTED;
        if (index >= Math.max(reader, startIndex) + PacketRing.SLOTS) {
            if (playing) {
                overruns = overruns + 1;
                result = Arrival.OVERRUN;
            }
            index = timeline.start(h.sequence, h.samplePosition, h.frames, fresh(reader));
            beginStream(index, h.frames, h.samplePosition);
        } else if (ring.holds(index)) {
            if (originalOfCopy(index, reader)) {
                measureNeed(index, reader, h.frames, arrivalNanos); // an arrival as any other, for the depth
            } else {
                duplicates = duplicates + 1;
            }
            // Overtaken by the next packet, whose copy stood in for it: its own copies may still be
            // the only ones of a packet lost before it.
            fillFromCopies(h, packet, bodyOffset, index, reader);
            return Arrival.DUPLICATE;
        }
        measureNeed(index, reader, h.frames, arrivalNanos);
        if (h.codec != Codec.OPUS) {
            Pcm.decode(h.codec, packet, bodyOffset, channels, h.frames, ring.beginWrite(index));
            ring.endWrite(index, h.frames);
            fillFromCopies(h, packet, bodyOffset, index, reader);
        } else if (!opus().offer(index, packet, bodyOffset, h.bodyLength, reader, ring)) {
            late = late + 1; // its gap was given up on: the decoder has gone past it
            return Arrival.LATE;
        }
        highest = Math.max(highest, index);
        long packetEnd = startFrame + (index - startIndex + 1) * h.frames;
        if (packetEnd > end) {
            end = packetEnd;
            receivedEnd = packetEnd;
        }
        return result;
    }

    /**
     * A packet that carries copies of the ones before it (flag REDUNDANT) fills those still missing
     * and not yet due, as if they had come: the audio thread finds them in the ring and never knows.
     * Each is counted as recovered, and marked, so that an original arriving after all while it
     * waits (it was only overtaken) takes the count back ({@link #originalOfCopy}).
     */
    private void fillFromCopies(Header h, byte[] packet, int bodyOffset, long index, long reader) {
        int part = h.partLength();
        for (int k = 1; k <= h.copies(); k++) {
            long missing = index - k;
            if (missing < reader || missing < startIndex) {
                return; // due already (being played or concealed), or before this stream began
            }
            if (!ring.holds(missing)) {
                Pcm.decode(h.codec, packet, bodyOffset + k * part, channels, h.frames, ring.beginWrite(missing));
                ring.endWrite(missing, h.frames);
                fromCopy[(int) (missing & (PacketRing.SLOTS - 1))] = missing;
                recovered = recovered + 1;
            }
        }
    }

    /**
     * Whether the packet at {@code index}, already in the ring, was put there from a copy; if so it
     * is no duplicate, and when it came before its turn it was not lost either: not recovered.
     */
    private boolean originalOfCopy(long index, long reader) {
        int slot = (int) (index & (PacketRing.SLOTS - 1));
        if (fromCopy[slot] != index) {
            return false;
        }
        fromCopy[slot] = -1;
        if (index >= reader) {
            recovered = recovered - 1;
        }
        return true;
    }

    /**
     * An Opus member's decoder, made at their first Opus packet: it decodes here, on the network
     * thread, in the stream's order, into the ring's slots (Concentus allocates as it decodes:
     * never on the audio thread).
     */
    private OpusInOrder opus() {
        if (opus == null) {
            opus = new OpusInOrder(channels);
            opus.restart(startIndex);
        }
        return opus;
    }

    /** While playing this stream: the depth this packet needed, whether it came in time or not. */
    private void measureNeed(long index, long reader, int frames, long arrivalNanos) {
        if (playing && index >= startIndex) {
            need.arrival(arrivalNanos, depthFrames, (index - reader) * frames);
        }
    }

    /** Where a new stream may start: past every index used and past anything the reader may take. */
    private long fresh(long reader) {
        return Math.max(highest + 1, reader + RESTART_GAP);
    }

    private void beginStream(long index, int frames, long position) {
        if (generation > 0) {
            restarts = restarts + 1;
        }
        meter.reset();
        need.reset();
        if (opus != null) {
            opus.restart(index); // a new stream comes from a new encoder
        }
        startIndex = index;
        startFrame = end;
        streamStart = index;
        streamStartFrame = startFrame;
        streamFrames = frames;
        streamStartPosition = position;
        generation = generation + 1;
    }

    /**
     * Audio thread: renders {@code frames} frames (any count) into {@code out[channel][0..frames)};
     * every array of {@code out} must hold at least {@code frames}.
     * A mono member feeds every output channel. Silence until the first packets have primed the
     * buffer. Never allocates, locks or throws.
     */
    @Override
    public void pull(float[][] out, int frames) {
        java.util.function.LongSupplier c = clock;
        periodFrame = c == null ? Long.MIN_VALUE : c.getAsLong();
        for (int off = 0; off < frames; off += PIECE) {
            pullPiece(out, off, Math.min(PIECE, frames - off), frames);
        }
        driftPpm = drift.driftPpm();
    }

    private void pullPiece(float[][] out, int off, int n, int period) {
        followStream();
        if (seenGeneration == 0) {
            unpublishMap();
            silence(out, off, n);
            return;
        }
        int target = depthPolicy.targetFrames(mode, manualPackets, need.estimateFrames(), packetFrames, period, n);
        targetFrames = target;
        // Negative after concealing past the last packet that came (the sender stopped, or a long
        // gap): frames owed, not waiting. The decisions below use it as it is; what is shown is what
        // waits to be played, never below zero.
        double depth = receivedEnd - taken + resampler.unread();
        if (!play) {
            unpublishMap();
            depthFrames = (int) Math.max(0, depth);
            if (depth < target) {
                if (concealer.active()) {
                    concealer.fill(out, off, n);
                } else {
                    silence(out, off, n);
                }
                return;
            }
            if (stalled) {
                depth -= skipExcess(depth, target);
                stalled = false;
            }
            play = true;
            playing = true;
            drift.start(depth);
        }
        if (driftTracking && drift.depth() - target > Math.max(CATCH_UP_PACKETS * packetFrames, target / 2)) {
            depth -= catchUp(drift.depth(), target);
        } else if (driftTracking && target - drift.depth() > Math.max(2 * packetFrames, target / 8)
                && (periodsSinceWiden += 1) * n >= WIDEN_EVERY_FRAMES) {
            depth += widen(target - drift.depth());
            periodsSinceWiden = 0;
        }
        double ratio = drift.ratio(depth, target, n, driftTracking);
        depthFrames = (int) Math.max(0, Math.round(drift.depth()));
        while (resampler.shortfall(n, ratio) > 0) {
            takeNext();
        }
        if (off == 0) {
            publishMap(ratio);
        }
        resampler.render(out, off, n, ratio);
        if (missingRun >= GIVE_UP_PACKETS) {
            play = false;
            playing = false;
            stalled = true;
        }
    }

    /**
     * A burst (the sender's machine stalled, then sent what it owed at once) leaves far more queued
     * than the target, and the rate loop, limited to a few cents, would take tens of seconds to
     * play it off: every note that long late. Beyond the catch-up margin the excess whole packets
     * are skipped instead, the old waveform crossfaded into the new by the concealer, once. Clock
     * drift never gets here: the loop keeps it within a fraction of a packet. With drift tracking
     * off the member is played sample for sample, as sent, and nothing is skipped.
     */
    private double catchUp(double smoothedDepth, int target) {
        // From the smoothed depth, less a packet: the depth at this instant may stand on a jitter peak.
        long packets = (long) (smoothedDepth - target) / packetFrames - 1;
        if (packets <= 0) {
            return 0;
        }
        if (!concealer.active()) {
            concealer.begin(resampler.buffer(), resampler.end());
        }
        next += packets;
        readIndex = next;
        taken += packets * packetFrames;
        skipped = skipped + packets;
        drift.start(smoothedDepth - packets * packetFrames);
        return packets * packetFrames;
    }

    /**
     * The jitter grew and the target with it, far above the depth: gliding there at a few cents
     * would take tens of seconds of late packets. Instead up to {@value #WIDEN_PACKETS} packets'
     * worth of the waveform is repeated (as for a lost packet, crossfaded back) without taking a
     * packet, every half second until the depth is within two packets (or an eighth) of its target;
     * the rate loop glides the rest. Counted in {@code widened}, not as concealment of a loss.
     */
    private double widen(double shortfall) {
        int frames = (int) Math.min(WIDEN_PACKETS, shortfall / packetFrames) * packetFrames;
        if (frames <= 0) {
            return 0;
        }
        resampler.reserve(frames);
        float[][] buf = resampler.buffer();
        int at = resampler.end();
        if (!concealer.active()) {
            concealer.begin(buf, at);
        }
        concealer.fill(buf, at, frames);
        resampler.advance(frames);
        widened = widened + frames / packetFrames;
        drift.start(drift.depth() + frames);
        return frames;
    }

    /**
     * Priming after the sender paused can find more than the target already here (it resumed
     * further on while we waited): start that many whole packets later rather than carry the extra
     * latency. A fresh stream is not skipped into: there an early excess is reordering, and the
     * beginning of the stream is worth playing.
     */
    private double skipExcess(double depth, int target) {
        long packets = (long) (depth - target) / packetFrames;
        if (packets <= 0) {
            return 0;
        }
        next += packets;
        readIndex = next;
        taken += packets * packetFrames;
        skipped = skipped + packets;
        return packets * packetFrames;
    }

    private void followStream() {
        int g = generation;
        if (g == seenGeneration) {
            return;
        }
        long start;
        long startAt;
        int frames;
        long startPosition;
        do {
            g = generation;
            start = streamStart;
            startAt = streamStartFrame;
            frames = streamFrames;
            startPosition = streamStartPosition;
        } while (g != generation);
        playStart = start;
        playStartPosition = startPosition;
        if (play && !concealer.active()) {
            concealer.begin(resampler.buffer(), resampler.playPosition());
        }
        seenGeneration = g;
        play = false;
        playing = false;
        resampler.clear();
        next = start;
        readIndex = start;
        taken = startAt;
        packetFrames = frames;
        missingRun = 0;
        stalled = false;
        droppedOut = false;
    }

    private void takeNext() {
        resampler.reserve(Header.MAX_FRAMES);
        float[][] buf = resampler.buffer();
        int at = resampler.end();
        anchorFrame = resampler.base() + at;
        anchorPosition = playStartPosition + (next - playStart) * packetFrames;
        int got = ring.take(next, buf, at);
        if (got > 0) {
            if (concealer.active()) {
                concealer.handBack(buf, at, got);
            }
            missingRun = 0;
            droppedOut = false;
        } else {
            if (!concealer.active()) {
                concealer.begin(buf, at);
            }
            got = packetFrames;
            concealer.fill(buf, at, got);
            concealed = concealed + 1;
            missingRun++;
            if (concealer.silent() && !droppedOut) {
                droppedOut = true;
                dropouts = dropouts + 1;
            }
        }
        resampler.advance(got);
        taken += got;
        next++;
        readIndex = next;
    }

    /** The frame on the box's audio clock at which the current pull began; audio thread. */
    private long periodFrame = Long.MIN_VALUE;

    /**
     * Audio thread, before rendering a period's first piece at {@code ratio}: the sender's position
     * at the read position is the last packet taken's, moved on by the frames between them (exact
     * while packets follow one another; a skip or a widening moves it by whole packets, and the next
     * packet taken puts it right).
     */
    private void publishMap(double ratio) {
        if (periodFrame == Long.MIN_VALUE) {
            return;
        }
        double read = resampler.base() + resampler.position();
        long v = mapVersion;
        mapVersion = v + 1;
        mapFrame = periodFrame;
        mapPosition = anchorPosition + (read - anchorFrame);
        mapRatio = ratio;
        mapValid = true;
        mapVersion = v + 2;
    }

    private void unpublishMap() {
        if (mapValid) {
            long v = mapVersion;
            mapVersion = v + 1;
            mapValid = false;
            mapVersion = v + 2;
        }
    }

    /**
     * Any thread: ties this buffer to the box's audio clock, the frame at which the current period
     * began ({@code MidiPorts#frameTime}, taken before the engine runs), so {@link #localFrame} can
     * answer. Null unties it.
     */
    public void setClock(java.util.function.LongSupplier frameClock) {
        clock = frameClock;
    }

    /**
     * Any thread: the frame on the box's audio clock at which this buffer plays (into the mixer)
     * the sender's sample at {@code senderPosition}, from the latest period's read position and
     * rate; {@link Long#MIN_VALUE} when it is not playing the sender's stream (priming, stalled, or
     * no clock). Allocates nothing.
     */
    public long localFrame(long senderPosition) {
        long v;
        boolean valid;
        long frame;
        double position;
        double ratio;
        do {
            v = mapVersion;
            valid = mapValid;
            frame = mapFrame;
            position = mapPosition;
            ratio = mapRatio;
        } while ((v & 1) != 0 || v != mapVersion);
        if (!valid || ratio <= 0) {
            return Long.MIN_VALUE;
        }
        return frame + Math.round((senderPosition - position) / ratio);
    }

    private static void silence(float[][] out, int off, int n) {
        for (float[] ch : out) {
            Arrays.fill(ch, off, off + n, 0f);
        }
    }

    /** Any thread: copies the current figures into {@code into} and returns it. */
    public JitterStats stats(JitterStats into) {
        into.mode = mode;
        into.depthFrames = depthFrames;
        into.targetFrames = targetFrames;
        into.jitterMicros = meter.estimateUs();
        into.received = received;
        into.late = late;
        into.concealed = concealed;
        into.recovered = recovered;
        into.lost = Math.max(0, into.concealed - into.late);
        into.duplicates = duplicates;
        into.bad = bad;
        into.overruns = overruns;
        into.restarts = restarts;
        into.skipped = skipped;
        into.widened = widened;
        into.dropouts = dropouts;
        into.driftPpm = driftPpm;
        return into;
    }
}
