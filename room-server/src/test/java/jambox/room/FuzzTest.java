package jambox.room;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import jambox.protocol.Header;
import jambox.protocol.PacketType;
import jambox.protocol.Wire;
import jambox.protocol.message.Ping;

/**
 * 100,000+ random and mutated datagrams at a running server, from a member's own address (so they
 * reach the tag check) and from a stranger. Nothing invalid may be forwarded, every datagram must
 * land in exactly one counter, and the server must go on serving.
 */
class FuzzTest {
    static final int FUZZ = 100_000;
    static final int BATCH = 500;
    static final int VALID_EVERY = 1000;

    @Test
    void randomAndMutatedPacketsAreDroppedCountedAndNeverForwarded() throws Exception {
        RoomServer server = RoomServer.start(ServerConfig.defaults().withPort(0).withStatusPort(0)
                .withTimeoutMillis(600_000).withMaxPacketsPerSecond(1_000_000), List.of(new RoomConfig("jam", "fuzz secret", 16)));
        InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.address().getPort());
        try (server;
             Player a = new Player(at, "jam", "A", "fuzz secret", 2);
             Player b = new Player(at, "jam", "B", "fuzz secret", 2);
             Player c = new Player(at, "jam", "C", "fuzz secret", 1);
             DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            a.join();
            b.join();
            c.join();
            AtomicBoolean running = new AtomicBoolean(true);
            List<byte[]> atB = new CopyOnWriteArrayList<>();
            List<byte[]> atC = new CopyOnWriteArrayList<>();
            Thread tb = listen(b, atB, running);
            Thread tc = listen(c, atC, running);
            AtomicLong strangerBytesBack = new AtomicLong();
            Thread ts = new Thread(() -> {
                byte[] buf = new byte[4096];
                while (running.get()) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        stranger.setSoTimeout(100);
                        stranger.receive(p);
                        strangerBytesBack.addAndGet(p.getLength());
                    } catch (java.io.IOException e) {
                        // timeout: look again
                    }
                }
            });
            ts.start();
            Thread.sleep(300); // the joins' rosters are out of the way
            Map<String, Long> before = server.status().get(5, TimeUnit.SECONDS).counters();

            Random random = new Random(20261123);
            List<byte[]> valid = new ArrayList<>();
            long sent = 0;
            long strangerBytesSent = 0;
            int fuzzed = 0;
            while (fuzzed < FUZZ) {
                for (int i = 0; i < BATCH; i++, fuzzed++) {
                    if (fuzzed % VALID_EVERY == 0) {
                        int len = a.session.audio(RoomServerTest.block(fuzzed), 0, 64L * fuzzed);
                        byte[] p = Arrays.copyOf(a.session.writer().array(), len);
                        valid.add(Arrays.copyOfRange(p, Header.SIZE, len - Header.TAG_SIZE));
                        a.sendRaw(p, len);
                        sent++;
                    }
                    byte[] bad = fuzz(random, a);
                    if (random.nextInt(10) == 0) {
                        stranger.send(new DatagramPacket(bad, bad.length, at));
                        strangerBytesSent += bad.length;
                    } else {
                        a.sendRaw(bad, bad.length);
                    }
                    sent++;
                }
                awaitReceived(server, before.get("received") + sent);
            }
            Map<String, Long> after = server.status().get(5, TimeUnit.SECONDS).counters();
            long received = after.get("received") - before.get("received");
            assertEquals(sent, received, "every datagram reached the server (paced: the kernel dropped none)");
            long accepted = after.get("accepted") - before.get("accepted");
            long drops = 0;
            for (String k : List.of("refused", "malformed", "unauthenticated", "unknown", "rate_limited", "replayed",
                    "not_allowed")) {
                drops += after.get(k) - before.get(k);
            }
            assertEquals(received, accepted + drops, "each datagram in exactly one counter: " + after);
            assertEquals(valid.size(), accepted, "only the valid packets were accepted");
            System.out.printf("fuzz: %d datagrams (%d valid), counters %s%n", sent, valid.size(), after);

            // Nothing invalid was forwarded: B and C got exactly the valid audio, byte for byte.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while ((atB.size() < valid.size() || atC.size() < valid.size()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(200);
            running.set(false);
            tb.join();
            tc.join();
            ts.join();
            for (List<byte[]> got : List.of(atB, atC)) {
                assertEquals(valid.size(), got.size());
                for (int i = 0; i < valid.size(); i++) {
                    assertArrayEquals(valid.get(i), got.get(i), "forwarded packet " + i);
                }
            }
            assertEquals(0, b.rejected + c.rejected, "no datagram at B or C failed their checks");
            assertTrue(strangerBytesBack.get() <= strangerBytesSent,
                    "the stranger got " + strangerBytesBack + " bytes back for " + strangerBytesSent + ": never an amplifier");

            // Still serving: a newcomer joins and hears A.
            try (Player d = new Player(at, "jam", "D", "fuzz secret", 2)) {
                d.join();
                a.sendAudio(RoomServerTest.block(1), 1L << 40);
                assertNotNull(d.await(3000, PacketType.AUDIO), "the server still forwards after the fuzz");
            }
        }
    }

    private static Thread listen(Player p, List<byte[]> audio, AtomicBoolean running) {
        Thread t = new Thread(() -> {
            while (running.get()) {
                try {
                    Player.Packet got = p.receive(100);
                    if (got != null && got.type() == PacketType.AUDIO) {
                        audio.add(got.body());
                    }
                } catch (java.io.IOException e) {
                    return;
                }
            }
        });
        t.start();
        return t;
    }

    private static void awaitReceived(RoomServer server, long target) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.status().get(5, TimeUnit.SECONDS).counters().get("received") < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server did not receive the batch");
            }
            Thread.sleep(2);
        }
    }

    /** One bad datagram: random bytes, a mutated valid packet, or a valid header over junk. */
    static byte[] fuzz(Random r, Player a) {
        switch (r.nextInt(3)) {
            case 0 -> {
                byte[] b = new byte[r.nextInt(2200)];
                r.nextBytes(b);
                return b;
            }
            case 1 -> {
                byte[] original = validPacket(r, a);
                byte[] m = original.clone();
                while (Arrays.equals(m, original)) {
                    m = mutate(r, original);
                }
                return m;
            }
            default -> {
                byte[] original = validPacket(r, a);
                byte[] m = original.clone();
                for (int i = Header.SIZE; i < m.length; i++) {
                    m[i] = (byte) r.nextInt();
                }
                return Arrays.equals(m, original) ? new byte[1] : m;
            }
        }
    }

    private static byte[] validPacket(Random r, Player a) {
        int len;
        if (r.nextBoolean()) {
            len = a.session.audio(RoomServerTest.block(r.nextInt(100)), r.nextLong(), r.nextInt(1 << 20));
        } else {
            Ping.ping(a.session.writer(), r.nextInt(), r.nextLong());
            len = a.session.seal();
        }
        return Arrays.copyOf(a.session.writer().array(), len);
    }

    private static byte[] mutate(Random r, byte[] p) {
        byte[] m = p.clone();
        int edits = 1 + r.nextInt(8);
        for (int e = 0; e < edits; e++) {
            switch (r.nextInt(6)) {
                case 0 -> { // flip a bit
                    int i = r.nextInt(m.length);
                    m[i] ^= (byte) (1 << r.nextInt(8));
                }
                case 1 -> m[r.nextInt(m.length)] = (byte) r.nextInt(); // overwrite a byte
                case 2 -> m = Arrays.copyOf(m, Math.max(0, m.length - 1 - r.nextInt(Math.max(1, m.length)))); // truncate
                case 3 -> m = Arrays.copyOf(m, m.length + 1 + r.nextInt(64)); // extend with zeros
                case 4 -> { // a header field
                    if (m.length >= Header.SIZE) {
                        int[] fields = {2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16};
                        int f = fields[r.nextInt(fields.length)];
                        if (f >= 8) {
                            Wire.put16(m, f, r.nextInt(1 << 16));
                        } else {
                            m[f] = (byte) r.nextInt();
                        }
                    }
                }
                default -> { // claim to be another member, or a type a member may not send
                    if (m.length >= Header.SIZE) {
                        if (r.nextBoolean()) {
                            Wire.put16(m, 10, 2);
                        } else {
                            m[3] = (byte) PacketType.values()[r.nextInt(PacketType.values().length)].code;
                        }
                    }
                }
            }
            if (m.length == 0) {
                return m;
            }
        }
        return m;
    }
}
