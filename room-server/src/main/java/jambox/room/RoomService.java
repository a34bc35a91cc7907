package jambox.room;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import jambox.common.TokenBucket;
import jambox.protocol.Bundle;
import jambox.protocol.Codec;
import jambox.protocol.Header;
import jambox.protocol.Keys;
import jambox.protocol.MalformedPacketException;
import jambox.protocol.PacketKey;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.PacketWriter;
import jambox.protocol.Problem;
import jambox.protocol.message.Beat;
import jambox.protocol.message.Challenge;
import jambox.protocol.message.Hello;
import jambox.protocol.message.MidiEvents;
import jambox.protocol.message.Join;
import jambox.protocol.message.Leave;
import jambox.protocol.message.MidiEvents;
import jambox.protocol.message.Limits;
import jambox.protocol.message.Ping;
import jambox.protocol.message.Recording;
import jambox.protocol.message.Refuse;
import jambox.protocol.message.Roster;
import jambox.protocol.message.MixStrips;
import jambox.protocol.message.Routing;
import jambox.protocol.message.ServerError;
import jambox.protocol.message.Tempo;
import jambox.protocol.message.Text;
import jambox.protocol.message.Welcome;
import jambox.room.record.RoomRecorder;

/**
 * Everything the server does with a packet, without the sockets: handshake, authentication,
 * forwarding, stats, roster, metronome, recording. Confined to one thread (the event loop);
 * {@link #tick} runs there too, every {@link #TICK_MILLIS} ms.
 *
 * <p>Public for the benchmarks ({@code bench}'s {@code ForwardBench} measures forwarding without
 * sockets): the constructor, {@link #receive} and {@link #flushBundles} are its API; the server
 * itself is started with {@link RoomServer#start}.
 */
public final class RoomService {
    static final int TICK_MILLIS = 10;
    static final int SAMPLE_RATE = 48_000;
    private static final int COOKIE_SECONDS = 10;
    private static final long PING_MICROS = 1_000_000;
    private static final long ROSTER_REFRESH_MICROS = 5_000_000;
    // A band behind one NAT shares an address; a handshake costs a few microseconds, so this only bounds floods.
    private static final double HANDSHAKES_PER_SECOND = 200;
    private static final int MAX_HANDSHAKE_SOURCES = 10_000;
    private static final System.Logger LOG = System.getLogger("jambox.room");

    /** Where packets go out; the bytes are copied before it returns. */
    public interface Outbox {
        void send(InetSocketAddress to, byte[] b, int off, int len);

        /** Pushes out what {@link #send} queued, when it was called outside a read batch. */
        default void flush() {
        }
    }

    private final ServerConfig config;
    private final ServerClock clock;
    private final Outbox out;
    private final Executor loop;
    private final Executor io;
    /** Index = room id; slot 0 unused (0 means "no room" on the wire). */
    private final Room[] rooms;
    private final Map<String, Room> byName = new HashMap<>();
    private final Map<InetAddress, TokenBucket> handshakeBuckets = new HashMap<>();
    private final byte[] cookieKey = new byte[32];
    private final PacketReader reader = new PacketReader();
    private final PacketWriter writer = new PacketWriter();
    final Counters counters = new Counters();
    /** Lines that can repeat at a stranger's will (refusals, send failures): once, then a count per 10 s. */
    final LogThrottle logs = new LogThrottle(LOG, 10_000_000);
    private int serverSequence;
    /** Members with forwarded packets waiting in their {@link Outgoing}; each listed once. */
    private final Member[] waiting;
    private int waitingCount;
    private long lastPing;
    private long lastRosterRefresh;
    /** The rooms the server mixes for, and the thread that does it (null until {@link #startMixing}). */
    private final MixRoom[] mixRooms;
    private MixTick mixTick;
    private MixCoder mixCoder;
    /** The tick's request, once per block: send what it made. Preallocated: the tick allocates nothing. */
    private final Runnable sendMixes = () -> sendMixes(false);
    /** The coder's request: send the Opus packets it made. */
    private final Runnable sendCoded = () -> sendMixes(true);

    public RoomService(ServerConfig config, List<RoomConfig> roomConfigs, ServerClock clock, Outbox out, Executor loop,
                       Executor io) {
        this.config = config;
        this.clock = clock;
        this.out = out;
        this.loop = loop;
        this.io = io;
        new SecureRandom().nextBytes(cookieKey);
        rooms = new Room[roomConfigs.size() + 1];
        waiting = new Member[roomConfigs.stream().mapToInt(RoomConfig::capacity).sum()];
        for (int i = 0; i < roomConfigs.size(); i++) {
            Room r = new Room(i + 1, roomConfigs.get(i));
            rooms[i + 1] = r;
            byName.put(r.config.name(), r);
            if (r.config.mix()) {
                r.mix = new MixRoom(r);
            }
        }
        mixRooms = java.util.Arrays.stream(rooms, 1, rooms.length).filter(r -> r.mix != null).map(r -> r.mix)
                .toArray(MixRoom[]::new);
    }

    /** Starts the {@code room-mix} thread when a room is mixed by the server; any thread, once. */
    void startMixing() {
        if (mixRooms.length > 0 && mixTick == null) {
            mixCoder = new MixCoder(mixRooms, loop, sendCoded);
            mixCoder.start();
            mixTick = new MixTick(mixRooms, loop, sendMixes, mixCoder::wake);
            mixTick.start();
        }
    }

    /** Stops the {@code room-mix} thread (server shutdown). */
    void stopMixing() {
        if (mixTick != null) {
            mixTick.close();
            mixCoder.close();
        }
    }

    /** The mixing thread, or null when no room is mixed (for tests). */
    MixTick mixTick() {
        return mixTick;
    }

    /** The mix of the room called {@code name}, or null (for tests). */
    MixRoom mixRoom(String name) {
        Room r = byName.get(name);
        return r == null ? null : r.mix;
    }

    /** Sends what the tick made ({@code coded} false) or what the Opus coder made, in every mix room. */
    private void sendMixes(boolean coded) {
        long now = clock.micros();
        int n = 0;
        for (MixRoom r : mixRooms) {
            n += coded ? r.sendCoded(out, now) : r.sendMade(out, now);
        }
        counters.mixed += n;
        counters.sent += n;
        out.flush();
    }

    /** One datagram of {@code len} bytes in {@code b} from {@code from}. {@code b} may be changed. */
    public void receive(byte[] b, int len, InetSocketAddress from) {
        long now = clock.micros();
        counters.received++;
        Problem p = reader.read(b, 0, len);
        if (p != Problem.NONE) {
            counters.malformed++;
            if (p == Problem.BAD_VERSION && b[3] == PacketType.HELLO.code) {
                refuseUnvalidated(from, len, now, Refuse.Reason.BAD_VERSION,
                        "this server speaks jambox protocol version " + Header.VERSION);
            }
            return;
        }
        switch (reader.header.type) {
            case HELLO -> hello(from, len, now);
            case JOIN -> join(b, len, from, now);
            case CHALLENGE, WELCOME, REFUSE -> counters.notAllowed++;
            default -> fromMember(b, len, from, now);
        }
    }

    private void hello(InetSocketAddress from, int len, long now) {
        if (len < Challenge.PACKET_LENGTH) {
            counters.malformed++; // unpadded: answering it would send more than was received
            return;
        }
        if (!handshakeAllowed(from, now)) {
            counters.rateLimited++;
            return;
        }
        Hello hello = Hello.read(reader);
        int slot = timeSlot(now);
        byte[] cookie = Keys.cookie(cookieKey, from.getAddress().getAddress(), from.getPort(), slot, hello.clientNonce());
        new Challenge(slot, cookie, hello.clientNonce()).write(writer);
        send(from, writer.finish(null));
        counters.accepted++;
        counters.challenges++;
    }

    private void join(byte[] b, int len, InetSocketAddress from, long now) {
        if (!handshakeAllowed(from, now)) {
            counters.rateLimited++;
            return;
        }
        Join j;
        try {
            j = Join.read(reader);
        } catch (MalformedPacketException e) {
            counters.malformed++; // the address is not validated yet: no answer
            return;
        }
        int age = timeSlot(now) - j.cookieTime();
        byte[] expected = Keys.cookie(cookieKey, from.getAddress().getAddress(), from.getPort(), j.cookieTime(),
                j.clientNonce());
        if (age < 0 || age > COOKIE_SECONDS || !Keys.same(expected, j.cookie())) {
            counters.unauthenticated++;
            refuseUnvalidated(from, len, now, Refuse.Reason.BAD_COOKIE,
                    "challenge expired or issued to another address: start again with HELLO");
            return;
        }
        // From here the source address is proven: it received our challenge.
        Room room = byName.get(j.room());
        if (room == null) {
            refuse(from, Refuse.Reason.UNKNOWN_ROOM, "no room '" + j.room() + "' on this server");
            return;
        }
        if (!Join.proves(room.secret, b, 0, len, j.proof())) {
            refuse(from, Refuse.Reason.WRONG_SECRET, "wrong secret for room '" + room.config.name() + "'");
            return;
        }
        String format = j.codec().framesProblem(j.frames());
        if (format != null) {
            refuse(from, Refuse.Reason.BAD_REQUEST, format);
            return;
        }
        Member existing = memberAt(room, from);
        if (existing != null && Arrays.equals(existing.clientNonce, j.clientNonce())) {
            send(from, existing.welcome, existing.welcome.length); // our WELCOME was lost: the same again
            counters.accepted++;
            return;
        }
        if (existing != null) {
            remove(existing, "rejoined from the same address", false);
        }
        if (room.full()) {
            refuse(from, Refuse.Reason.ROOM_FULL, "room '" + room.config.name() + "' is full ("
                    + room.count + " of " + room.config.capacity() + ")");
            return;
        }
        Member m = new Member(room.freeSlot(), room, from, j.clientNonce(), Keys.session(room.secret, j.cookie(),
                j.clientNonce()), uniqueName(room, j.name()), j.labels(), j.codec(), j.frames(), now, config.maxPacketsPerSecond());
        room.put(m);
        if (room.mix != null) {
            room.mix.join(m);
        }
        new Welcome(room.config.capacity(), now, room.nonce, config.timeoutMillis()).write(writer, room.id, m.id);
        int n = finishTo(m.key);
        m.welcome = Arrays.copyOf(writer.array(), n);
        send(from, n);
        counters.accepted++;
        counters.joins++;
        LOG.log(System.Logger.Level.INFO, "{0} joined ({1} channel(s), {2} {3} frames)", m, m.labels.size(), m.codec,
                m.frames);
        broadcastRoster(room);
        if (room.tempo.running()) {
            room.tempo.write(writer);
            send(m.address, finishTo(room.key, room));
        }
        if (room.recorder != null) {
            new Recording(Recording.RECORDING, 0, room.recorder.name(), "").write(writer);
            send(m.address, finishTo(room.key, room));
        }
    }

    private void fromMember(byte[] b, int len, InetSocketAddress from, long now) {
        Header h = reader.header;
        Room room = h.room > 0 && h.room < rooms.length ? rooms[h.room] : null;
        Member m = room != null && h.member > 0 && h.member < room.members.length ? room.members[h.member] : null;
        if (m == null || !m.address.equals(from)) {
            counters.unknown++;
            refuseUnvalidated(from, len, now, Refuse.Reason.NOT_JOINED,
                    "not a member of this room (the server may have restarted): join again");
            return;
        }
        // The tag first: anyone can send packets that claim a member's address, and charging those
        // to its budget would let a stranger mute it. Checking costs about a microsecond.
        if (!reader.verify(m.key)) {
            counters.unauthenticated++;
            m.stats.unauthenticated++;
            return;
        }
        if (!m.bucket.take(now)) {
            counters.rateLimited++;
            m.stats.rateLimited++;
            return;
        }
        switch (m.window.accept(h.sequence)) {
            case DUPLICATE, TOO_OLD -> {
                counters.replayed++;
                m.stats.duplicates++;
                return;
            }
            case GAP -> m.stats.lost += m.window.skipped();
            case LATE -> {
                m.stats.late++;
                m.stats.lost--;
            }
            case NEXT -> {
            }
        }
        m.lastHeard = now;
        m.stats.packets++;
        m.stats.bytes += len;
        try {
            if (memberPacket(room, m, b, len, now)) {
                counters.accepted++;
            } else {
                counters.notAllowed++;
            }
        } catch (MalformedPacketException e) {
            counters.malformed++;
            error(m, ServerError.MALFORMED, h.type + ": " + e.getMessage());
        }
    }

    /** Acts on an authenticated packet from a member; false for a type members may not send. */
    private boolean memberPacket(Room room, Member m, byte[] b, int len, long now) {
        Header h = reader.header;
        switch (h.type) {
            case AUDIO -> audio(room, m, b, len, now);
            case MIDI -> midi(room, m, b, len, now);
            case PING -> {
                int id = reader.get32();
                reader.expectEnd();
                Ping.pong(writer, id, h.senderTime, now);
                send(m.address, finishTo(m.key, room));
            }
            case PONG -> {
                int id = reader.get32();
                long echoed = reader.get64();
                reader.expectEnd();
                if (id == m.pingId) {
                    m.stats.rttMicros = now - echoed;
                }
            }
            case LEAVE -> {
                Leave.read(reader);
                remove(m, "left", false);
            }
            case ROUTE -> {
                m.routing = Routing.read(reader);
                room.generation++;
                if (room.mix != null) {
                    room.mix.route();
                }
                broadcastRoster(room);
            }
            case TEMPO -> tempo(room, Tempo.read(reader), now);
            case RECORD -> record(room, m, Recording.read(reader), now);
            case MIX -> {
                // Checked first, so a malformed one is answered as malformed in either kind of room.
                MixStrips table = MixStrips.read(reader);
                if (room.mix == null) {
                    error(m, ServerError.NOT_ALLOWED, "MIX: room '" + room.config.name()
                            + "' forwards: each member mixes for itself");
                    return false;
                }
                try {
                    room.mix.strips(m, table);
                } catch (IllegalArgumentException e) {
                    throw new MalformedPacketException(e.getMessage());
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The MIDI packet being checked; event loop only. */
    private final MidiEvents midiCheck = new MidiEvents();

    private void audio(Room room, Member m, byte[] b, int len, long now) {
        Header h = reader.header;
        if (h.codec != m.codec || h.channels != m.labels.size() || h.frames != m.frames) {
            throw new MalformedPacketException("audio format differs from the one joined with ("
                    + m.codec + ", " + m.labels.size() + " channel(s), " + m.frames + " frames)");
        }
        m.stats.audioPackets++;
        m.stats.arrival(h.senderTime, now);
        if (room.mix != null) {
            room.mix.offer(m, h, b, System.nanoTime());
        } else {
            forward(room, m, b, len, now);
        }
        if (room.recorder != null) {
            // A PCM packet's own samples only, not the copies of earlier packets that may follow them.
            int own = h.codec == Codec.OPUS ? h.bodyLength : h.partLength();
            room.recorder.audio(m.id, m.name, h.codec, h.channels, h.frames, b, Header.SIZE, own,
                    h.samplePosition, now);
        }
    }

    /**
     * A member's MIDI events go where its audio goes, stamped and re-tagged with the room key as
     * audio is: the body is checked first, so a malformed one is counted and answered, not forwarded.
     */
    private void midi(Room room, Member m, byte[] b, int len, long now) {
        midiCheck.read(reader);
        m.stats.midiPackets++;
        counters.midi++;
        forward(room, m, b, len, now);
    }

    /**
     * Stamps the packet in {@code b} (the server's time, the room's beat, whether the metronome runs),
     * re-tags it with the room key and queues it for every member {@code m} reaches by the routing.
     */
    private void forward(Room room, Member m, byte[] b, int len, long now) {
        int flags = reader.header.flags | Header.FLAG_SERVER_STAMPED | (room.tempo.running() ? Header.FLAG_METRONOME : 0);
        Header.stamp(b, 0, flags, (int) now, room.beatAt(now));
        room.key.sign(b, 0, len - Header.TAG_SIZE);
        for (Member to : room.members) {
            if (to != null && m.reaches(to)) {
                queue(to, b, len);
                counters.forwarded++;
                m.stats.forwarded++;
            }
        }
    }

    private void tempo(Room room, Tempo asked, long now) {
        room.tempo = new Tempo(asked.milliBpm(), asked.beatsPerBar(), now);
        room.lastBeat = -1;
        room.tempo.write(writer);
        broadcast(room);
    }

    private void record(Room room, Member m, Recording asked, long now) {
        if (asked.state() == Recording.START) {
            if (room.recorder != null || room.recordingStarting) {
                return; // already on: idempotent
            }
            room.recordingStarting = true;
            CompletableFuture.supplyAsync(() -> {
                try {
                    return RoomRecorder.start(config.recordDir(), room.config.name(), now, SAMPLE_RATE);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, io).whenCompleteAsync((rec, failure) -> recordingStarted(room, m.id, rec, failure), loop);
        } else if (asked.state() == Recording.STOP) {
            RoomRecorder rec = room.recorder;
            if (rec == null) {
                return;
            }
            room.recorder = null;
            rec.stop();
            LOG.log(System.Logger.Level.INFO, "room ''{0}'': recording {1} stopped by member {2}",
                    room.config.name(), rec.name(), m.id);
            new Recording(Recording.IDLE, m.id, rec.name(), "").write(writer);
            broadcast(room);
        } else {
            throw new MalformedPacketException("a member asks to START or STOP a recording");
        }
    }

    private void recordingStarted(Room room, int by, RoomRecorder rec, Throwable failure) {
        room.recordingStarting = false;
        if (failure != null) {
            String why = "cannot start recording in " + config.recordDir() + ": " + rootMessage(failure);
            LOG.log(System.Logger.Level.WARNING, "room ''{0}'': {1}", room.config.name(), why);
            new Recording(Recording.FAILED, by, "", why).write(writer);
            broadcast(room);
            return;
        }
        room.recorder = rec;
        room.recordingFailure = null;
        rec.onFailure(why -> loop.execute(() -> recordingFailed(room, rec, why)));
        LOG.log(System.Logger.Level.INFO, "room ''{0}'': recording to {1}", room.config.name(), rec.folder());
        new Recording(Recording.RECORDING, by, rec.name(), "").write(writer);
        broadcast(room);
    }

    private void recordingFailed(Room room, RoomRecorder rec, String why) {
        if (room.recorder == rec) {
            room.recorder = null;
        }
        room.recordingFailure = why;
        LOG.log(System.Logger.Level.WARNING, "room ''{0}'': {1}", room.config.name(), why);
        new Recording(Recording.FAILED, 0, rec.name(), why).write(writer);
        broadcast(room);
    }

    /** Holds a forwarded packet for {@code to} until the end of the read batch ({@link #flushBundles}). */
    private void queue(Member to, byte[] b, int len) {
        if (len + Bundle.ENTRY_OVERHEAD > Bundle.BUDGET) {
            // Larger than any bundle (256 frames of stereo FLOAT32 audio): after what waits, on its own.
            if (!to.outgoing.isEmpty()) {
                to.outgoing.flush(to.room.id, to.address, out);
                counters.sent++;
            }
            out.send(to.address, b, 0, len);
            counters.sent++;
            return;
        }
        if (!to.outgoing.fits(len)) {
            to.outgoing.flush(to.room.id, to.address, out);
            counters.sent++;
        }
        if (!to.waiting) {
            to.waiting = true;
            waiting[waitingCount++] = to;
        }
        to.outgoing.add(b, len);
    }

    /** Sends every member what was forwarded to it in this batch: a few datagrams instead of one a packet. */
    public void flushBundles() {
        for (int i = 0; i < waitingCount; i++) {
            Member m = waiting[i];
            if (!m.outgoing.isEmpty()) {
                m.outgoing.flush(m.room.id, m.address, out);
                counters.sent++;
            }
            m.waiting = false;
            waiting[i] = null;
        }
        waitingCount = 0;
    }

    /** Timeouts, pings, roster refresh, metronome beats and a mix room's meters; flushes nothing itself. */
    void tick() {
        long now = clock.micros();
        long timeout = config.timeoutMillis() * 1000L;
        boolean ping = now - lastPing >= PING_MICROS;
        boolean refresh = now - lastRosterRefresh >= ROSTER_REFRESH_MICROS;
        if (ping) {
            lastPing = now;
        }
        if (refresh) {
            lastRosterRefresh = now;
        }
        for (int r = 1; r < rooms.length; r++) {
            Room room = rooms[r];
            for (Member m : room.members) {
                if (m == null) {
                    continue;
                }
                if (now - m.lastHeard > timeout) {
                    remove(m, "timed out after " + config.timeoutMillis() + " ms of silence", true);
                } else if (ping) {
                    Ping.ping(writer, ++m.pingId, now);
                    send(m.address, finishTo(m.key, room));
                }
            }
            if (refresh && room.count > 0) {
                broadcastRoster(room);
            }
            beats(room, now);
            if (room.mix != null && room.count > 0 && room.mix.levels(writer)) {
                broadcast(room);
            }
        }
        logs.flush(now);
    }

    private void beats(Room room, long now) {
        Tempo t = room.tempo;
        if (!t.running() || room.count == 0) {
            return;
        }
        long beat = (long) ((now - t.epoch()) / t.beatMicros());
        if (beat <= room.lastBeat) {
            return;
        }
        room.lastBeat = beat;
        new Beat((int) beat, (int) (beat % t.beatsPerBar()), t.epoch() + Math.round(beat * t.beatMicros())).write(writer);
        broadcast(room);
    }

    private void remove(Member m, String why, boolean tell) {
        Room room = m.room;
        room.remove(m);
        if (room.mix != null) {
            room.mix.leave(m);
        }
        if (tell) {
            new Leave(why).write(writer);
            send(m.address, finishTo(m.key, room));
        }
        LOG.log(System.Logger.Level.INFO, "{0} {1}", m, why);
        broadcastRoster(room);
    }

    private void broadcastRoster(Room room) {
        List<Roster.Entry> entries = new ArrayList<>(room.count);
        for (Member m : room.members) {
            if (m != null) {
                entries.add(new Roster.Entry(m.id, m.name, m.labels, m.codec, m.frames, m.routing));
            }
        }
        int parts = Math.max(1, (entries.size() + Roster.PER_PART - 1) / Roster.PER_PART);
        for (int p = 0; p < parts; p++) {
            List<Roster.Entry> slice = entries.subList(p * Roster.PER_PART,
                    Math.min(entries.size(), (p + 1) * Roster.PER_PART));
            new Roster(room.generation, p, parts, slice).write(writer);
            broadcast(room);
        }
    }

    /** Sends the packet begun in {@link #writer} to every member of the room, tagged once with the room key. */
    private void broadcast(Room room) {
        int n = finishTo(room.key, room);
        for (Member m : room.members) {
            if (m != null) {
                send(m.address, n);
            }
        }
    }

    private void error(Member m, int code, String message) {
        new ServerError(code, message).write(writer);
        send(m.address, finishTo(m.key, m.room));
    }

    private void refuse(InetSocketAddress to, Refuse.Reason reason, String message) {
        new Refuse(reason, message).write(writer);
        send(to, writer.finish(null));
        counters.refusals++;
        logs.log(clock.micros(), reason, System.Logger.Level.INFO, () -> "refusals (" + reason + ")",
                () -> "refused " + Member.format(to) + ": " + message, null);
    }

    /**
     * Tells an address we have not validated why it was not served, but only when the answer is no
     * larger than what it sent (never an amplifier) and the source is within its handshake rate.
     */
    private void refuseUnvalidated(InetSocketAddress to, int receivedLength, long now, Refuse.Reason reason,
                                   String message) {
        new Refuse(reason, message).write(writer);
        int n = writer.finish(null);
        if (n <= receivedLength && handshakeAllowed(to, now)) {
            send(to, n);
        }
    }

    private int finishTo(PacketKey key, Room room) {
        writer.header.room = room.id;
        return finishTo(key);
    }

    private int finishTo(PacketKey key) {
        writer.header.sequence = serverSequence++;
        writer.header.senderTime = writer.header.type == PacketType.PONG || writer.header.type == PacketType.PING
                ? writer.header.senderTime : clock.micros();
        return writer.finish(key);
    }

    private void send(InetSocketAddress to, int len) {
        send(to, writer.array(), len);
    }

    private void send(InetSocketAddress to, byte[] b, int len) {
        out.send(to, b, 0, len);
        counters.sent++;
    }

    private boolean handshakeAllowed(InetSocketAddress from, long now) {
        if (handshakeBuckets.size() > MAX_HANDSHAKE_SOURCES) {
            handshakeBuckets.clear(); // a flood of sources: forget them all rather than grow without bound
        }
        return handshakeBuckets.computeIfAbsent(from.getAddress(),
                a -> new TokenBucket(HANDSHAKES_PER_SECOND, HANDSHAKES_PER_SECOND, now, TimeUnit.MICROSECONDS)).take(now);
    }

    /**
     * The roster goes to every box, and two players called Ann could not tell which is which: a
     * name already taken in the room (ignoring case) gets the first free " (2)", " (3)"...,
     * shortening the name where the suffix would not fit the wire's limit.
     */
    static String uniqueName(Room room, String name) {
        if (!taken(room, name)) {
            return name;
        }
        for (int k = 2; ; k++) {
            String suffix = " (" + k + ")";
            String candidate = Text.fit(name, Limits.MEMBER_NAME - suffix.length()).stripTrailing() + suffix;
            if (!taken(room, candidate)) {
                return candidate;
            }
        }
    }

    private static boolean taken(Room room, String name) {
        for (Member m : room.members) {
            if (m != null && m.name.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static Member memberAt(Room room, InetSocketAddress address) {
        for (Member m : room.members) {
            if (m != null && m.address.equals(address)) {
                return m;
            }
        }
        return null;
    }

    private static int timeSlot(long now) {
        return (int) (now / 1_000_000);
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** Stops every recording (server shutdown). */
    void stopRecordings() {
        for (int r = 1; r < rooms.length; r++) {
            if (rooms[r].recorder != null) {
                rooms[r].recorder.close();
                rooms[r].recorder = null;
            }
        }
    }

    /** A consistent picture of rooms, members and counters; call on the event loop. */
    ServerStatus status() {
        long now = clock.micros();
        List<ServerStatus.RoomStatus> list = new ArrayList<>();
        for (int r = 1; r < rooms.length; r++) {
            Room room = rooms[r];
            List<ServerStatus.MemberStatus> members = new ArrayList<>();
            for (Member m : room.members) {
                if (m != null) {
                    members.add(ServerStatus.MemberStatus.of(m, now));
                }
            }
            list.add(new ServerStatus.RoomStatus(room.id, room.config.name(), room.config.capacity(),
                    room.mix != null ? "mix" : "forward", members,
                    room.tempo.milliBpm() / 1000.0, room.tempo.beatsPerBar(),
                    room.recorder == null ? null : room.recorder.name(), room.recordingFailure));
        }
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("received", counters.received);
        c.put("accepted", counters.accepted);
        c.put("refused", counters.refusals);
        c.put("malformed", counters.malformed);
        c.put("unauthenticated", counters.unauthenticated);
        c.put("unknown", counters.unknown);
        c.put("rate_limited", counters.rateLimited);
        c.put("replayed", counters.replayed);
        c.put("not_allowed", counters.notAllowed);
        c.put("forwarded", counters.forwarded);
        c.put("mixed", counters.mixed);
        c.put("midi", counters.midi);
        c.put("sent", counters.sent);
        c.put("challenges", counters.challenges);
        c.put("joins", counters.joins);
        c.put("socket_errors", counters.socketErrors);
        ServerStatus.Mix mix = null;
        if (mixTick != null) {
            long unsent = 0;
            for (MixRoom r : mixRooms) {
                unsent += r.unsent();
            }
            mix = new ServerStatus.Mix(mixTick.blocks(), mixTick.skipped(), unsent);
        }
        return new ServerStatus(now, list, c, mix);
    }
}
