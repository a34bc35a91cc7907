package jambox.protocol;

import java.security.SecureRandom;
import java.util.List;

import jambox.protocol.message.Challenge;
import jambox.protocol.message.Hello;
import jambox.protocol.message.Join;
import jambox.protocol.message.Refuse;
import jambox.protocol.message.Welcome;

/**
 * A member's side of the protocol, without I/O: the join handshake (hello, challenge, join,
 * welcome), then tagging what it sends and checking what the server sends back. The caller moves
 * the bytes. Sending and receiving may run on two threads: each direction has its own key
 * instance and buffers.
 */
public final class MemberSession {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String room;
    private final String name;
    private final List<String> labels;
    private final Codec codec;
    private final int frames;
    private final byte[] secret;
    /** Opus only, else null; the sending thread's. */
    private final Opus.Encoder encoder;
    private final byte[] clientNonce = new byte[Keys.NONCE_SIZE];

    private final PacketWriter out = new PacketWriter();
    private final PacketReader in = new PacketReader();
    private PacketKey sendKey;
    private PacketKey sessionReceiveKey;
    private PacketKey roomReceiveKey;
    private Challenge challenge;
    private Welcome welcome;
    private int roomId;
    private int memberId;
    private int sequence;

    /** As the constructor below, at Opus's default bitrate when the codec is Opus. */
    public MemberSession(String room, String name, List<String> labels, Codec codec, int frames, byte[] secret) {
        this(room, name, labels, codec, frames, secret, Opus.DEFAULT_BITRATE);
    }

    /**
     * A session that sends {@code labels.size()} channels in {@code codec}, {@code frames} frames a
     * packet; {@code opusBitrate} (bits per second, constant) is used when the codec is Opus, whose
     * encoder lives here, on the sending thread, from the first packet to the last.
     */
    public MemberSession(String room, String name, List<String> labels, Codec codec, int frames, byte[] secret,
                         int opusBitrate) {
        String problem = codec.framesProblem(frames);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.encoder = codec == Codec.OPUS ? new Opus.Encoder(labels.size(), opusBitrate) : null;
        this.room = room;
        this.name = name;
        this.labels = List.copyOf(labels);
        this.codec = codec;
        this.frames = frames;
        this.secret = secret.clone();
        RANDOM.nextBytes(clientNonce);
        sequence = RANDOM.nextInt();
    }

    /** The writer for this session's outgoing packets: begin one, then {@link #seal}. */
    public PacketWriter writer() {
        return out;
    }

    /** The first packet: a padded HELLO. Returns its length in {@link PacketWriter#array()}. */
    public int hello() {
        new Hello(clientNonce).write(out);
        return out.finish(null);
    }

    /** Answers a CHALLENGE with a JOIN; returns its length, or -1 when the challenge is not for this session. */
    public int join(Challenge c) {
        if (!Keys.same(c.clientNonce(), clientNonce)) {
            return -1;
        }
        challenge = c;
        Join.write(out, c, room, name, labels, codec, frames, secret);
        return out.finish(null);
    }

    /**
     * Reads the answer to a JOIN. Returns the welcome when the server proved it holds the secret,
     * or throws {@link Refused} with the server's reason.
     */
    public Welcome accept(byte[] b, int off, int len) {
        Problem p = in.read(b, off, len);
        if (p != Problem.NONE) {
            throw new MalformedPacketException(p.reason);
        }
        if (in.header.type == PacketType.REFUSE) {
            throw new Refused(Refuse.read(in));
        }
        if (in.header.type != PacketType.WELCOME || challenge == null) {
            throw new MalformedPacketException("expected a WELCOME, got " + in.header.type);
        }
        byte[] session = Keys.session(secret, challenge.cookie(), clientNonce);
        PacketKey check = new PacketKey(session);
        if (!check.verify(b, off, len)) {
            throw new MalformedPacketException("WELCOME not signed with this session's key");
        }
        welcome = Welcome.read(in);
        roomId = in.header.room;
        memberId = in.header.member;
        sendKey = new PacketKey(session);
        sessionReceiveKey = check;
        roomReceiveKey = new PacketKey(Keys.room(secret, welcome.roomNonce()));
        return welcome;
    }

    public boolean joined() {
        return welcome != null;
    }

    public Welcome welcome() {
        return welcome;
    }

    public int roomId() {
        return roomId;
    }

    public int memberId() {
        return memberId;
    }

    public Codec codec() {
        return codec;
    }

    public int frames() {
        return frames;
    }

    /** Frames of delay this session's codec adds to what it sends: Opus's lookahead, 0 in PCM. */
    public int codecDelayFrames() {
        return encoder == null ? 0 : encoder.delayFrames();
    }

    public int channels() {
        return labels.size();
    }

    /**
     * Fills in the header's session fields (room, member, the next sequence number) of the packet
     * begun in {@link #writer()}, then writes and tags it. Returns its length.
     */
    public int seal() {
        Header h = out.header;
        h.room = roomId;
        h.member = memberId;
        h.sequence = sequence++;
        return out.finish(sendKey);
    }

    /** Writes and tags one AUDIO packet of this session's format from {@code audio[channel][frame]}. */
    public int audio(float[][] audio, long senderTime, long samplePosition) {
        out.begin(PacketType.AUDIO);
        Header h = out.header.audio(codec, labels.size(), frames);
        h.senderTime = senderTime;
        h.samplePosition = samplePosition;
        if (encoder != null) {
            out.reserve(encoder.encode(audio, out.array(), out.position()));
        } else {
            Pcm.encode(codec, audio, labels.size(), frames, out.array(), out.reserve(h.bodyLength));
        }
        return seal();
    }

    /**
     * Checks a packet from the server: well formed, for this session, tagged with the right key.
     * Returns the reader positioned at the body, or null (the packet is to be dropped). A BUNDLE
     * is not one packet: use {@link #receiveAll}.
     */
    public PacketReader receive(byte[] b, int off, int len) {
        if (in.read(b, off, len) != Problem.NONE || welcome == null) {
            return null;
        }
        Header h = in.header;
        if (h.room != roomId || !h.type.tagged) {
            return null;
        }
        return in.verify(h.type.roomWide ? roomReceiveKey : sessionReceiveKey) ? in : null;
    }

    /** Receives each checked packet of a datagram. */
    public interface Receiver {
        void packet(PacketReader packet);
    }

    /**
     * Checks a datagram from the server, a single packet or a BUNDLE of them, and hands each packet
     * that passes {@link #receive} to the receiver. Returns how many packets were dropped.
     */
    public int receiveAll(byte[] b, int off, int len, Receiver receiver) {
        if (in.read(b, off, len) == Problem.NONE && in.header.type == PacketType.BUNDLE) {
            if (in.header.room != roomId) {
                return 1;
            }
            dropped = 0;
            this.receiver = receiver;
            if (!Bundle.forEach(b, off + Header.SIZE, in.header.bodyLength, unbundle)) {
                dropped++;
            }
            return dropped;
        }
        PacketReader r = receive(b, off, len);
        if (r == null) {
            return 1;
        }
        receiver.packet(r);
        return 0;
    }

    private int dropped;
    private Receiver receiver;
    private final Bundle.Visitor unbundle = (b, off, len) -> {
        PacketReader r = receive(b, off, len);
        if (r == null) {
            dropped++;
        } else {
            receiver.packet(r);
        }
    };

    /** The server said no, with a reason. */
    public static final class Refused extends RuntimeException {
        public final Refuse refuse;

        public Refused(Refuse refuse) {
            super(refuse.reason() + ": " + refuse.message());
            this.refuse = refuse;
        }
    }
}
