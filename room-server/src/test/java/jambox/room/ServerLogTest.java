package jambox.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jambox.protocol.PacketWriter;
import jambox.protocol.message.Hello;
import jambox.room.testnet.PrivateNet;
import jambox.room.testnet.RawUdp;

/** What the server writes to its log and status: addresses one way, and no flood of repeated lines. */
class ServerLogTest {
    private static final String SECRET = "log test secret";
    private final Logger logger = Logger.getLogger("jambox.room");
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        private final SimpleFormatter f = new SimpleFormatter();

        @Override
        public void publish(LogRecord r) {
            records.add(r);
            lines.add(f.formatMessage(r));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        logger.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(capture);
    }

    @Test
    void addressesAreHostColonPortWithIPv6InBracketsAndNoGrouping() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (RoomServer server = RoomServer.start(ServerFixture.PATIENT.withBind(v6).withPort(0).withStatusPort(0),
                List.of(new RoomConfig("jam", SECRET, 16)));
             Player ann = new Player(server.address(), "jam", "Ann", SECRET, 2, v6)) {
            ann.join();
            int serverPort = server.address().getPort();
            int annPort = ann.socket.getLocalPort();
            String status = server.status().get(5, TimeUnit.SECONDS).rooms().get(0).members().get(0).address();
            System.out.println("log: " + lines + "; status address " + status);
            assertEquals("[::1]:" + annPort, status);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("room server on UDP [::1]:" + serverPort + " ")),
                    lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.contains("'Ann' of room 'jam' at [::1]:" + annPort + " joined")),
                    lines.toString());
        }
    }

    /**
     * HELLOs forged from addresses the server has no route to, through a raw socket in a private
     * namespace: each CHALLENGE fails to go out. One log line says so, then a count, not 600 lines.
     */
    @Test
    void repliesThatCannotBeRoutedAreLoggedOnceThenCounted() throws Exception {
        String why = PrivateNet.unavailable();
        Assumptions.assumeTrue(why == null, () -> "skipped: " + why);
        try (PrivateNet net = PrivateNet.create("jblog")) {
            net.run(() -> {
                unroutable();
                return null;
            });
        }
    }

    private void unroutable() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (RoomServer server = RoomServer.start(ServerFixture.PATIENT.withBind(lo).withPort(0).withStatusPort(0),
                List.of(new RoomConfig("jam", SECRET, 16)));
             RawUdp raw = new RawUdp()) {
            PacketWriter w = new PacketWriter();
            new Hello(new byte[16]).write(w);
            int n = w.finish(null);
            int forged = 600;
            for (int i = 0; i < forged; i++) {
                InetSocketAddress from = new InetSocketAddress(InetAddress.getByAddress(
                        new byte[] {10, 9, (byte) (i >> 8), (byte) (i + 1)}), 40_000 + i);
                raw.send(from, server.address(), w.array(), n);
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long errors = 0;
            while (System.nanoTime() < end && (errors = server.status().get(5, TimeUnit.SECONDS).counters()
                    .getOrDefault("socket_errors", 0L)) < forged * 0.9) {
                Thread.sleep(20);
            }
            // Still serving: a real player joins.
            try (Player ann = new Player(server.address(), "jam", "Ann", SECRET, 2, lo)) {
                ann.join();
            }
            long severe = records.stream().filter(r -> r.getLevel().intValue() >= Level.SEVERE.intValue()).count();
            System.out.printf("unroutable: %d forged HELLOs, %d socket errors counted, %d SEVERE lines: %s%n", forged,
                    errors, severe, lines.stream().filter(l -> l.contains("UDP socket")).findFirst().orElse("none"));
            assertTrue(errors >= forged * 0.9, "the failed replies were counted: " + errors);
            assertTrue(severe <= 2, severe + " SEVERE lines for one kind of failure");
        }
    }
}
