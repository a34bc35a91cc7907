package jambox.room;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.protocol.Codec;
import jambox.protocol.Header;
import jambox.protocol.MemberSession;
import jambox.protocol.Opus;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketType;
import jambox.protocol.Problem;
import jambox.protocol.message.Challenge;
import jambox.protocol.message.Join;
import jambox.protocol.message.Recording;
import jambox.protocol.message.Refuse;

/** Codec 4 through the real server: forwarded as it came, refused at the wrong size, recorded decoded. */
class OpusServerTest extends ServerFixture {
    private static final int N = Opus.FRAMES;

    private Player opusPlayer(String name) throws Exception {
        Player p = new Player(at("127.0.0.1"), "jam", name, SECRET, 2, InetAddress.getLoopbackAddress(), Codec.OPUS, N);
        open.add(p);
        p.join();
        return p;
    }

    private static float[][] tone(int packet, double hz) {
        float[][] b = new float[2][N];
        for (int i = 0; i < N; i++) {
            float x = (float) (0.5 * Math.sin(2 * Math.PI * hz * (packet * N + i) / Opus.SAMPLE_RATE));
            b[0][i] = x;
            b[1][i] = x;
        }
        return b;
    }

    @Test
    void opusIsForwardedAsItCame() throws Exception {
        start(new RoomConfig("jam", SECRET, 16));
        Player ann = opusPlayer("Ann");
        Player bob = joined("Bob");
        List<byte[]> sent = new ArrayList<>();
        for (int k = 0; k < 40; k++) {
            int len = ann.session.audio(tone(k, 440), System.nanoTime() / 1000, (long) N * k);
            sent.add(Arrays.copyOfRange(ann.session.writer().array(), Header.SIZE, len - Header.TAG_SIZE));
            ann.sendRaw(ann.session.writer().array(), len);
        }
        for (int k = 0; k < 40; k++) {
            Player.Packet p = bob.await(3000, PacketType.AUDIO);
            assertNotNull(p, "packet " + k);
            assertEquals((long) N * k, p.samplePosition());
            assertArrayEquals(sent.get(k), p.body(), "the Opus frame of packet " + k + ", byte for byte");
            assertEquals(Codec.OPUS, p.reader().header.codec);
        }
        assertEquals(Opus.DEFAULT_BITRATE / 8 / 400, sent.get(0).length, "40 bytes a frame at 128 kbit/s");
    }

    @Test
    void opusAtAnotherPacketSizeIsRefusedWithTheReason() throws Exception {
        start(new RoomConfig("jam", SECRET, 16));
        Player p = player("Ann");
        p.sendRaw(p.session.writer().array(), p.session.hello());
        byte[] c = p.receiveRaw(3000);
        PacketReader r = new PacketReader();
        assertNotNull(c);
        assertEquals(Problem.NONE, r.read(c, 0, c.length));
        Challenge challenge = Challenge.read(r);
        p.session.join(challenge); // the session now waits for this challenge's answer
        Join.write(p.session.writer(), challenge, "jam", "Ann", List.of("left", "right"), Codec.OPUS, 64,
                SECRET.getBytes(StandardCharsets.UTF_8));
        p.sendRaw(p.session.writer().array(), p.session.writer().finish(null));
        byte[] answer = p.receiveRaw(3000);
        assertNotNull(answer, "answered");
        MemberSession.Refused refused = assertThrows(MemberSession.Refused.class,
                () -> p.session.accept(answer, 0, answer.length));
        assertEquals(Refuse.Reason.BAD_REQUEST, refused.refuse.reason());
        assertTrue(refused.refuse.message().contains("120 frames per packet, not 64"), refused.refuse.message());
        assertEquals(0, status().rooms().get(0).members().size(), "nobody joined");
    }

    @Test
    void aMalformedOpusPacketIsDroppedNotForwarded() throws Exception {
        start(new RoomConfig("jam", SECRET, 16));
        Player ann = opusPlayer("Ann");
        Player bob = joined("Bob");
        int len = ann.session.audio(tone(0, 440), 1, 0);
        byte[] b = ann.session.writer().array();
        b[Header.SIZE] = (byte) (31 << 3); // a 20 ms frame's table of contents: tag no longer matters, refused first
        ann.sendRaw(b, len);
        ann.sendAudio(tone(1, 440), N);
        Player.Packet p = bob.await(3000, PacketType.AUDIO);
        assertNotNull(p);
        assertEquals(N, p.samplePosition(), "only the good packet came through");
        assertTrue(status().counters().get("malformed") >= 1, "counted as malformed");
    }

    @Test
    void anOpusMemberIsRecordedDecoded(@TempDir Path dir) throws Exception {
        start(ServerConfig.defaults().withRecordDir(dir).withTimeoutMillis(600_000), new RoomConfig("jam", SECRET, 16));
        Player ann = opusPlayer("Ann");
        Player bob = joined("Bob");
        Recording.request(true).write(bob.session.writer());
        bob.sendSealed();
        Player.Packet on = ann.await(3000, PacketType.RECORD);
        assertNotNull(on);
        String name = Recording.read(on.reader()).name();
        int packets = 400; // a second
        for (int k = 0; k < packets; k++) {
            ann.sendAudio(tone(k, 440), (long) N * k);
            if (k % 20 == 19) {
                Thread.sleep(40); // about real time
            }
        }
        Recording.request(false).write(bob.session.writer());
        bob.sendSealed();
        Path wav = dir.resolve(name).resolve("member-1-Ann.wav");
        float[][] audio = new float[2][0];
        int first = 0;
        long deadline = System.nanoTime() + 20_000_000_000L;
        // The codec's delay: the file's sound starts 120 frames late, and the last 120 stay in the decoder.
        int expected = (packets - 1) * N;
        while (System.nanoTime() < deadline && first + expected > audio[0].length) {
            Thread.sleep(100);
            if (Files.exists(wav)) {
                audio = jambox.room.record.RoomRecorderTest.read(wav);
                first = 0;
                while (first < audio[0].length && Math.abs(audio[0][first]) < 1e-4) {
                    first++;
                }
            }
        }
        assertTrue(first + expected <= audio[0].length, "Ann's second is in her file: " + audio[0].length
                + " frames, hers from " + first + "; " + status().counters());
        float[] middle = Arrays.copyOfRange(audio[0], first + N * 40, first + N * 360);
        double hz = frequency(middle);
        double rms = 0;
        for (float v : middle) {
            rms += v * v;
        }
        double db = 10 * Math.log10(rms / middle.length);
        System.out.printf("recorded Opus member: %.2f Hz at %.2f dB%n", hz, db);
        assertEquals(440, hz, 2);
        assertEquals(-9.03, db, 1.5);
    }

    private static double frequency(float[] x) {
        double first = -1;
        double last = -1;
        int crossings = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i - 1] < 0 && x[i] >= 0) {
                double at = i - 1 + x[i - 1] / (double) (x[i - 1] - x[i]);
                if (first < 0) {
                    first = at;
                }
                last = at;
                crossings++;
            }
        }
        return crossings < 2 ? 0 : (crossings - 1) * (double) Opus.SAMPLE_RATE / (last - first);
    }
}
