package jambox.bench.room;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jambox.protocol.Codec;
import jambox.protocol.Header;
import jambox.protocol.MemberSession;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.Problem;
import jambox.protocol.message.Challenge;

/** One simulated player: its own UDP socket and session, joined through the real handshake. */
final class SimulatedMember {
    final int index;
    final int room;
    final DatagramChannel channel;
    final MemberSession session;
    private final InetSocketAddress server;
    private final ByteBuffer out = ByteBuffer.allocateDirect(Header.MAX_PACKET);
    private final float[][] audio;
    long sentInWindow;
    long sendFailures;

    SimulatedMember(int index, int room, String roomName, String secret, int frames, InetSocketAddress server)
            throws IOException {
        this.index = index;
        this.room = room;
        this.server = server;
        this.channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(server.getAddress(), 0));
        channel.socket().setReceiveBufferSize(1 << 20);
        session = new MemberSession(roomName, "sim-" + index, List.of("left", "right"), Codec.PCM16, frames,
                secret.getBytes(StandardCharsets.UTF_8));
        audio = new float[2][frames];
        for (int i = 0; i < frames; i++) {
            audio[0][i] = (float) Math.sin(i * 0.05 * (index + 1));
            audio[1][i] = -audio[0][i];
        }
    }

    void join() throws IOException {
        var socket = channel.socket();
        socket.setSoTimeout(3000);
        socket.send(new DatagramPacket(session.writer().array(), session.hello(), server));
        byte[] in = new byte[Header.MAX_PACKET];
        DatagramPacket p = new DatagramPacket(in, in.length);
        PacketReader r = new PacketReader();
        receive(socket, p);
        if (r.read(in, 0, p.getLength()) != Problem.NONE || r.header.type != PacketType.CHALLENGE) {
            throw new IOException("member " + index + ": no CHALLENGE");
        }
        socket.send(new DatagramPacket(session.writer().array(), session.join(Challenge.read(r)), server));
        p.setLength(in.length);
        receive(socket, p);
        session.accept(in, 0, p.getLength());
        channel.configureBlocking(false);
    }

    private void receive(java.net.DatagramSocket socket, DatagramPacket p) throws IOException {
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            throw new IOException("member " + index + ": the server did not answer the handshake", e);
        }
    }

    /** Sends the next audio packet, stamped with the sender clock {@code nowMicros}. */
    boolean send(long nowMicros, long position) throws IOException {
        int len = session.audio(audio, nowMicros, position);
        out.clear();
        out.put(session.writer().array(), 0, len).flip();
        if (channel.send(out, server) == 0) {
            sendFailures++;
            return false;
        }
        return true;
    }
}
