package jambox.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import jambox.protocol.message.Challenge;
import jambox.protocol.message.Refuse;
import jambox.protocol.message.Welcome;

/** A member's session against a server played by the test with the same key derivations. */
class BundleAndSessionTest {
    static final byte[] SECRET = "open sesame".getBytes(StandardCharsets.UTF_8);
    static final byte[] SERVER_KEY = new byte[32];
    static final byte[] ROOM_NONCE = new byte[16];

    static MemberSession joined() {
        MemberSession s = new MemberSession("jam", "Ann", List.of("l", "r"), Codec.PCM16, 64, SECRET);
        PacketReader r = new PacketReader();
        int n = s.hello();
        assertTrue(n >= Challenge.PACKET_LENGTH, "a HELLO is at least as large as its answer");
        r.read(s.writer().array(), 0, n);
        byte[] nonce = jambox.protocol.message.Hello.read(r).clientNonce();
        byte[] cookie = Keys.cookie(SERVER_KEY, new byte[] {127, 0, 0, 1}, 5000, 1, nonce);
        Challenge c = new Challenge(1, cookie, nonce);
        assertEquals(-1, s.join(new Challenge(1, cookie, new byte[16])), "a challenge for another nonce");
        int join = s.join(c);
        byte[] joinBytes = Arrays.copyOf(s.writer().array(), join);
        r.read(joinBytes, 0, join);
        var j = jambox.protocol.message.Join.read(r);
        assertTrue(jambox.protocol.message.Join.proves(SECRET, joinBytes, 0, join, j.proof()));
        PacketWriter w = new PacketWriter();
        new Welcome(16, 0, ROOM_NONCE, 1000).write(w, 2, 5);
        int len = w.finish(new PacketKey(Keys.session(SECRET, cookie, nonce)));
        s.accept(w.array(), 0, len);
        return s;
    }

    static byte[] fromServer(PacketType type, PacketKey key, int room) {
        PacketWriter w = new PacketWriter();
        w.begin(type);
        if (type == PacketType.AUDIO) {
            w.header.audio(Codec.PCM16, 1, 32);
            w.reserve(64);
        } else {
            w.put32(1).put64(2);
        }
        w.header.room = room;
        return Arrays.copyOf(w.array(), w.finish(key));
    }

    @Test
    void aSessionJoinsSendsTaggedAudioAndAcceptsOnlyRightlyKeyedPackets() {
        MemberSession s = joined();
        assertEquals(5, s.memberId());
        assertEquals(2, s.roomId());
        PacketKey session = new PacketKey(Keys.session(SECRET, Keys.cookie(SERVER_KEY, new byte[] {127, 0, 0, 1}, 5000, 1,
                sessionNonce(s)), sessionNonce(s)));
        PacketKey room = new PacketKey(Keys.room(SECRET, ROOM_NONCE));
        float[][] block = new float[2][64];
        block[0][3] = 0.25f;
        int len = s.audio(block, 10, 640);
        byte[] p = Arrays.copyOf(s.writer().array(), len);
        assertTrue(session.verify(p, 0, len), "the server checks audio with the session key");
        PacketReader r = new PacketReader();
        assertEquals(Problem.NONE, r.read(p, 0, len));
        int seq = r.header.sequence;
        float[][] out = new float[2][64];
        Pcm.decode(Codec.PCM16, p, r.bodyOffset(), 2, 64, out);
        assertEquals(0.25f, out[0][3], 1e-4);
        s.audio(block, 11, 704);
        r.read(s.writer().array(), 0, len);
        assertEquals(seq + 1, r.header.sequence, "one sequence number a packet");

        assertNotNull(receive(s, fromServer(PacketType.AUDIO, room, 2)), "room-wide with the room key");
        assertNotNull(receive(s, fromServer(PacketType.PONG, session, 2)), "unicast with the session key");
        assertNull(receive(s, fromServer(PacketType.AUDIO, session, 2)), "room-wide with the wrong key");
        assertNull(receive(s, fromServer(PacketType.PONG, room, 2)), "unicast with the wrong key");
        assertNull(receive(s, fromServer(PacketType.PONG, session, 3)), "another room");
    }

    private static PacketReader receive(MemberSession s, byte[] p) {
        return s.receive(p, 0, p.length);
    }

    private static byte[] sessionNonce(MemberSession s) {
        PacketReader r = new PacketReader();
        int n = s.hello();
        r.read(s.writer().array(), 0, n);
        return jambox.protocol.message.Hello.read(r).clientNonce();
    }

    @Test
    void aWelcomeFromSomeoneWithoutTheSecretOrARefusalIsNotAJoin() {
        MemberSession s = new MemberSession("jam", "Ann", List.of("g"), Codec.PCM16, 64, SECRET);
        s.hello();
        PacketReader r = new PacketReader();
        r.read(s.writer().array(), 0, s.hello());
        byte[] nonce = jambox.protocol.message.Hello.read(r).clientNonce();
        byte[] cookie = new byte[16];
        s.join(new Challenge(1, cookie, nonce));
        PacketWriter w = new PacketWriter();
        new Welcome(16, 0, ROOM_NONCE, 1000).write(w, 1, 1);
        int forged = w.finish(new PacketKey(Keys.session("guess".getBytes(StandardCharsets.UTF_8), cookie, nonce)));
        assertThrows(MalformedPacketException.class, () -> s.accept(w.array(), 0, forged));
        new Refuse(Refuse.Reason.WRONG_SECRET, "wrong secret for room 'jam'").write(w);
        int refused = w.finish(null);
        MemberSession.Refused e = assertThrows(MemberSession.Refused.class, () -> s.accept(w.array(), 0, refused));
        assertEquals(Refuse.Reason.WRONG_SECRET, e.refuse.reason());
        assertTrue(!s.joined());
    }

    @Test
    void aBundleYieldsEachGoodPacketAndStopsAtABadLength() {
        MemberSession s = joined();
        PacketKey room = new PacketKey(Keys.room(SECRET, ROOM_NONCE));
        byte[] a = fromServer(PacketType.AUDIO, room, 2);
        byte[] forged = fromServer(PacketType.AUDIO, new PacketKey(new byte[32]), 2);
        byte[] bundle = bundle(a, forged, a);
        List<Integer> got = new ArrayList<>();
        assertEquals(1, s.receiveAll(bundle, 0, bundle.length, p -> got.add(p.length())), "the forged one is dropped");
        assertEquals(List.of(a.length, a.length), got);
        byte[] broken = bundle.clone();
        Wire.put16(broken, Header.SIZE + 2 + a.length, 9999); // the second length runs past the end
        got.clear();
        assertEquals(1, s.receiveAll(broken, 0, broken.length, p -> got.add(p.length())));
        assertEquals(1, got.size(), "what came before the bad length");
        byte[] nested = bundle(bundle(a));
        assertEquals(1, s.receiveAll(nested, 0, nested.length, p -> got.add(p.length())), "a bundle in a bundle is not followed");
    }

    static byte[] bundle(byte[]... packets) {
        PacketWriter w = new PacketWriter();
        w.begin(PacketType.BUNDLE);
        for (byte[] p : packets) {
            w.put16(p.length).putBytes(p);
        }
        w.header.room = 2;
        return Arrays.copyOf(w.array(), w.finish(null));
    }
}
