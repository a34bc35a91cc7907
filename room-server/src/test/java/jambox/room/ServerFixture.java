package jambox.room;


import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;


/** A room server on real loopback sockets and real players that join it through the real handshake. */
abstract class ServerFixture {
    static final String SECRET = "open sesame";
    final List<AutoCloseable> open = new ArrayList<>();
    RoomServer server;

    RoomServer start(ServerConfig config, RoomConfig... rooms) throws IOException {
        server = RoomServer.start(config.withPort(0).withStatusPort(0), List.of(rooms));
        open.add(server);
        return server;
    }

    /** Test players are quiet between steps: on a slow machine they must not time out meanwhile. */
    static final ServerConfig PATIENT = ServerConfig.defaults().withTimeoutMillis(600_000);

    RoomServer start(RoomConfig... rooms) throws IOException {
        return start(PATIENT, rooms);
    }

    InetSocketAddress at(String host) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(host), server.address().getPort());
    }

    Player player(String name) throws IOException {
        return player(name, "jam", SECRET, "127.0.0.1", "127.0.0.1");
    }

    Player player(String name, String room, String secret, String serverHost, String localHost) throws IOException {
        Player p = new Player(at(serverHost), room, name, secret, 2, InetAddress.getByName(localHost));
        open.add(p);
        return p;
    }

    Player joined(String name) throws IOException {
        Player p = player(name);
        p.join();
        return p;
    }

    ServerStatus status() throws Exception {
        return server.status().get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    static float[][] block(int seed) {
        float[][] b = new float[2][64];
        for (int i = 0; i < 64; i++) {
            b[0][i] = (float) Math.sin(0.1 * (seed * 64 + i));
            b[1][i] = (float) Math.cos(0.07 * (seed * 64 + i)) * 0.5f;
        }
        return b;
    }

}
