package jambox.protocol;

/**
 * The fixed 44-byte header every packet starts with (big-endian; layout in docs/protocol.md).
 * A mutable flyweight: read it from and write it to byte arrays with no allocation.
 */
public final class Header {
    public static final int MAGIC = 0x4A42; // "JB"
    public static final int VERSION = 1;
    public static final int SIZE = 44;
    public static final int TAG_SIZE = 8;
    /** Largest body: 256 frames x 2 channels x 4 bytes. */
    public static final int MAX_BODY = 2048;
    public static final int MAX_PACKET = SIZE + MAX_BODY + TAG_SIZE;
    public static final int MIN_FRAMES = 32;
    public static final int MAX_FRAMES = 256;
    public static final int DEFAULT_FRAMES = 64;
    public static final int MAX_CHANNELS = 2;

    /** The server stamped serverTime and beat. */
    public static final int FLAG_SERVER_STAMPED = 1;
    /** The room's metronome runs: beat is meaningful. */
    public static final int FLAG_METRONOME = 2;
    /**
     * AUDIO: after the packet's own samples the body carries copies of the 1 or 2 packets before it
     * in the sender's stream, newest first (see {@link #copies}).
     */
    public static final int FLAG_REDUNDANT = 4;
    /** The most copies of earlier packets one AUDIO packet may carry. */
    public static final int MAX_COPIES = 2;

    public PacketType type;
    public int flags;
    public Codec codec = Codec.NONE;
    public int channels;
    public int room;
    public int member;
    public int frames;
    public int bodyLength;
    public int sequence;
    /** Sender's clock, microseconds. */
    public long senderTime;
    /** Index of the first frame of this packet in the sender's stream. */
    public long samplePosition;
    /** Server clock in microseconds, low 32 bits; stamped by the server when it forwards. */
    public int serverTime;
    /** Room metronome position in beats, fixed point 24.8; stamped with serverTime. */
    public int beat;

    public Header clear(PacketType t) {
        type = t;
        flags = 0;
        codec = Codec.NONE;
        channels = 0;
        room = 0;
        member = 0;
        frames = 0;
        bodyLength = 0;
        sequence = 0;
        senderTime = 0;
        samplePosition = 0;
        serverTime = 0;
        beat = 0;
        return this;
    }

    /** Bytes of the whole packet this header describes: header, body and tag. */
    public int packetLength() {
        return SIZE + bodyLength + (type.tagged ? TAG_SIZE : 0);
    }

    /** Sets the audio fields; bodyLength follows from them in PCM (Opus: set it once coded). */
    public Header audio(Codec c, int channelCount, int frameCount) {
        codec = c;
        channels = channelCount;
        frames = frameCount;
        bodyLength = frameCount * channelCount * c.bytesPerSample;
        return this;
    }

    /** AUDIO: the bytes of one packet's samples; the body holds one such part, or with copies two or three. */
    public int partLength() {
        return frames * channels * codec.bytesPerSample;
    }

    /**
     * AUDIO: how many copies of earlier packets follow this packet's own samples: 0 without
     * {@link #FLAG_REDUNDANT}; with it, 1 or 2 when the body is exactly 2 or 3 whole parts, else -1.
     * Copy {@code k} (1 = the packet just before) starts {@code k x partLength()} bytes into the
     * body and holds the samples from {@code samplePosition - k x frames}.
     */
    public int copies() {
        if ((flags & FLAG_REDUNDANT) == 0) {
            return 0;
        }
        int part = partLength();
        if (part <= 0 || bodyLength % part != 0) {
            return -1;
        }
        int copies = bodyLength / part - 1;
        return copies >= 1 && copies <= MAX_COPIES ? copies : -1;
    }

    public void write(byte[] b, int off) {
        Wire.put16(b, off, MAGIC);
        Wire.put8(b, off + 2, VERSION);
        Wire.put8(b, off + 3, type.code);
        Wire.put8(b, off + 4, flags);
        Wire.put8(b, off + 5, codec.code);
        Wire.put8(b, off + 6, channels);
        Wire.put8(b, off + 7, 0);
        Wire.put16(b, off + 8, room);
        Wire.put16(b, off + 10, member);
        Wire.put16(b, off + 12, frames);
        Wire.put16(b, off + 14, bodyLength);
        Wire.put32(b, off + 16, sequence);
        Wire.put64(b, off + 20, senderTime);
        Wire.put64(b, off + 28, samplePosition);
        Wire.put32(b, off + 36, serverTime);
        Wire.put32(b, off + 40, beat);
    }

    /** Rewrites only the two server-stamped fields and the flags of a packet already in b. */
    public static void stamp(byte[] b, int off, int flags, int serverTime, int beat) {
        Wire.put8(b, off + 4, flags);
        Wire.put32(b, off + 36, serverTime);
        Wire.put32(b, off + 40, beat);
    }

    /**
     * Reads and checks a header from the {@code len} bytes of a packet at {@code off}. The
     * whole length must match the header exactly; audio fields must be in range.
     */
    public Problem read(byte[] b, int off, int len) {
        if (len < SIZE) {
            return Problem.TOO_SHORT;
        }
        if (Wire.u16(b, off) != MAGIC) {
            return Problem.BAD_MAGIC;
        }
        if (Wire.u8(b, off + 2) != VERSION) {
            return Problem.BAD_VERSION;
        }
        PacketType t = PacketType.of(Wire.u8(b, off + 3));
        if (t == null) {
            return Problem.UNKNOWN_TYPE;
        }
        if (Wire.u8(b, off + 7) != 0) {
            return Problem.RESERVED_NOT_ZERO;
        }
        Codec c = Codec.of(Wire.u8(b, off + 5));
        if (c == null) {
            return Problem.BAD_AUDIO_FORMAT;
        }
        type = t;
        flags = Wire.u8(b, off + 4);
        codec = c;
        channels = Wire.u8(b, off + 6);
        room = Wire.u16(b, off + 8);
        member = Wire.u16(b, off + 10);
        frames = Wire.u16(b, off + 12);
        bodyLength = Wire.u16(b, off + 14);
        sequence = Wire.i32(b, off + 16);
        senderTime = Wire.i64(b, off + 20);
        samplePosition = Wire.i64(b, off + 28);
        serverTime = Wire.i32(b, off + 36);
        beat = Wire.i32(b, off + 40);
        if (bodyLength > MAX_BODY || packetLength() != len) {
            return Problem.BAD_LENGTH;
        }
        if (t == PacketType.AUDIO) {
            if (!c.isAudio() || channels < 1 || channels > MAX_CHANNELS || c.framesProblem(frames) != null) {
                return Problem.BAD_AUDIO_FORMAT;
            }
            if (c == Codec.OPUS) {
                if ((flags & FLAG_REDUNDANT) != 0) {
                    return Problem.OPUS_REDUNDANT;
                }
                if (Opus.bodyProblem(b, off + SIZE, bodyLength) != null) {
                    return Problem.BAD_OPUS;
                }
            } else if ((flags & FLAG_REDUNDANT) != 0) {
                if (copies() < 0) {
                    return Problem.BAD_REDUNDANCY;
                }
            } else if (bodyLength != partLength()) {
                return Problem.BAD_LENGTH;
            }
        } else if (c != Codec.NONE || channels != 0 || frames != 0) {
            return Problem.BAD_AUDIO_FORMAT;
        } else if ((flags & FLAG_REDUNDANT) != 0) {
            return Problem.BAD_REDUNDANCY;
        }
        return Problem.NONE;
    }
}
