package jambox.room;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.protocol.Codec;
import jambox.protocol.Header;
import jambox.protocol.PacketType;
import jambox.protocol.message.Recording;
import jambox.room.record.RoomRecorderTest;

/**
 * AUDIO with copies of earlier packets (flag REDUNDANT): the server forwards it as it came, flag
 * and copies included; a recording keeps only each packet's own samples; a malformed form is
 * counted and goes nowhere.
 */
class RedundantAudioTest extends ServerFixture {
    @Test
    void packetsWithCopiesAreForwardedWholeWithTheirFlag() throws Exception {
        start(new RoomConfig("jam", SECRET, 16));
        Player a = joined("Ann");
        Player b = joined("Bob");
        a.session.redundancy(2);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int len = a.session.audio(block(i), 0, 64L * i);
            sent.add(Arrays.copyOfRange(a.session.writer().array(), Header.SIZE, len - Header.TAG_SIZE));
            a.sendRaw(a.session.writer().array(), len);
        }
        for (int i = 0; i < 20; i++) {
            Player.Packet p = b.await(2000, PacketType.AUDIO);
            assertNotNull(p, "packet " + i);
            assertEquals(64L * i, p.samplePosition());
            assertEquals(i > 0, (p.flags() & Header.FLAG_REDUNDANT) != 0, "flag of packet " + i);
            assertEquals(Math.min(i, 2), p.reader().header.copies(), "copies in packet " + i);
            assertArrayEquals(sent.get(i), p.body(), "body of packet " + i);
        }
        assertEquals(0, b.rejected);
        ServerStatus.MemberStatus ann = status().rooms().get(0).members().get(0);
        assertEquals(20, ann.audioPackets());
        assertEquals(20, ann.forwarded());
    }

    @Test
    void theFlagOnABodyOfOnePartIsCountedAsMalformedAndNotForwarded() throws Exception {
        start(new RoomConfig("jam", SECRET, 16));
        Player a = joined("Ann");
        Player b = joined("Bob");
        long malformed = status().counters().get("malformed");
        a.session.writer().begin(PacketType.AUDIO).header.audio(Codec.PCM16, 2, 64).flags = Header.FLAG_REDUNDANT;
        a.session.writer().reserve(256);
        a.sendSealed();
        assertNull(b.await(300, PacketType.AUDIO), "not forwarded");
        assertEquals(malformed + 1, status().counters().get("malformed"));
        a.sendAudio(block(1), 64);
        assertNotNull(b.await(2000, PacketType.AUDIO), "the next good packet goes through");
    }

    @Test
    void aRecordingKeepsEachPacketsOwnSamplesOnly(@TempDir Path dir) throws Exception {
        start(PATIENT.withRecordDir(dir), new RoomConfig("jam", SECRET, 16));
        Player a = joined("Ann");
        Player b = joined("Bob");
        a.session.redundancy(1);
        Recording.request(true).write(a.session.writer());
        a.sendSealed();
        Player.Packet on = b.await(3000, PacketType.RECORD);
        assertNotNull(on);
        Recording state = Recording.read(on.reader());
        assertEquals(Recording.RECORDING, state.state());
        for (int k = 0; k < 100; k++) {
            a.sendAudio(block(k), 64L * k);
            if (k % 10 == 9) {
                Thread.sleep(13);
            }
        }
        Recording.request(false).write(a.session.writer());
        a.sendSealed();
        Path ann = dir.resolve(state.name()).resolve("member-1-Ann.wav");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline && !(Files.exists(ann) && RoomRecorderTest.read(ann)[0].length >= 6400)) {
            Thread.sleep(50);
        }
        float[][] wav = RoomRecorderTest.read(ann);
        int first = 0;
        while (first < wav[0].length && wav[0][first] == 0f && wav[1][first] == 0f) {
            first++;
        }
        assertTrue(first + 6400 <= wav[0].length, "Ann's 6400 frames are in her file, from " + first);
        for (int k = 0; k < 100; k++) {
            float[][] sent = block(k);
            for (int i = 0; i < 64; i++) {
                assertEquals(sent[0][i], wav[0][first + 64 * k + i], 0.5 / 32767 + 1e-6, "L, packet " + k);
                assertEquals(sent[1][i], wav[1][first + 64 * k + i], 0.5 / 32767 + 1e-6, "R, packet " + k);
            }
        }
    }
}
