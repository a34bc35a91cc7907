package jambox.protocol.message;

import jambox.protocol.PacketType;
import jambox.protocol.PacketWriter;

/**
 * Round-trip time, either way. A PING's header carries the sender's clock; its body a ping id. The
 * PONG echoes the id and that time, so the pinger subtracts it from its own clock. No allocation:
 * read the bodies with {@code get32()} then {@code get64()}.
 */
public final class Ping {
    private Ping() {
    }

    public static void ping(PacketWriter w, int id, long now) {
        w.begin(PacketType.PING).put32(id);
        w.header.senderTime = now;
    }

    public static void pong(PacketWriter w, int id, long pingTime, long now) {
        w.begin(PacketType.PONG).put32(id).put64(pingTime);
        w.header.senderTime = now;
    }
}
