package jambox.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import jambox.protocol.PacketType;
import jambox.room.testnet.PrivateNet;
import jambox.room.testnet.RawUdp;

/**
 * Packets that claim a member's source address but carry a wrong tag, sent through a raw socket in
 * a private network namespace (so the forgery stays there), against a real server and real players.
 */
class ForgedSourceTest {
    private static final String SECRET = "forged source test";

    @Test
    void aFloodOfBadlyTaggedPacketsFromAMembersAddressDoesNotMuteIt() throws Exception {
        String why = PrivateNet.unavailable();
        Assumptions.assumeTrue(why == null, () -> "skipped: " + why);
        try (PrivateNet net = PrivateNet.create("jbforge")) {
            net.run(() -> {
                flood();
                return null;
            });
        }
    }

    private static void flood() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (RoomServer server = RoomServer.start(ServerFixture.PATIENT.withBind(lo).withPort(0).withStatusPort(0)
                .withMaxPacketsPerSecond(1000), List.of(new RoomConfig("jam", SECRET, 16)));
             Player ann = new Player(server.address(), "jam", "Ann", SECRET, 2, lo);
             Player bob = new Player(server.address(), "jam", "Bob", SECRET, 2, lo);
             RawUdp raw = new RawUdp()) {
            ann.join();
            bob.join();
            // A well-formed packet of Ann's with its tag spoiled: what an off-path attacker can make.
            int n = ann.session.audio(ServerFixture.block(0), 0, 0);
            byte[] forged = Arrays.copyOf(ann.session.writer().array(), n);
            forged[n - 1] ^= 1;
            InetSocketAddress annAt = (InetSocketAddress) ann.socket.getLocalSocketAddress();

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger forgedSent = new AtomicInteger();
            Thread forger = new Thread(() -> {
                while (!stop.get()) {
                    for (int i = 0; i < 100; i++) { // about 10,000 a second: ten times Ann's whole budget
                        raw.send(annAt, server.address(), forged, n);
                    }
                    forgedSent.addAndGet(100);
                    sleep(10);
                }
            }, "forger");
            AtomicInteger atBob = new AtomicInteger();
            Thread listener = new Thread(() -> {
                try {
                    Player.Packet p;
                    while ((p = bob.await(1500, PacketType.AUDIO)) != null) {
                        if (p.member() == ann.session.memberId()) {
                            atBob.incrementAndGet();
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "bob");
            listener.start();
            forger.start();
            int sent = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < end) {
                for (int i = 0; i < 3; i++) { // about 300 a second, well inside 1000
                    ann.sendAudio(ServerFixture.block(sent), 64L * (sent + 1));
                    sent++;
                }
                sleep(10);
            }
            stop.set(true);
            forger.join();
            listener.join();
            ServerStatus s = server.status().get(5, TimeUnit.SECONDS);
            ServerStatus.MemberStatus a = s.rooms().get(0).members().get(0);
            System.out.printf("forged source: %d forged (%d send failures), Ann sent %d, Bob got %d; "
                            + "Ann rate-limited %d, badly tagged from Ann's address %d; server counters %s%n",
                    forgedSent.get(), raw.failures, sent, atBob.get(), a.rateLimited(), a.unauthenticated(),
                    s.counters());
            assertTrue(a.unauthenticated() > 1000, "the forgeries reached the server and were counted apart: "
                    + a.unauthenticated());
            assertEquals(0, a.rateLimited(), "no real packet of Ann's was charged for the forgeries");
            assertTrue(atBob.get() >= sent * 0.95, "Bob heard Ann: " + atBob.get() + " of " + sent);
        }
    }

    private static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
