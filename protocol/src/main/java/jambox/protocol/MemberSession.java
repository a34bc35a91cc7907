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
    // Sending thread: the encoded samples of the last packets sent, newest first, for the copies.
    private byte[][] history = new byte[0][];
    private final long[] historyPosition = new long[Header.MAX_COPIES];
    private int historyCount;

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

    /**
     * Before the first {@link #audio}: each AUDIO packet carries copies of the {@code copies} (0..2)
     * packets before it, so a receiver can fill a lost one from the next that arrives. The buffers
     * for them are made here, once. Throws when the body would be over {@link Header#MAX_BODY}.
     */
    public void redundancy(int copies) {
        int part = frames * labels.size() * codec.bytesPerSample;
        String problem = redundancyProblem(copies, part, frames, labels.size(), codec);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        history = new byte[copies][part];
        historyCount = 0;
    }

    /**
     * Why {@code copies} copies of a {@code part}-byte packet cannot be sent, in words with the sum
     * written out, or null when they can.
     */
    public static String redundancyProblem(int copies, int part, int frames, int channels, Codec codec) {
        if (copies < 0 || copies > Header.MAX_COPIES) {
            return "redundancy " + copies + " is outside 0 .. " + Header.MAX_COPIES;
        }
        if (copies > 0 && codec == Codec.OPUS) {
            return "redundancy " + copies + " with Opus: copies are for PCM codecs only (an Opus body's length varies,"
                    + " and the copy count is read from it)";
        }
        long body = (long) part * (1 + copies);
        if (body > Header.MAX_BODY) {
            return "redundancy " + copies + " makes an audio body of " + frames + " frames x " + channels
                    + " channel(s) x " + codec.bytesPerSample + " bytes x (1 + " + copies + " copies) = " + body
                    + " bytes, over the protocol's " + Header.MAX_BODY;
        }
        return null;
    }

    /**
     * Writes and tags one AUDIO packet of this session's format from {@code audio[channel][frame]}:
     * with {@link #redundancy} on, followed by copies of the packets sent just before it, as many
     * of them as directly precede it in the stream (none after a gap). Allocates nothing.
     */
    public int audio(float[][] audio, long senderTime, long samplePosition) {
        out.begin(PacketType.AUDIO);
        Header h = out.header.audio(codec, labels.size(), frames);
        h.senderTime = senderTime;
        h.samplePosition = samplePosition;
        if (encoder != null) {
            out.reserve(encoder.encode(audio, out.array(), out.position()));
            return seal();
        }
        int part = h.bodyLength;
        int own = out.reserve(part);
        Pcm.encode(codec, audio, labels.size(), frames, out.array(), own);
        int copies = 0;
        while (copies < historyCount && historyPosition[copies] == samplePosition - (long) (copies + 1) * frames) {
            System.arraycopy(history[copies], 0, out.array(), out.reserve(part), part);
            copies++;
        }
        if (copies > 0) {
            h.flags |= Header.FLAG_REDUNDANT;
        }
        remember(own, part, samplePosition);
        return seal();
    }

    /** Keeps the packet just encoded at {@code own} as the newest copy, the oldest making room. */
    private void remember(int own, int part, long samplePosition) {
        int n = history.length;
        if (n == 0) {
            return;
        }
        byte[] reuse = history[n - 1];
        for (int k = n - 1; k > 0; k--) {
            history[k] = history[k - 1];
            historyPosition[k] = historyPosition[k - 1];
        }
        history[0] = reuse;
        historyPosition[0] = samplePosition;
        System.arraycopy(out.array(), own, reuse, 0, part);
        historyCount = Math.min(historyCount + 1, n);
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
