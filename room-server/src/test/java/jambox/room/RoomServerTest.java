package jambox.room;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import jambox.protocol.Header;
import jambox.protocol.MemberSession;
import jambox.protocol.PacketType;
import jambox.protocol.message.MidiEvents;
import jambox.protocol.message.Refuse;
import jambox.protocol.message.Roster;
import jambox.protocol.message.Routing;

/** The room server on real loopback sockets, driven by real players through the real handshake. */
class RoomServerTest extends ServerFixture {
    @Test
    void audioFromOneMemberReachesEveryOtherByteExactAndNeverItsSender() throws Exception {
        start(new RoomConfig("jam", SECRET, 16));
        Player a = joined("Ann");
        Player b = joined("Bob");
        Player c = joined("Cy");
        assertEquals(List.of(1, 2, 3), List.of(a.session.memberId(), b.session.memberId(), c.session.memberId()));
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int len = a.session.audio(block(i), System.nanoTime() / 1000, 64L * i);
            sent.add(java.util.Arrays.copyOfRange(a.session.writer().array(), Header.SIZE, len - Header.TAG_SIZE));
            a.sendRaw(a.session.writer().array(), len);
        }
        for (Player listener : List.of(b, c)) {
            for (int i = 0; i < 50; i++) {
                Player.Packet p = listener.await(2000, PacketType.AUDIO);
                assertNotNull(p, listener.session.memberId() + " missed packet " + i);
                assertEquals(1, p.member());
                assertEquals(64L * i, p.samplePosition());
                assertArrayEquals(sent.get(i), p.body(), "audio body of packet " + i);
                assertTrue((p.flags() & Header.FLAG_SERVER_STAMPED) != 0, "stamped by the server");
            }
            assertEquals(0, listener.rejected, "every packet passed the room key's tag check");
        }
        assertNull(a.await(300, PacketType.AUDIO), "the sender hears nothing of its own");
        ServerStatus s = status();
        ServerStatus.MemberStatus ann = s.rooms().get(0).members().get(0);
        assertEquals(50, ann.audioPackets());
        assertEquals(100, ann.forwarded());
        assertEquals(0, ann.lost());
    }

    @Test
    void theSeventeenthPlayerIsRefusedWithAReason() throws Exception {
        start(new RoomConfig("jam", SECRET, RoomConfig.DEFAULT_CAPACITY));
        for (int i = 0; i < 16; i++) {
            joined("p" + i);
        }
        Player late = player("late");
        MemberSession.Refused r = assertThrows(MemberSession.Refused.class, late::join);
        assertEquals(Refuse.Reason.ROOM_FULL, r.refuse.reason());
        assertTrue(r.refuse.message().contains("16 of 16"), r.refuse.message());
    }

    @Test
    void leavingAndTimingOutFreeTheSlot() throws Exception {
        start(ServerConfig.defaults().withTimeoutMillis(1000), new RoomConfig("jam", SECRET, 2));
        Player a = joined("Ann");
        Player b = joined("Bob");
        assertThrows(MemberSession.Refused.class, () -> player("Cy").join());
        new jambox.protocol.message.Leave("bye").write(a.session.writer());
        a.sendSealed();
        Player c = player("Cy");
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (status().rooms().get(0).members().size() != 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        c.join();
        assertEquals(1, c.session.memberId(), "Cy takes Ann's slot");
        // Bob goes quiet (no pings answered, no audio): after the timeout he is gone, and told so.
        // Cy stays: he pings while he waits.
        Player.Packet leave = null;
        for (long end = System.nanoTime() + 5_000_000_000L; leave == null && System.nanoTime() < end; ) {
            jambox.protocol.message.Ping.ping(c.session.writer(), 1, 0);
            c.sendSealed();
            leave = b.await(100, PacketType.LEAVE);
        }
        assertNotNull(leave, "a timed-out member is told");
        List<ServerStatus.MemberStatus> members = status().rooms().get(0).members();
        assertEquals(1, members.size());
        assertEquals("Cy", members.get(0).name());
    }

    @Test
    void aWrongSecretIsRefused() throws Exception {
        start(new RoomConfig("jam", SECRET, 16));
        Player p = player("Eve", "jam", "not the secret", "127.0.0.1", "127.0.0.1");
        MemberSession.Refused r = assertThrows(MemberSession.Refused.class, p::join);
        assertEquals(Refuse.Reason.WRONG_SECRET, r.refuse.reason());
        Player q = player("Eve", "no-such-room", SECRET, "127.0.0.1", "127.0.0.1");
        assertEquals(Refuse.Reason.UNKNOWN_ROOM, assertThrows(MemberSession.Refused.class, q::join).refuse.reason());
        assertEquals(0, status().rooms().get(0).members().size());
    }

    @Test
    void aJoinFromAnotherAddressThanTheChallengedOneFails() throws Exception {
        start(new RoomConfig("jam", SECRET, 16));
        Player victim = player("victim", "jam", SECRET, "127.0.0.1", "127.0.0.3");
        Player attacker = player("attacker", "jam", SECRET, "127.0.0.1", "127.0.0.2");
        // The attacker gets a cookie for its own address ...
        attacker.sendRaw(attacker.session.writer().array(), attacker.session.hello());
        byte[] c = attacker.receiveRaw(2000);
        var r = new jambox.protocol.PacketReader();
        r.read(c, 0, c.length);
        var challenge = jambox.protocol.message.Challenge.read(r);
        int joinLength = attacker.session.join(challenge);
        // ... and sends the JOIN as if from the victim's address (here: from the victim's socket).
        byte[] join = java.util.Arrays.copyOf(attacker.session.writer().array(), joinLength);
        victim.sendRaw(join, join.length);
        byte[] answer = victim.receiveRaw(2000);
        assertNotNull(answer, "refused with a reason");
        r.read(answer, 0, answer.length);
        assertEquals(PacketType.REFUSE, r.header.type);
        assertEquals(Refuse.Reason.BAD_COOKIE, Refuse.read(r).reason());
        assertTrue(answer.length <= join.length, "never more bytes to an unvalidated address than it sent");
        assertEquals(0, status().rooms().get(0).members().size());
        // An unpadded HELLO gets no answer at all: a challenge would be larger than the request.
        byte[] shortHello = java.util.Arrays.copyOf(victim.session.writer().array(), victim.session.hello());
        jambox.protocol.Wire.put16(shortHello, 14, 16);
        victim.sendRaw(shortHello, Header.SIZE + 16);
        assertNull(victim.receiveRaw(300));
        assertTrue(status().counters().get("malformed") >= 1);
    }

    @Test
    void routingChoicesTakeEffect() throws Exception {
        start(new RoomConfig("jam", SECRET, 16));
        Player a = joined("Ann");
        Player b = joined("Bob");
        Player c = joined("Cy");
        // Ann sends only to Bob.
        route(a, new Routing(true, 0, false, Routing.bit(2)));
        awaitRoster(c, 1, r -> !r.sendAll());
        a.sendAudio(block(0), 0);
        assertNotNull(b.await(2000, PacketType.AUDIO));
        assertNull(c.await(300, PacketType.AUDIO), "Cy is not patched to Ann");
        // Ann sends to all again, but Bob now listens to Cy only.
        route(a, Routing.ALL);
        route(b, new Routing(false, Routing.bit(3), true, 0));
        awaitRoster(a, 2, r -> !r.listenAll());
        a.sendAudio(block(1), 64);
        assertNotNull(c.await(2000, PacketType.AUDIO));
        assertNull(b.await(300, PacketType.AUDIO), "Bob stopped listening to Ann");
        c.sendAudio(block(2), 0);
        Player.Packet fromCy = b.await(2000, PacketType.AUDIO);
        assertNotNull(fromCy);
        assertEquals(3, fromCy.member());
    }

    /** MIDI goes exactly where audio goes (the routing decides), re-tagged with the room key; a bad body goes nowhere. */
    @Test
    void midiIsForwardedAsAudioIsAndAMalformedBodyIsCountedNotForwarded() throws Exception {
        start(new RoomConfig("jam", SECRET, 16));
        Player a = joined("Ann");
        Player b = joined("Bob");
        Player c = joined("Cy");
        route(a, new Routing(true, 0, false, Routing.bit(2)));
        awaitRoster(c, 1, r -> !r.sendAll());
        MidiEvents events = new MidiEvents();
        events.count = 1;
        events.sequence[0] = 7;
        events.position[0] = 4096;
        events.length[0] = 3;
        events.data[0][0] = (byte) 0x90;
        events.data[0][1] = 60;
        events.data[0][2] = 100;
        events.fresh = 7;
        events.write(a.session.writer());
        a.sendSealed();
        Player.Packet p = b.await(2000, PacketType.MIDI);
        assertNotNull(p, "Bob, whom Ann sends to, gets her MIDI");
        assertEquals(1, p.member());
        assertEquals(0, b.rejected, "tagged with the room key");
        MidiEvents back = new MidiEvents().read(p.reader());
        assertEquals(4096, back.position[0]);
        assertEquals(60, back.data[0][1]);
        assertNull(c.await(300, PacketType.MIDI), "Cy is not patched to Ann: no MIDI either");
        long malformed = status().counters().get("malformed");
        a.session.writer().begin(PacketType.MIDI).put32(0).put8(1).put32(0).put64(0).put8(2).put8(0xF8).put8(0);
        a.sendSealed();
        assertNull(b.await(300, PacketType.MIDI), "a malformed MIDI packet is not forwarded");
        ServerStatus s = status();
        assertEquals(malformed + 1, s.counters().get("malformed"));
        assertEquals(1L, s.counters().get("midi"));
        assertEquals(1, s.rooms().get(0).members().get(0).midiPackets());
    }

    /** The largest audio packet (256 frames of stereo FLOAT32, 2,100 bytes) is larger than a bundle: it goes on its own. */
    @Test
    void audioPacketsLargerThanABundleAreForwardedWhole() throws Exception {
        start(new RoomConfig("jam", SECRET, 16));
        Player a = new Player(at("127.0.0.1"), "jam", "Ann", SECRET, 2, java.net.InetAddress.getLoopbackAddress(),
                jambox.protocol.Codec.FLOAT32, 256);
        open.add(a);
        a.join();
        Player b = joined("Bob");
        float[][] big = new float[2][256];
        big[0][255] = 0.5f;
        for (int i = 0; i < 5; i++) {
            int len = a.session.audio(big, 0, 256L * i);
            assertEquals(2100, len);
            a.sendRaw(a.session.writer().array(), len);
        }
        for (int i = 0; i < 5; i++) {
            Player.Packet p = b.await(2000, PacketType.AUDIO);
            assertNotNull(p, "packet " + i + " of 2,100 bytes forwarded");
            assertEquals(256L * i, p.samplePosition());
        }
    }

    private static void route(Player p, Routing r) throws IOException {
        r.write(p.session.writer());
        p.sendSealed();
    }

    private static void awaitRoster(Player p, int member, java.util.function.Predicate<Routing> test) throws IOException {
        long end = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < end) {
            Player.Packet packet = p.await(3000, PacketType.ROSTER);
            assertNotNull(packet, "a roster follows a routing change");
            for (Roster.Entry e : Roster.read(packet.reader()).entries()) {
                if (e.member() == member && test.test(e.routing())) {
                    return;
                }
            }
        }
        throw new AssertionError("the roster never showed the routing change");
    }

    /** The roster goes to every box: two players may not look alike in it. */
    @Test
    void aNameAlreadyInTheRoomGetsANumber() throws Exception {
        start(new RoomConfig("jam", SECRET, 16));
        Player first = joined("Ann");
        joined("Ann");
        joined("ANN");
        String longName = "Annabelle-Marie of the Long Name"; // 32 bytes: the wire's limit
        joined(longName);
        joined(longName);
        java.util.Map<Integer, String> roster = new java.util.TreeMap<>();
        long end = System.nanoTime() + 5_000_000_000L;
        while (roster.size() < 5 && System.nanoTime() < end) {
            Player.Packet packet = first.await(3000, PacketType.ROSTER);
            assertNotNull(packet, "a roster");
            roster.clear();
            Roster.read(packet.reader()).entries().forEach(e -> roster.put(e.member(), e.name()));
        }
        assertEquals(java.util.List.of("Ann", "Ann (2)", "ANN (3)", longName, "Annabelle-Marie of the Long (2)"),
                java.util.List.copyOf(roster.values()));
        assertEquals(java.util.List.of("Ann", "Ann (2)", "ANN (3)", longName, "Annabelle-Marie of the Long (2)"),
                status().rooms().get(0).members().stream().map(ServerStatus.MemberStatus::name).toList());
    }

    @Test
    void ipv4AndIpv6PlayersShareARoom() throws Exception {
        start(new RoomConfig("jam", SECRET, 16));
        Player four = player("four", "jam", SECRET, "127.0.0.1", "127.0.0.1");
        Player six = player("six", "jam", SECRET, "::1", "::1");
        four.join();
        six.join();
        four.sendAudio(block(0), 0);
        six.sendAudio(block(1), 0);
        assertEquals(1, six.await(2000, PacketType.AUDIO).member());
        assertEquals(2, four.await(2000, PacketType.AUDIO).member());
        String addresses = status().rooms().get(0).members().stream().map(m -> m.address()).toList().toString();
        assertEquals("[127.0.0.1:" + four.socket.getLocalPort() + ", [::1]:" + six.socket.getLocalPort() + "]",
                addresses, "host:port, IPv6 in brackets and compressed");
    }

    @Test
    void theRosterNamesEveryMemberWithChannelLabels() throws Exception {
        start(new RoomConfig("jam", SECRET, 16));
        Player a = joined("Ann");
        joined("Zoë 🎸");
        Player.Packet p = a.await(2000, PacketType.ROSTER);
        Roster r = Roster.read(p.reader());
        while (r.entries().size() < 2) {
            r = Roster.read(a.await(2000, PacketType.ROSTER).reader());
        }
        assertEquals(List.of("Ann", "Zoë 🎸"), r.entries().stream().map(Roster.Entry::name).toList());
        assertEquals(List.of("left", "right"), r.entries().get(1).labels());
    }

    @Test
    void packetsForOneMemberInOneReadBatchShareADatagram() throws Exception {
        // A 20 ms pause after each read makes every batch large: the bundling path for sure.
        start(ServerConfig.defaults().withBatchMicros(20_000), new RoomConfig("jam", SECRET, 16));
        Player listener = joined("listener");
        List<Player> senders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            senders.add(joined("sender" + i));
        }
        while (listener.receive(300) != null) {
            listener.datagrams = 0; // rosters of the joins: not what is measured here
        }
        listener.datagrams = 0;
        for (int k = 0; k < 10; k++) {
            for (Player s : senders) {
                s.sendAudio(block(k), 64L * k);
            }
        }
        int[] perSender = new int[6];
        for (int i = 0; i < 40; i++) {
            Player.Packet p = listener.await(3000, PacketType.AUDIO);
            assertNotNull(p, "packet " + i + " of 40");
            perSender[p.member()]++;
        }
        assertArrayEquals(new int[] {0, 0, 10, 10, 10, 10}, perSender);
        assertEquals(0, listener.rejected);
        assertTrue(listener.datagrams <= 20, "40 packets came in " + listener.datagrams + " datagrams");
        assertEquals(160L, status().counters().get("forwarded"), "each of 40 packets to 4 others");
    }

    @Test
    void aMemberRecordsTheRoomToOneWavPerMemberPlusAMix(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        start(ServerConfig.defaults().withRecordDir(dir), new RoomConfig("jam", SECRET, 16));
        Player a = joined("Ann");
        Player b = joined("Bob");
        jambox.protocol.message.Recording.request(true).write(a.session.writer());
        a.sendSealed();
        Player.Packet on = b.await(3000, PacketType.RECORD);
        assertNotNull(on, "the room is told");
        var state = jambox.protocol.message.Recording.read(on.reader());
        assertEquals(jambox.protocol.message.Recording.RECORDING, state.state());
        assertEquals(1, state.member());
        for (int k = 0; k < 100; k++) {
            a.sendAudio(block(k), 64L * k);
            if (k % 10 == 9) {
                Thread.sleep(13); // roughly real time, so the recording's clock sees a stream
            }
        }
        jambox.protocol.message.Recording.request(false).write(b.session.writer());
        b.sendSealed();
        assertEquals(jambox.protocol.message.Recording.RECORDING,
                jambox.protocol.message.Recording.read(a.await(3000, PacketType.RECORD).reader()).state());
        Player.Packet off = a.await(3000, PacketType.RECORD);
        assertNotNull(off, "the stop is announced");
        var stopped = jambox.protocol.message.Recording.read(off.reader());
        assertEquals(jambox.protocol.message.Recording.IDLE, stopped.state());
        assertEquals(2, stopped.member(), "Bob stopped it");
        java.nio.file.Path folder = dir.resolve(state.name());
        java.nio.file.Path ann = folder.resolve("member-1-Ann.wav");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline && !(java.nio.file.Files.exists(ann)
                && jambox.room.record.RoomRecorderTest.read(ann)[0].length >= 6400)) {
            Thread.sleep(50);
        }
        float[][] wav = jambox.room.record.RoomRecorderTest.read(ann);
        int first = 0;
        while (first < wav[0].length && wav[0][first] == 0f && wav[1][first] == 0f) {
            first++;
        }
        assertTrue(first >= 0 && first + 6400 <= wav[0].length, "Ann's 6400 frames are in her file, from " + first);
        for (int k = 0; k < 100; k++) {
            float[][] sent = block(k);
            for (int i = 0; i < 64; i++) {
                assertEquals(sent[0][i], wav[0][first + 64 * k + i], 0.5 / 32767 + 1e-6, "L, packet " + k);
                assertEquals(sent[1][i], wav[1][first + 64 * k + i], 0.5 / 32767 + 1e-6, "R, packet " + k);
            }
        }
        float[][] mix = jambox.room.record.RoomRecorderTest.read(folder.resolve("mix.wav"));
        assertEquals(wav[0][first + 100], mix[0][first + 100], 1e-6, "Bob was silent: the mix is Ann");
    }
}
