package jambox.room;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;

import jambox.protocol.Codec;
import jambox.protocol.Header;
import jambox.protocol.MemberSession;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.Problem;
import jambox.protocol.message.Challenge;
import jambox.protocol.message.Welcome;

/** A test player on a real UDP socket: joins through the real handshake, sends and receives packets. */
final class Player implements AutoCloseable {
    /** A packet as received and checked: its header and its raw bytes. */
    record Packet(PacketType type, int member, int sequence, long samplePosition, int flags, int serverTime, int beat,
                  byte[] raw) {
        byte[] body() {
            int len = raw.length - Header.SIZE - (type.tagged ? Header.TAG_SIZE : 0);
            return Arrays.copyOfRange(raw, Header.SIZE, Header.SIZE + len);
        }

        PacketReader reader() {
            PacketReader r = new PacketReader();
            if (r.read(raw, 0, raw.length) != Problem.NONE) {
                throw new IllegalStateException("unreadable packet kept");
            }
            return r;
        }
    }

    final DatagramSocket socket;
    final MemberSession session;
    final InetSocketAddress server;
    private final byte[] in = new byte[Header.MAX_PACKET + 64];

    Player(InetSocketAddress server, String room, String name, String secret, int channels) throws IOException {
        this(server, room, name, secret, channels, InetAddress.getLoopbackAddress());
    }

    Player(InetSocketAddress server, String room, String name, String secret, int channels, InetAddress local)
            throws IOException {
        this(server, room, name, secret, channels, local, Codec.PCM16, 64);
    }

    Player(InetSocketAddress server, String room, String name, String secret, int channels, InetAddress local,
           Codec codec, int frames) throws IOException {
        this.server = server;
        this.socket = new DatagramSocket(new InetSocketAddress(local, 0));
        this.session = new MemberSession(room, name, channels == 1 ? List.of("guitar") : List.of("left", "right"),
                codec, frames, secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The whole handshake; throws {@link MemberSession.Refused} when the server says no. */
    Welcome join() throws IOException {
        sendRaw(session.writer().array(), session.hello());
        byte[] c = receiveRaw(2000);
        PacketReader r = new PacketReader();
        if (c == null || r.read(c, 0, c.length) != Problem.NONE || r.header.type != PacketType.CHALLENGE) {
            throw new IOException("no CHALLENGE from the server");
        }
        Challenge challenge = Challenge.read(r);
        sendRaw(session.writer().array(), session.join(challenge));
        byte[] w = receiveRaw(2000);
        if (w == null) {
            throw new IOException("no answer to JOIN");
        }
        return session.accept(w, 0, w.length);
    }

    /** Sends the packet begun in {@code session.writer()}, sealed. */
    void sendSealed() throws IOException {
        sendRaw(session.writer().array(), session.seal());
    }

    void sendAudio(float[][] block, long position) throws IOException {
        sendRaw(session.writer().array(), session.audio(block, System.nanoTime() / 1000, position));
    }

    void sendRaw(byte[] b, int len) throws IOException {
        socket.send(new DatagramPacket(b, len, server));
    }

    /** The next datagram's bytes, or null after {@code millis} of silence. */
    byte[] receiveRaw(int millis) throws IOException {
        socket.setSoTimeout(millis);
        DatagramPacket p = new DatagramPacket(in, in.length);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return Arrays.copyOf(in, p.getLength());
    }

    /**
     * The next packet that passes the session's checks, unpacked from a BUNDLE where the server
     * bundled; others are counted in {@link #rejected} and skipped. Null after {@code millis}.
     */
    Packet receive(int millis) throws IOException {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (unpacked.isEmpty()) {
            int left = (int) ((end - System.nanoTime() + 999_999) / 1_000_000); // rounded up: receive(1) waits 1 ms
            byte[] raw = left > 0 ? receiveRaw(left) : null;
            if (raw == null) {
                return null;
            }
            datagrams++;
            rejected += session.receiveAll(raw, 0, raw.length, r -> {
                Header h = r.header;
                byte[] packet = Arrays.copyOfRange(r.array(), r.offset(), r.offset() + r.length());
                unpacked.add(new Packet(h.type, h.member, h.sequence, h.samplePosition, h.flags, h.serverTime, h.beat,
                        packet));
            });
        }
        return unpacked.poll();
    }

    private final java.util.ArrayDeque<Packet> unpacked = new java.util.ArrayDeque<>();
    /** Datagrams received (a BUNDLE counts once). */
    int datagrams;

    /** The next packet of one of {@code types} within {@code millis}, or null; other packets are skipped. */
    Packet await(int millis, PacketType... types) throws IOException {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (true) {
            int left = (int) ((end - System.nanoTime() + 999_999) / 1_000_000); // rounded up: receive(1) waits 1 ms
            Packet p = left > 0 ? receive(left) : null;
            if (p == null) {
                return null;
            }
            for (PacketType t : types) {
                if (p.type() == t) {
                    return p;
                }
            }
        }
    }

    int rejected;

    @Override
    public void close() {
        socket.close();
    }
}
