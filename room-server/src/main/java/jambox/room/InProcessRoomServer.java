package jambox.room;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

import jambox.common.LocalRoomServer;

/** The room server as {@link LocalRoomServer}: one room on loopback, any free ports. For the box's demo. */
public final class InProcessRoomServer implements LocalRoomServer.Provider {

    @Override
    public LocalRoomServer start(String name, String secret, int members) throws IOException {
        RoomServer server = RoomServer.start(ServerConfig.defaults().withBind(InetAddress.getLoopbackAddress())
                .withPort(0).withStatusPort(0), List.of(new RoomConfig(name, secret, members)));
        return new LocalRoomServer() {
            @Override
            public int port() {
                return server.address().getPort();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
