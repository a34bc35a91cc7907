package jambox.room;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jambox.common.TokenBucket;
import jambox.protocol.Codec;
import jambox.protocol.PacketKey;
import jambox.protocol.message.Routing;

/** One player in a room, as the server knows it. Event-loop only. */
final class Member {
    final int id;
    final Room room;
    final InetSocketAddress address;
    final byte[] clientNonce;
    final PacketKey key;
    final String name;
    final List<String> labels;
    final Codec codec;
    final int frames;
    final long joinedAt;
    final ReplayWindow window = new ReplayWindow();
    final MemberStats stats = new MemberStats();
    final TokenBucket bucket;
    final Outgoing outgoing = new Outgoing();
    /** Listed among the members with packets in {@link #outgoing}. */
    boolean waiting;
    /** The WELCOME as sent, so a repeated JOIN (the first answer lost) gets the same answer. */
    byte[] welcome;
    Routing routing = Routing.ALL;
    long lastHeard;
    int pingId;

    Member(int id, Room room, InetSocketAddress address, byte[] clientNonce, byte[] sessionKey, String name,
           List<String> labels, Codec codec, int frames, long now, double maxPacketsPerSecond) {
        this.id = id;
        this.room = room;
        this.address = address;
        this.clientNonce = clientNonce;
        this.key = new PacketKey(sessionKey);
        this.name = name;
        this.labels = labels;
        this.codec = codec;
        this.frames = frames;
        this.joinedAt = now;
        this.lastHeard = now;
        this.bucket = new TokenBucket(maxPacketsPerSecond, Math.max(1, maxPacketsPerSecond / 4), now, TimeUnit.MICROSECONDS);
    }

    /** Whether audio from this member reaches {@code to}: both ends of the patch must agree. */
    boolean reaches(Member to) {
        return to != this && routing.sendsTo(to.id) && to.routing.hears(id);
    }

    @Override
    public String toString() {
        return "member " + id + " '" + name + "' of room '" + room.config.name() + "' at " + format(address);
    }

    /** An address as every log line and the status show it: {@code 127.0.0.1:7891}, {@code [::1]:7891}. */
    static String format(InetSocketAddress a) {
        return io.netty.util.NetUtil.toSocketAddressString(a);
    }
}
