package jambox.bench.room;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import jambox.protocol.Codec;
import jambox.room.RoomConfig;
import jambox.room.RoomService;
import jambox.room.ServerClock;
import jambox.room.ServerConfig;
import jambox.protocol.MemberSession;
import jambox.protocol.PacketReader;
import jambox.protocol.message.Challenge;

/**
 * The room server's own work for one audio packet, without sockets: check, tag, stamp, re-tag and
 * hand to the 7 other members of a room of 8. (In package jambox.room to reach RoomService.)
 * {@code clientPacket} is the member's part alone, to subtract.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ForwardBench {
    private static final byte[] SECRET = "bench secret".getBytes(StandardCharsets.UTF_8);

    private RoomService service;
    private MemberSession sender;
    private InetSocketAddress senderAddress;
    private final float[][] audio = new float[2][64];
    private long position;
    private long sent;
    /** During set-up: the handshake answers, first one first. */
    private final List<byte[]> replies = new ArrayList<>();
    private boolean settingUp = true;

    @Setup
    public void setUp() throws Exception {
        RoomService.Outbox out = (to, b, off, len) -> {
            sent++;
            if (settingUp) {
                replies.add(java.util.Arrays.copyOfRange(b, off, off + len));
            }
        };
        service = new RoomService(ServerConfig.defaults().withMaxPacketsPerSecond(Integer.MAX_VALUE),
                List.of(new RoomConfig("bench", new String(SECRET, StandardCharsets.UTF_8), 8)), new ServerClock(),
                out, Runnable::run, Runnable::run);
        List<MemberSession> members = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            MemberSession m = new MemberSession("bench", "m" + i, List.of("l", "r"), Codec.PCM16, 64, SECRET);
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), 20000 + i);
            replies.clear();
            int hello = m.hello();
            service.receive(m.writer().array().clone(), hello, at);
            PacketReader r = new PacketReader();
            r.read(replies.get(0), 0, replies.get(0).length);
            int join = m.join(Challenge.read(r));
            replies.clear();
            service.receive(m.writer().array().clone(), join, at);
            m.accept(replies.get(0), 0, replies.get(0).length);
            members.add(m);
            if (i == 0) {
                sender = m;
                senderAddress = at;
            }
        }
        settingUp = false;
        for (int i = 0; i < 64; i++) {
            audio[0][i] = (float) Math.sin(i * 0.1);
            audio[1][i] = -audio[0][i];
        }
    }

    @Benchmark
    public int clientPacket() {
        return sender.audio(audio, position, position += 64);
    }

    @Benchmark
    public long clientPacketAndServerForward() {
        int len = sender.audio(audio, position, position += 64);
        service.receive(sender.writer().array(), len, senderAddress);
        service.flushBundles();
        return sent;
    }
}
