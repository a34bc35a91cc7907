package jambox.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jambox.protocol.PacketType;
import jambox.protocol.message.MixStrips;
import jambox.protocol.message.ServerError;
import org.junit.jupiter.api.Test;

/**
 * MIX (a member's strip table for a mixing room) reaches a forwarding room: a well-formed one is
 * refused as not allowed, a malformed one as malformed, each answered with the reason, and nothing
 * else changes (the room goes on forwarding). In a mix room it sets the strips (MixRoomTest).
 */
class MixPacketTest extends ServerFixture {
    @Test
    void aForwardingRoomAnswersMixWithNotAllowedAndAMalformedOneWithMalformed() throws Exception {
        start(new RoomConfig("jam", SECRET, 4));
        Player ann = joined("Ann");
        Player bob = joined("Bob");
        long notAllowed = status().counters().get("not_allowed");
        long malformed = status().counters().get("malformed");

        new MixStrips(List.of(MixStrips.Strip.of(2, 0, -6, false, -0.5))).write(ann.session.writer());
        ann.sendSealed();
        Player.Packet e = ann.await(3000, PacketType.ERROR);
        assertNotNull(e, "an answer to MIX");
        ServerError error = ServerError.read(e.reader());
        assertEquals(ServerError.NOT_ALLOWED, error.code());
        assertEquals("MIX: room 'jam' forwards: each member mixes for itself",
                error.message());

        ann.session.writer().begin(PacketType.MIX).put8(1).put8(2).put8(0).put16(1300).put8(0).put16(0);
        ann.sendSealed();
        e = ann.await(3000, PacketType.ERROR);
        assertNotNull(e, "an answer to a malformed MIX");
        error = ServerError.read(e.reader());
        assertEquals(ServerError.MALFORMED, error.code());
        assertTrue(error.message().startsWith("MIX: gain 13.0 dB is outside -120 .. 12"), error.message());

        ServerStatus s = status();
        assertEquals(notAllowed + 1, s.counters().get("not_allowed"));
        assertEquals(malformed + 1, s.counters().get("malformed"));
        assertEquals(2, s.rooms().get(0).members().size(), "both still in the room");
        ann.sendAudio(block(1), 0);
        assertNotNull(bob.await(3000, PacketType.AUDIO), "the room still forwards Ann's audio to Bob");
    }
}
