package jambox.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.protocol.Header;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.message.Beat;
import jambox.protocol.message.Recording;
import jambox.protocol.message.Refuse;
import jambox.protocol.message.ServerError;
import jambox.protocol.message.Tempo;

/** Loss, lateness, replays, rate limits, the metronome and a server restart, seen from real players. */
class MemberStatsTest extends ServerFixture {

    private static byte[] audioPacket(Player p, int k) {
        int len = p.session.audio(block(k), System.nanoTime() / 1000, 64L * k);
        return Arrays.copyOf(p.session.writer().array(), len);
    }

    @Test
    void gapsLateArrivalsAndReplaysAreCountedAndReplaysNotForwarded() throws Exception {
        start(PATIENT, new RoomConfig("jam", SECRET, 16));
        Player a = joined("Ann");
        Player b = joined("Bob");
        List<byte[]> packets = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            packets.add(audioPacket(a, k));
        }
        // 0..4, then 10..12 (a gap of 5), then 6 late, then 0 again (a replay), then 13.
        for (int k : new int[] {0, 1, 2, 3, 4, 10, 11, 12, 6, 0, 13}) {
            a.sendRaw(packets.get(k), packets.get(k).length);
        }
        List<Long> positions = new ArrayList<>();
        Player.Packet p;
        while ((p = b.await(500, PacketType.AUDIO)) != null) {
            positions.add(p.samplePosition() / 64);
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 10L, 11L, 12L, 6L, 13L), positions, "the replay is not forwarded");
        ServerStatus.MemberStatus ann = status().rooms().get(0).members().get(0);
        assertEquals(4, ann.lost(), "5..9 skipped, 6 came late: 4 lost");
        assertEquals(1, ann.late());
        assertEquals(1, ann.duplicates());
        assertEquals(1L, status().counters().get("replayed"));
    }

    @Test
    void aMemberOverItsRateIsLimitedAndOthersAreNot() throws Exception {
        start(PATIENT.withMaxPacketsPerSecond(500), new RoomConfig("jam", SECRET, 16));
        Player loud = joined("loud");
        Player calm = joined("calm");
        Player ear = joined("ear");
        long t0 = System.nanoTime();
        for (int k = 0; k < 3000; k++) {
            loud.sendAudio(block(k), 64L * k);
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        for (int k = 0; k < 20; k++) {
            calm.sendAudio(block(k), 64L * k);
            Thread.sleep(10);
        }
        int fromLoud = 0;
        int fromCalm = 0;
        Player.Packet p;
        while ((p = ear.await(500, PacketType.AUDIO)) != null) {
            if (p.member() == 1) {
                fromLoud++;
            } else {
                fromCalm++;
            }
        }
        ServerStatus.MemberStatus s = status().rooms().get(0).members().get(0);
        assertTrue(s.rateLimited() > 0, "limited: " + s.rateLimited());
        double allowed = 500 / 4.0 + 500 * (elapsed + 0.5) + 1; // the burst, then the rate
        assertTrue(fromLoud <= allowed && fromLoud >= 100, fromLoud + " forwarded, at most " + allowed);
        assertEquals(3000, fromLoud + s.rateLimited(), "every packet forwarded or limited");
        assertEquals(20, fromCalm, "the calm member is not limited");
    }

    @Test
    void theMetronomeTicksOnTheServerClockAndStampsForwardedAudio() throws Exception {
        start(PATIENT, new RoomConfig("jam", SECRET, 16));
        Player a = joined("Ann");
        Player b = joined("Bob");
        new Tempo(120_000, 4, 0).write(a.session.writer());
        a.sendSealed();
        Tempo t = Tempo.read(b.await(2000, PacketType.TEMPO).reader());
        assertEquals(120_000, t.milliBpm());
        assertEquals(4, t.beatsPerBar());
        List<Beat> beats = new ArrayList<>();
        while (beats.size() < 4) {
            Player.Packet p = b.await(2000, PacketType.BEAT);
            assertNotNull(p, "beats keep coming");
            beats.add(Beat.read(p.reader()));
        }
        for (int i = 1; i < beats.size(); i++) {
            assertEquals(beats.get(i - 1).number() + 1, beats.get(i).number());
            assertEquals(beats.get(i).number() % 4, beats.get(i).inBar());
            assertEquals(500_000, beats.get(i).serverTime() - beats.get(i - 1).serverTime(), 1, "beat spacing in us");
            assertEquals(t.epoch() + 500_000L * beats.get(i).number(), beats.get(i).serverTime(), 1);
        }
        a.sendAudio(block(0), 0);
        Player.Packet first = b.await(2000, PacketType.AUDIO);
        Thread.sleep(250);
        a.sendAudio(block(1), 64);
        Player.Packet second = b.await(2000, PacketType.AUDIO);
        assertTrue((first.flags() & Header.FLAG_METRONOME) != 0);
        int step = second.beat() - first.beat();
        assertTrue(step > 90 && step < 250, "250 ms at 120 bpm is half a beat (128 in 24.8): " + step);
        int serverStep = second.serverTime() - first.serverTime();
        assertTrue(serverStep >= 240_000 && serverStep < 400_000, "server stamps 250 ms apart: " + serverStep);

        // Out of range: an ERROR back, and nothing changes.
        var w = a.session.writer();
        new Tempo(120_000, 4, 0).write(w);
        jambox.protocol.Wire.put32(w.array(), Header.SIZE, 500_000);
        a.sendSealed();
        Player.Packet err = a.await(2000, PacketType.ERROR);
        assertNotNull(err);
        ServerError e = ServerError.read(err.reader());
        assertEquals(ServerError.MALFORMED, e.code());
        assertTrue(e.message().contains("bpm"), e.message());
        assertEquals(120.0, status().rooms().get(0).tempoBpm());

        new Tempo(0, 4, 0).write(a.session.writer());
        a.sendSealed();
        assertNotNull(b.await(2000, PacketType.TEMPO));
        while (b.await(100, PacketType.BEAT) != null) {
            // the last ticks in flight
        }
        assertNull(b.await(700, PacketType.BEAT), "stopped: no more beats");
    }

    @Test
    void afterAServerRestartAMemberIsToldToJoinAgainAndCan() throws Exception {
        start(PATIENT, new RoomConfig("jam", SECRET, 16));
        int port = server.address().getPort();
        Player a = joined("Ann");
        server.close();
        open.remove(server);
        server = RoomServer.start(PATIENT.withPort(port).withStatusPort(0),
                List.of(new RoomConfig("jam", SECRET, 16)));
        open.add(server);
        a.sendAudio(block(0), 0);
        PacketReader r = new PacketReader();
        byte[] answer;
        do { // skip what the old server sent before it went
            answer = a.receiveRaw(2000);
            assertNotNull(answer, "the new server answers a stranger's tagged packet");
            r.read(answer, 0, answer.length);
        } while (r.header.type != PacketType.REFUSE);
        assertEquals(Refuse.Reason.NOT_JOINED, Refuse.read(r).reason());
        Player again = joined("Ann again");
        Player b = joined("Bob");
        again.sendAudio(block(1), 0);
        assertNotNull(b.await(2000, PacketType.AUDIO), "audio flows on the new server");
    }

    @Test
    void aFullDiskStopsTheRecordingWithAnErrorAndTheRoomPlaysOn(@TempDir Path dir)
            throws Exception {
        Path small = dir.resolve("small");
        Files.createDirectories(small);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(mount.waitFor() == 0, "needs root to mount a small tmpfs");
        try {
            start(PATIENT.withRecordDir(small), new RoomConfig("jam", SECRET, 16));
            Player a = joined("Ann");
            Player b = joined("Bob");
            Recording.request(true).write(a.session.writer());
            a.sendSealed();
            assertEquals(Recording.RECORDING,
                    Recording.read(b.await(3000, PacketType.RECORD).reader()).state());
            Recording failed = null;
            int k = 0;
            for (long end = System.nanoTime() + 20_000_000_000L; failed == null && System.nanoTime() < end; k++) {
                a.sendAudio(block(k), 64L * k);
                if (k % 8 == 7) {
                    Thread.sleep(10);
                    Player.Packet p;
                    while ((p = b.receive(1)) != null) {
                        if (p.type() == PacketType.RECORD) {
                            failed = Recording.read(p.reader());
                        }
                    }
                }
            }
            assertNotNull(failed, "the room is told when the disk fills");
            assertEquals(Recording.FAILED, failed.state());
            assertTrue(failed.message().contains("No space left on device") && failed.message().contains(small.toString()),
                    failed.message());
            assertEquals(failed.message(), status().rooms().get(0).recordingFailure());
            while (b.receive(200) != null) {
                // what was in flight
            }
            a.sendAudio(block(0), 64L * k);
            assertNotNull(b.await(2000, PacketType.AUDIO), "the server plays on");
        } finally {
            new ProcessBuilder("umount", "-l", small.toString()).start().waitFor();
        }
    }
}
