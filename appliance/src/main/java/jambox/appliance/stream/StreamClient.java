package jambox.appliance.stream;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import jambox.protocol.Header;
import jambox.protocol.MalformedPacketException;
import jambox.protocol.MemberSession;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.Problem;
import jambox.protocol.message.Beat;
import jambox.protocol.message.Challenge;
import jambox.protocol.message.Leave;
import jambox.protocol.message.Levels;
import jambox.protocol.message.MixStrips;
import jambox.protocol.message.Tempo;
import jambox.protocol.message.Ping;
import jambox.protocol.message.Refuse;
import jambox.protocol.message.Roster;

/**
 * The box in a room: joins through the handshake, sends what the {@link Packetizer} hands over,
 * keeps the session alive with pings (which also give the round-trip time), and joins again by
 * itself when the server forgets it (a restart) or goes quiet.
 *
 * <p>Two threads and one connected UDP socket. The sending thread owns the session's writer: it
 * joins, seals and sends audio, pings and pongs, and is woken by the audio thread through
 * {@code unpark}. The receiving thread blocks on the socket, checks each packet with the session
 * and hands audio to the {@link Downlink}. A plain socket rather than a Netty loop: waking an event
 * loop from the audio thread would allocate a task per packet.
 *
 * <p>Callers: a control thread makes, starts and closes the client (one thread, or handing it on
 * with a happens-before, as {@code Appliance}'s synchronized join and leave do); the getters, the listeners' setters and
 * {@link #setTempo} may be called from any thread, as they only read or write volatile fields. The
 * audio thread never calls the client: it reaches it through the {@link Packetizer} and the
 * {@link Downlink}.
 */
public final class StreamClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StreamClient.class.getName());
    private static final long PING_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    static final int MIX_PER_SECOND = 20;
    private static final long MIX_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1) / MIX_PER_SECOND;
    private static final long MIX_REPEAT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long HANDSHAKE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Nothing heard for this long (pings answer every 250 ms): the server is gone or has forgotten us. */
    private static final long SILENCE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** How long a REFUSE's probe ping may take to come back, at least; more on a slow path (4 RTTs). */
    private static final long PROBE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final StreamConfig config;
    private final Packetizer uplink;
    private final Downlink downlink;
    private final ConcurrentLinkedQueue<byte[]> handshake = new ConcurrentLinkedQueue<>();
    private final ByteBuffer out = ByteBuffer.allocateDirect(Header.MAX_PACKET);
    private DatagramChannel channel;
    private static final AtomicBoolean PRIORITY_SAID = new AtomicBoolean();
    private Thread sender;
    private Thread receiver;
    private volatile boolean closed;
    private volatile MemberSession active;
    /** The session whose JOIN is out, waiting for its WELCOME. */
    private volatile MemberSession pending;
    private volatile Refuse refusal;
    private volatile boolean forgotten;
    /**
     * When a REFUSE "not joined" came in while playing, or 0. Anyone can forge one (it carries no
     * tag), so it only makes the sending thread check: see {@link #checkRefusal}.
     */
    private volatile long refusedAt;
    /** The id of the last PONG the server sent for this session. */
    private volatile int lastPongId = -1;
    /** The ping that asks whether the server still knows the session after a REFUSE, or -1. */
    private int probePing = -1;
    private long probeSent;
    private volatile long refusalsDisproved;
    private volatile long lastHeard;
    private volatile long rttMicros = -1;
    private volatile boolean pingToAnswer;
    private int pingId;
    private long pingTime;
    /** Where the join stands; written by the sending thread only, read by any. */
    private volatile Standing standing;
    private volatile Runnable onStanding = () -> { };
    private volatile long joins;
    private volatile long sendFailures;
    private volatile long rejected;

    /** Control thread: a client for one room; nothing is opened until {@link #start}. */
    public StreamClient(StreamConfig config, Packetizer uplink, Downlink downlink) {
        this.config = config;
        this.uplink = uplink;
        this.downlink = downlink;
        this.standing = new Standing(Status.JOINING, "joining room '" + config.room() + "' at " + serverAddress(), null);
    }

    /**
     * Where a join stands, as a player needs to know it. A failed join is retried by itself (the
     * server may come back, a place in a full room may free up), so a failure stays the status
     * through its retries until one succeeds: a page never sees it flicker back to "joining".
     */
    public enum Status {
        /** The first handshake is under way, or the server forgot us and we are joining again. */
        JOINING,
        JOINED,
        /** The server turned the secret down; retried every 5 s, which helps only if the room's secret changes. */
        WRONG_SECRET,
        /** No place left; retried twice a second, so the box gets in when someone leaves. */
        ROOM_FULL,
        /** The server has no room of that name; retried every 5 s. */
        UNKNOWN_ROOM,
        /** Turned down for another reason (version, rate, a bad request): see the server's words. */
        REFUSED,
        /** No answer from the server to two handshakes in a row, a second each (down, firewalled, wrong port); retried. */
        UNREACHABLE
    }

    /**
     * The status, in words ("joined room 'jam' as member 3", "refused: WRONG_SECRET (...)"), and
     * the room server's own words when it refused (else null).
     */
    public record Standing(Status status, String words, String serverMessage) {
    }

    /**
     * {@code listener} hears every change of {@link #standing()}, on the stream's sending thread:
     * it must return at once (hand the news to another thread), as the audio waits behind it. Set
     * from any thread, best before {@link #start} so no change is missed.
     */
    public void onStandingChange(Runnable listener) {
        onStanding = java.util.Objects.requireNonNull(listener);
    }

    /** Any thread: where the join stands now. */
    public Standing standing() {
        return standing;
    }

    /** Sending thread. Logs and tells the listener only what changed: a refusal retried is said once. */
    private void stand(Status status, String words, String serverMessage) {
        Standing before = standing;
        if (before.status() == status && before.words().equals(words)) {
            return;
        }
        standing = new Standing(status, words, serverMessage);
        if (status != Status.JOINING && status != Status.JOINED) {
            LOG.log(System.Logger.Level.WARNING, "room ''{0}'': {1}", config.room(), words);
        }
        onStanding.run();
    }

    /**
     * Control thread, once: opens the socket and starts joining; returns at once (the join goes on
     * in the background, on the client's own two threads).
     */
    public void start() throws IOException {
        InetSocketAddress server = new InetSocketAddress(config.host(), config.port());
        if (server.isUnresolved()) {
            throw new IOException("cannot resolve room server '" + config.host() + "'");
        }
        channel = DatagramChannel.open();
        channel.connect(server);
        sender = new Thread(this::sendLoop, "stream-send");
        receiver = new Thread(this::receiveLoop, "stream-receive");
        sender.setDaemon(true);
        receiver.setDaemon(true);
        uplink.consumer(sender);
        MidiUplink midi = midiUplink;
        if (midi != null) {
            midi.consumer(sender);
        }
        uplink.active(false);
        receiver.start();
        sender.start();
    }

    /** Any thread: the room and how this box sends to it. */
    public StreamConfig config() {
        return config;
    }

    /** Any thread: whether a session is in use and the server has not forgotten it. */
    public boolean joined() {
        return active != null && !forgotten;
    }

    /** Any thread: our member id in the room, or 0 when not joined. */
    public int memberId() {
        MemberSession s = active;
        return s == null ? 0 : s.memberId();
    }

    /** Any thread: the last round-trip time to the server in microseconds, or -1 before the first pong. */
    public long rttMicros() {
        return rttMicros;
    }

    /** Any thread: sessions begun, 1 after the first join, more after each rejoin. */
    public long joins() {
        return joins;
    }

    /** Any thread: packets from the server that failed the session's checks. */
    public long rejected() {
        return rejected;
    }

    /** Any thread: datagrams the socket did not take (the server down, a full buffer). */
    public long sendFailures() {
        return sendFailures;
    }

    /** Any thread: REFUSEs "not joined" that came while the server still answered the session's pings: forged or stale. */
    public long refusalsDisproved() {
        return refusalsDisproved;
    }

    /** The local end of the socket (tests forge packets to it). */
    java.net.SocketAddress localAddress() throws IOException {
        return channel.getLocalAddress();
    }

    /** Any thread: in words, "joined room 'jam' as member 3", "joining ...", "refused: ...". */
    public String state() {
        return standing.words();
    }

    /** Each network thread, as it starts: see {@link NetworkPriority}. Said once per process. */
    private static void raisePriority() {
        boolean raised = NetworkPriority.raiseCurrentThread();
        if (PRIORITY_SAID.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.INFO, raised
                    ? "stream threads run under SCHED_FIFO " + NetworkPriority.PRIORITY
                    : "stream threads run at normal priority (SCHED_FIFO not allowed here): expect a deeper"
                    + " jitter buffer");
        }
    }

    // ---- sending thread ----

    private void sendLoop() {
        raisePriority();
        long retryNanos = TimeUnit.MILLISECONDS.toNanos(500);
        while (!closed) {
            MemberSession s = active;
            if (s == null || forgotten) {
                if (s != null) {
                    LOG.log(System.Logger.Level.INFO, "room server forgot member {0} or went quiet: joining again",
                            s.memberId());
                    active = null;
                    uplink.active(false);
                    downlink.reset();
                }
                if (!join(null)) {
                    LockSupport.parkNanos(retryNanos);
                }
                continue;
            }
            long now = System.nanoTime();
            sendAudio(s);
            MidiUplink m = midiUplink;
            int midiLength = m == null ? 0 : m.write(s);
            if (midiLength > 0) {
                send(s, midiLength);
            }
            if (refusedAt != 0 && checkRefusal(s, now)) {
                continue;
            }
            int tempo = tempoToSend;
            if (tempo >= 0) {
                tempoToSend = -1;
                new Tempo(tempo, barToSend, 0).write(s.writer());
                send(s, s.seal());
            }
            sendMix(s, now);
            if (pingToAnswer) {
                pingToAnswer = false; // id and time were written before the flag: they are visible now
                Ping.pong(s.writer(), pingId, pingTime, now / 1000);
                send(s, s.seal());
            }
            if (now - lastPing >= PING_NANOS) {
                lastPing = now;
                Ping.ping(s.writer(), pings++, now / 1000);
                send(s, s.seal());
            }
            if (now - lastHeard > SILENCE_NANOS) {
                forgotten = true;
                continue;
            }
            LockSupport.parkNanos(Math.max(1000, PING_NANOS - (System.nanoTime() - lastPing)));
        }
        MemberSession s = active;
        if (s != null && !forgotten) {
            new Leave("closed").write(s.writer());
            send(s, s.seal());
        }
    }

    /** In a mix room: this box's strip table, when it changed and once a second. */
    private void sendMix(MemberSession s, long now) {
        java.util.function.Supplier<MixStrips> source = mixTable;
        if (source == null || !serverMixes() || now - mixChecked < MIX_CHECK_NANOS) {
            return;
        }
        mixChecked = now;
        MixStrips table = source.get();
        if (table.equals(mixSent) && now - mixSentAt < MIX_REPEAT_NANOS) {
            return;
        }
        table.write(s.writer());
        send(s, s.seal());
        mixSent = table;
        mixSentAt = now;
        mixTables++;
    }

    private void sendAudio(MemberSession s) {
        int slot;
        while ((slot = uplink.next()) >= 0) {
            int len = s.audio(uplink.audio(slot), uplink.senderMicros(slot), uplink.position(slot));
            uplink.release();
            send(s, len);
        }
    }

    /**
     * A REFUSE "not joined" came while playing. It is not tagged, so it proves nothing: keep the
     * session and ask the server with a ping. A PONG (tagged with the session key, so only the
     * server can make it) means the server still knows us: the refusal was forged or stale. No
     * PONG in time: join afresh, playing on the old session meanwhile, and switch only when the
     * server's CHALLENGE came back on the path and its WELCOME proved it holds the secret.
     * Returns true when the session was switched.
     */
    private boolean checkRefusal(MemberSession s, long now) {
        if (probePing < 0) {
            probePing = pings;
            probeSent = now;
            lastPing = now;
            Ping.ping(s.writer(), pings++, now / 1000);
            send(s, s.seal());
            return false;
        }
        if (lastPongId - probePing >= 0) {
            refusedAt = 0;
            probePing = -1;
            refusalsDisproved++;
            return false;
        }
        long rtt = rttMicros;
        if (now - probeSent < Math.max(PROBE_NANOS, rtt * 4000)) {
            return false;
        }
        LOG.log(System.Logger.Level.INFO, "room server no longer knows member {0}: joining again", s.memberId());
        refusedAt = 0;
        probePing = -1;
        return join(s);
    }

    private long lastPing;
    private int pings;
    /** Handshakes in a row that got no CHALLENGE or no answer to their JOIN; sending thread. */
    private int unansweredInARow;
    private volatile int tempoToSend = -1;
    private volatile int barToSend = 4;
    private volatile int roomTempo;
    private volatile int roomBeatsPerBar = 4;
    private volatile BeatListener beats;
    private volatile MidiUplink midiUplink;
    /** This box's strip table for a mix room's server (null: none), and when the server's mix was last heard. */
    private volatile java.util.function.Supplier<MixStrips> mixTable;
    private volatile long mixHeard;
    /** The members' meters a mix room's server sends. */
    private final ServerMeters serverMeters = new ServerMeters();
    // sending thread
    private MixStrips mixSent;
    private long mixChecked;
    private long mixSentAt;
    private long mixTables;

    /**
     * Any thread: where this box's strips come from, as a MIX table. While the server sends this
     * box its mix (AUDIO from member 0: a mix room), the table goes to it when it changes (looked
     * at {@value #MIX_PER_SECOND} times a second at most, the latest winning) and once a second.
     */
    public void sendMixTable(java.util.function.Supplier<MixStrips> table) {
        mixTable = table;
    }

    /** Whether the server mixes for this box: its mix arrived within the last {@code SILENCE_NANOS}. */
    public boolean serverMixes() {
        long h = mixHeard;
        return h != 0 && System.nanoTime() - h < SILENCE_NANOS;
    }

    /** The members' meters from a mix room's server: {@link ServerMeters#live()} while it sends them. */
    public ServerMeters serverMeters() {
        return serverMeters;
    }

    /** MIX tables sent so far. */
    public long mixTablesSent() {
        return mixTables;
    }

    /**
     * Any thread, best before {@link #start}: sends this box's MIDI input to the room through
     * {@code uplink} (null: not), a packet at each turn of the sending thread while events wait.
     */
    public void sendMidi(MidiUplink uplink) {
        midiUplink = uplink;
    }

    /** Where the room's metronome beats go, as they arrive; on the receiving thread. */
    @FunctionalInterface
    public interface BeatListener {
        /**
         * Beat {@code inBar} of the room's bar (0 is beat 1) fell at {@code nanos} on this box's
         * {@link System#nanoTime} clock, as well as the round trip lets us tell.
         */
        void beat(long nanos, int inBar, double bpm, int beatsPerBar);
    }

    /** Any thread: where the room's beats go from now on (null: nowhere); heard on the receiving thread. */
    public void onBeat(BeatListener listener) {
        beats = listener;
    }

    /**
     * Any thread: asks the room to set its metronome to {@code milliBpm} (0 stops it); sent from
     * the sending thread at its next turn, once joined.
     */
    public void setTempo(int milliBpm) {
        setTempo(milliBpm, barToSend);
    }

    /** Any thread: as {@link #setTempo(int)}, with the room's bar of {@code beatsPerBar} beats. */
    public void setTempo(int milliBpm, int beatsPerBar) {
        if (milliBpm != 0 && (milliBpm < Tempo.MIN_MILLI_BPM || milliBpm > Tempo.MAX_MILLI_BPM)) {
            throw new IllegalArgumentException(Tempo.outOfRange(milliBpm / 1000.0));
        }
        if (beatsPerBar < 1 || beatsPerBar > Tempo.MAX_BEATS_PER_BAR) {
            throw new IllegalArgumentException(beatsPerBar + " beats per bar is outside 1 .. " + Tempo.MAX_BEATS_PER_BAR);
        }
        barToSend = beatsPerBar;
        tempoToSend = milliBpm;
        LockSupport.unpark(sender);
    }

    /** Any thread: the room's tempo as its server last announced it, in thousandths of a bpm; 0 when stopped or unknown. */
    public int roomTempo() {
        return roomTempo;
    }

    private void send(MemberSession s, int len) {
        out.clear();
        out.put(s.writer().array(), 0, len).flip();
        try {
            if (channel.write(out) == 0) {
                sendFailures++;
            }
        } catch (IOException e) {
            sendFailures++; // ICMP unreachable while the server is down: the silence check rejoins
        }
    }

    /**
     * One handshake attempt; true when joined. {@code playing} is the session in use, or null: its
     * audio goes on being sent while the new one is being set up.
     */
    private boolean join(MemberSession playing) {
        MemberSession s = new MemberSession(config.room(), config.name(), config.labels(), config.codec(),
                config.frames(), config.secret().getBytes(StandardCharsets.UTF_8), config.opusBitrate());
        s.redundancy(config.redundancy());
        handshake.clear();
        if (playing == null && standing.status() == Status.JOINED) {
            stand(Status.JOINING, "joining room '" + config.room() + "' at " + serverAddress() + " again", null);
        }
        send(s, s.hello());
        byte[] challenge = awaitHandshake(PacketType.CHALLENGE, playing);
        if (challenge == null) {
            unanswered(playing);
            return false;
        }
        PacketReader r = new PacketReader();
        int len;
        try {
            if (r.read(challenge, 0, challenge.length) != Problem.NONE || (len = s.join(Challenge.read(r))) < 0) {
                return false;
            }
        } catch (MalformedPacketException e) {
            return false;
        }
        unansweredInARow = 0;
        refusal = null;
        pending = s;
        send(s, len);
        // The receiving thread reads the answer itself (see receiveLoop), so that the packets right
        // behind the WELCOME, the roster among them, already find the session in place.
        long end = System.nanoTime() + HANDSHAKE_NANOS;
        while (!closed && active != s && refusal == null && System.nanoTime() < end) {
            if (playing != null) {
                sendAudio(playing);
            }
            LockSupport.parkNanos(end - System.nanoTime());
        }
        pending = null;
        Refuse refused = refusal;
        if (refused != null) {
            if (playing == null) {
                stand(statusOf(refused.reason()), "refused: " + refused.reason() + " (" + refused.message() + ")",
                        refused.message());
            } else {
                LOG.log(System.Logger.Level.WARNING, "room ''{0}'': joining again refused: {1} ({2})", config.room(),
                        refused.reason(), refused.message());
            }
            if (playing == null && (refused.reason() == Refuse.Reason.WRONG_SECRET
                    || refused.reason() == Refuse.Reason.UNKNOWN_ROOM)) {
                // Will not fix itself soon: don't hammer (and wake at once when closed).
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!closed && System.nanoTime() < until) {
                    LockSupport.parkNanos(until - System.nanoTime());
                }
            }
            return false;
        }
        if (active != s) {
            unanswered(playing);
            return false;
        }
        lastPing = 0;
        probePing = -1;
        joins++;
        stand(Status.JOINED, "joined room '" + config.room() + "' as member " + s.memberId(), null);
        LOG.log(System.Logger.Level.INFO, "joined room ''{0}'' as member {1} at {2}", config.room(), s.memberId(),
                serverAddress());
        return true;
    }

    /**
     * A handshake step went unanswered for a second. Twice in a row, while nothing else is playing,
     * that is news; once is not (a lost datagram, a server busy for a moment).
     */
    private void unanswered(MemberSession playing) {
        if (playing == null && !closed && ++unansweredInARow >= 2) {
            stand(Status.UNREACHABLE, "no answer from the room server at " + serverAddress() + ": still trying", null);
        }
    }

    private static Status statusOf(Refuse.Reason reason) {
        return switch (reason) {
            case WRONG_SECRET -> Status.WRONG_SECRET;
            case ROOM_FULL -> Status.ROOM_FULL;
            case UNKNOWN_ROOM -> Status.UNKNOWN_ROOM;
            default -> Status.REFUSED;
        };
    }

    /** Receiving thread: the answer to our JOIN. */
    private void answer(MemberSession s, byte[] b, int len) {
        try {
            s.accept(b, 0, len);
        } catch (MemberSession.Refused e) {
            refusal = e.refuse;
            LockSupport.unpark(sender);
            return;
        } catch (MalformedPacketException e) {
            rejected++;
            return;
        }
        MemberSession previous = active;
        if (previous != null && previous != s) {
            downlink.reset(); // switching sessions: member ids from the old one mean nothing now
        }
        uplink.active(true);
        lastHeard = System.nanoTime();
        forgotten = false;
        active = s;
        LockSupport.unpark(sender);
    }

    /** {@code host:port}, an IPv6 host in brackets: {@code [::1]:7891}, as the room server writes addresses. */
    private String serverAddress() {
        return io.netty.util.NetUtil.toSocketAddressString(config.host(), config.port());
    }

    /** The next CHALLENGE within a second, or null; meanwhile {@code playing}'s audio goes out. */
    private byte[] awaitHandshake(PacketType type, MemberSession playing) {
        long end = System.nanoTime() + HANDSHAKE_NANOS;
        PacketReader r = new PacketReader();
        while (!closed && System.nanoTime() < end) {
            byte[] p = handshake.poll();
            if (p == null) {
                if (playing != null) {
                    sendAudio(playing);
                }
                LockSupport.parkNanos(end - System.nanoTime());
                continue;
            }
            if (r.read(p, 0, p.length) == Problem.NONE && r.header.type == type) {
                return p;
            }
        }
        return null;
    }

    // ---- receiving thread ----

    private void receiveLoop() {
        raisePriority();
        ByteBuffer in = ByteBuffer.allocateDirect(Header.MAX_PACKET + 1);
        byte[] bytes = new byte[Header.MAX_PACKET + 1];
        PacketReader peek = new PacketReader();
        MemberSession.Receiver each = r -> {
            lastHeard = System.nanoTime();
            switch (r.header.type) {
                case AUDIO -> {
                    if (r.header.member == 0) {
                        mixHeard = lastHeard; // only a mix room's server sends audio of its own
                    }
                    downlink.audio(r, lastHeard);
                }
                case MIDI -> downlink.midi(r);
                case PONG -> {
                    int id = r.get32();
                    rttMicros = System.nanoTime() / 1000 - r.get64();
                    lastPongId = id;
                    if (refusedAt != 0) {
                        LockSupport.unpark(sender); // it may be waiting for this answer to a refusal
                    }
                }
                case PING -> {
                    pingTime = r.header.senderTime;
                    pingId = r.get32();
                    pingToAnswer = true;
                    LockSupport.unpark(sender);
                }
                case ROSTER -> {
                    try {
                        downlink.roster(Roster.read(r));
                    } catch (MalformedPacketException e) {
                        rejected++;
                    }
                }
                case TEMPO -> {
                    try {
                        Tempo t = Tempo.read(r);
                        roomBeatsPerBar = t.beatsPerBar();
                        roomTempo = t.milliBpm();
                    } catch (MalformedPacketException e) {
                        rejected++;
                    }
                }
                case BEAT -> {
                    try {
                        beat(Beat.read(r), r.header.senderTime, lastHeard);
                    } catch (MalformedPacketException e) {
                        rejected++;
                    }
                }
                case LEVELS -> {
                    try {
                        serverMeters.update(Levels.read(r), lastHeard);
                    } catch (MalformedPacketException e) {
                        rejected++;
                    }
                }
                default -> { } // routing and recording news: not used by the box yet
            }
        };
        while (!closed) {
            int len;
            try {
                in.clear();
                channel.read(in);
                in.flip();
                len = in.remaining();
                in.get(bytes, 0, len);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // ICMP port unreachable while the server is down: wait a little, keep listening
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                continue;
            }
            if (peek.read(bytes, 0, len) != Problem.NONE) {
                rejected++;
                continue;
            }
            PacketType t = peek.header.type;
            MemberSession joining = pending;
            if (joining != null && (t == PacketType.WELCOME || t == PacketType.REFUSE)) {
                answer(joining, bytes, len);
                continue;
            }
            if (t == PacketType.CHALLENGE) {
                handshake.add(Arrays.copyOf(bytes, len));
                LockSupport.unpark(sender);
                continue;
            }
            if (t == PacketType.REFUSE) {
                if (active != null && refusedAt == 0 && isNotJoined(peek)) {
                    // The server may have restarted and forgotten this session, or someone forged
                    // this: the sending thread finds out which before it gives up the session.
                    refusedAt = System.nanoTime();
                    LockSupport.unpark(sender);
                }
                continue;
            }
            MemberSession s = active;
            if (s == null) {
                continue;
            }
            rejected += s.receiveAll(bytes, 0, len, each);
        }
    }

    /** The server's clock to ours: the least (arrival - server send time) seen, ns; receiving thread only. */
    private long serverToLocal = Long.MAX_VALUE;
    private long offsetJoins = -1;

    /**
     * Places the beat on our clock through the server's: each packet's arrival less its server send
     * time is the clocks' offset plus that packet's delay. The least seen has the least delay (the
     * network's and this thread's own, which can be long on a busy box), so a late packet never
     * moves the beat; it creeps up 50 us a beat so that the two clocks' drift is followed.
     */
    private void beat(Beat b, long serverSendMicros, long arrivedNanos) {
        BeatListener l = beats;
        int tempo = roomTempo;
        if (l == null || tempo == 0) {
            return;
        }
        long seen = arrivedNanos - serverSendMicros * 1000;
        if (offsetJoins != joins || serverToLocal == Long.MAX_VALUE) {
            offsetJoins = joins; // a new session may be a restarted server with a new clock
            serverToLocal = seen;
        }
        serverToLocal = Math.min(seen, serverToLocal + 50_000);
        l.beat(b.serverTime() * 1000 + serverToLocal, b.inBar(), tempo / 1000.0, roomBeatsPerBar);
    }

    /** Any thread: the beats per bar of the room's metronome, as its server last announced it. */
    public int roomBeatsPerBar() {
        return roomBeatsPerBar;
    }

    private static boolean isNotJoined(PacketReader r) {
        try {
            return Refuse.read(r).reason() == Refuse.Reason.NOT_JOINED;
        } catch (MalformedPacketException e) {
            return false;
        }
    }

    /**
     * The control thread that started the client (never the client's own threads or a listener
     * called on them, as it waits up to 2 s for the sending thread to end); safe to call again.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Thread t = sender;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the stream socket", e);
        }
    }
}
