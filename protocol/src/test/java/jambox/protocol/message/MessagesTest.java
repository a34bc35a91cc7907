package jambox.protocol.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import jambox.protocol.Codec;
import jambox.protocol.Header;
import jambox.protocol.MalformedPacketException;
import jambox.protocol.PacketKey;
import jambox.protocol.PacketReader;
import jambox.protocol.PacketWriter;
import jambox.protocol.Problem;

/**
 * Every message: the exact bytes for fixed inputs (golden vectors in test resources; a change to
 * them is a change of the wire format and of Header.VERSION), the round trip, and every way a
 * body can be cut short or overlong.
 */
class MessagesTest {
    static final PacketKey KEY = new PacketKey(seq(32, 1));
    static final Path GOLDEN = Path.of("src/test/resources/jambox/protocol/golden");

    static byte[] seq(int n, int from) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    record Case(Consumer<PacketWriter> write, Function<PacketReader, Object> read, Object expected) {
    }

    static Map<String, Case> cases() {
        Map<String, Case> m = new LinkedHashMap<>();
        Challenge challenge = new Challenge(42, seq(16, 0x10), seq(16, 0x20));
        Hello hello = new Hello(seq(16, 0x20));
        m.put("hello", new Case(hello::write, Hello::read, hello));
        m.put("challenge", new Case(challenge::write, Challenge::read, challenge));
        m.put("join", new Case(w -> Join.write(w, challenge, "jam", "Zoë 🎸", List.of("guitar", "mic"), Codec.PCM24, 128,
                "open sesame".getBytes(StandardCharsets.UTF_8)), Join::read, null));
        Welcome welcome = new Welcome(16, 1_000_000, seq(16, 0x30), 1000);
        m.put("welcome", new Case(w -> welcome.write(w, 2, 5), Welcome::read, welcome));
        Refuse refuse = new Refuse(Refuse.Reason.ROOM_FULL, "room 'jam' is full (16 of 16)");
        m.put("refuse", new Case(refuse::write, Refuse::read, refuse));
        Leave leave = new Leave("bye");
        m.put("leave", new Case(leave::write, Leave::read, leave));
        ServerError error = new ServerError(ServerError.MALFORMED, "TEMPO: tempo 500.0 bpm is outside 20..400");
        m.put("error", new Case(error::write, ServerError::read, error));
        Routing routing = new Routing(false, Routing.bit(2) | Routing.bit(64), true, 0);
        m.put("route", new Case(routing::write, Routing::read, routing));
        List<Roster.Entry> entries = new ArrayList<>();
        for (int i = 1; i <= Roster.PER_PART; i++) {
            entries.add(new Roster.Entry(i, i == 3 ? "Zoë 🎸" : "p" + i, i % 2 == 0 ? List.of("left", "right") : List.of("mic"),
                    Codec.PCM16, 64, i == 5 ? routing : Routing.ALL));
        }
        Roster roster = new Roster(7, 0, 2, List.copyOf(entries));
        m.put("roster", new Case(roster::write, Roster::read, roster));
        Tempo tempo = new Tempo(120_000, 4, 5_000_000);
        m.put("tempo", new Case(tempo::write, Tempo::read, tempo));
        Beat beat = new Beat(9, 1, 9_500_000);
        m.put("beat", new Case(beat::write, Beat::read, beat));
        Recording recording = new Recording(Recording.RECORDING, 3, "jam-20261123-150000", "");
        m.put("record", new Case(recording::write, Recording::read, recording));
        MixStrips mix = new MixStrips(List.of(MixStrips.Strip.of(2, 0, -6.5, false, -1), MixStrips.Strip.of(2, 1, 12, true, 0.25),
                MixStrips.Strip.of(64, 1, -120, false, 1)));
        m.put("mix", new Case(mix::write, MixStrips::read, mix));
        Levels levels = new Levels(List.of(new Levels.Level(1, Levels.centiDb(0.5f), false),
                new Levels.Level(3, Levels.MIN_CENTI_DB, false), new Levels.Level(64, Levels.centiDb(1.2f), true)));
        m.put("levels", new Case(levels::write, Levels::read, levels));
        MidiEvents midi = MidiEventsTest.sample();
        m.put("midi", new Case(midi::write, r -> MidiEventsTest.text(new MidiEvents().read(r)), MidiEventsTest.text(midi)));
        m.put("ping", new Case(w -> Ping.ping(w, 77, 123_456), r -> List.of(r.get32(), r.header.senderTime), List.of(77, 123_456L)));
        m.put("pong", new Case(w -> Ping.pong(w, 77, 123_456, 200_000), r -> List.of(r.get32(), r.get64(), r.header.senderTime),
                List.of(77, 123_456L, 200_000L)));
        return m;
    }

    static byte[] bytes(Case c) {
        PacketWriter w = new PacketWriter();
        c.write().accept(w);
        w.header.sequence = 0x01020304;
        int n = w.finish(KEY);
        return Arrays.copyOf(w.array(), n);
    }

    static PacketReader reader(byte[] b) {
        PacketReader r = new PacketReader();
        assertEquals(Problem.NONE, r.read(b, 0, b.length));
        return r;
    }

    @Test
    void everyMessageIsByteForByteItsGoldenVectorAndReadsBack() throws IOException {
        boolean write = Boolean.getBoolean("jambox.golden.write");
        for (Map.Entry<String, Case> e : cases().entrySet()) {
            byte[] b = bytes(e.getValue());
            Path file = GOLDEN.resolve(e.getKey() + ".hex");
            if (write) {
                Files.writeString(file, HexFormat.of().formatHex(b) + "\n");
            }
            assertEquals(Files.readString(file).trim(), HexFormat.of().formatHex(b), e.getKey() + " bytes");
            PacketReader r = reader(b);
            if (r.header.type.tagged) {
                assertTrue(r.verify(KEY), e.getKey() + " tag");
            }
            Object back = e.getValue().read().apply(r);
            if (e.getValue().expected() != null) {
                assertEquals(normal(e.getValue().expected()), normal(back), e.getKey());
            }
        }
    }

    /** Records holding arrays compare by reference: compare their text with arrays spelled out. */
    static String normal(Object o) {
        if (o instanceof Record rec) {
            StringBuilder b = new StringBuilder(rec.getClass().getSimpleName()).append('(');
            for (var c : rec.getClass().getRecordComponents()) {
                try {
                    Object v = c.getAccessor().invoke(rec);
                    b.append(c.getName()).append('=').append(v instanceof byte[] a ? Arrays.toString(a) : normal(v)).append(',');
                } catch (ReflectiveOperationException ex) {
                    throw new IllegalStateException(ex);
                }
            }
            return b.append(')').toString();
        }
        if (o instanceof List<?> l) {
            return l.stream().map(MessagesTest::normal).toList().toString();
        }
        return String.valueOf(o);
    }

    @Test
    void theJoinReadsBackAndItsProofNeedsTheSecret() {
        byte[] b = bytes(cases().get("join"));
        Join j = Join.read(reader(b));
        assertEquals("jam", j.room());
        assertEquals("Zoë 🎸", j.name());
        assertEquals(List.of("guitar", "mic"), j.labels());
        assertEquals(Codec.PCM24, j.codec());
        assertEquals(128, j.frames());
        assertArrayEquals(seq(16, 0x10), j.cookie());
        assertTrue(Join.proves("open sesame".getBytes(StandardCharsets.UTF_8), b, 0, b.length, j.proof()));
        assertTrue(!Join.proves("open sesamE".getBytes(StandardCharsets.UTF_8), b, 0, b.length, j.proof()));
        byte[] renamed = b.clone();
        renamed[Header.SIZE + 4 + 32 + 1] ^= 1; // a byte of the room name: the proof covers it
        assertTrue(!Join.proves("open sesame".getBytes(StandardCharsets.UTF_8), renamed, 0, b.length, j.proof()));
    }

    @Test
    void everyTruncationAndTrailingByteIsMalformedNeverAnotherException() {
        for (Map.Entry<String, Case> e : cases().entrySet()) {
            if (e.getKey().equals("hello")) {
                continue; // its padding is free-form by design
            }
            byte[] good = bytes(e.getValue());
            int body = reader(good).header.bodyLength;
            for (int cut = 0; cut <= body + 1; cut++) {
                if (cut == body) {
                    continue;
                }
                byte[] bad = withBody(good, cut);
                PacketReader r = reader(bad);
                if (e.getKey().equals("ping") || e.getKey().equals("pong")) {
                    continue; // read with plain getters: covered by the truncation of the others
                }
                assertThrows(MalformedPacketException.class, () -> e.getValue().read().apply(r), e.getKey() + " body " + cut);
            }
        }
    }

    /** The packet with its body cut to (or padded with zeros to) n bytes and the header's length to match. */
    static byte[] withBody(byte[] packet, int n) {
        PacketReader r = reader(packet);
        int tag = r.header.type.tagged ? Header.TAG_SIZE : 0;
        byte[] b = new byte[Header.SIZE + n + tag];
        System.arraycopy(packet, 0, b, 0, Header.SIZE + Math.min(n, r.header.bodyLength));
        jambox.protocol.Wire.put16(b, 14, n);
        return b;
    }

    private static void malformed(Consumer<PacketWriter> write, Function<PacketReader, Object> read, String expected) {
        PacketWriter w = new PacketWriter();
        write.accept(w);
        int n = w.finish(KEY);
        PacketReader r = reader(Arrays.copyOf(w.array(), n));
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> read.apply(r));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void outOfRangeFieldsAreMalformedWithAReason() {
        malformed(w -> w.begin(jambox.protocol.PacketType.TEMPO).put32(500_000).put8(4).put64(0), Tempo::read, "outside 20 .. 400");
        malformed(w -> w.begin(jambox.protocol.PacketType.TEMPO).put32(120_000).put8(0).put64(0), Tempo::read, "beats per bar");
        malformed(w -> w.begin(jambox.protocol.PacketType.ROUTE).put8(4).put64(0).put64(0), Routing::read, "unknown bits");
        malformed(w -> w.begin(jambox.protocol.PacketType.ROSTER).put32(1).put8(2).put8(2).put8(0), Roster::read, "part 2 of 2");
        malformed(w -> w.begin(jambox.protocol.PacketType.LEAVE).put8(2).put8(0xC3).put8(0x28), Leave::read, "not valid UTF-8");
        malformed(w -> w.begin(jambox.protocol.PacketType.LEAVE).put8(201).putBytes(new byte[201]), Leave::read, "longer than 200");
        malformed(w -> w.begin(jambox.protocol.PacketType.RECORD).put8(9).put16(0).put8(0).put8(0), Recording::read, "state 9");
        malformed(w -> w.begin(jambox.protocol.PacketType.REFUSE).put8(99).put8(0), Refuse::read, "reason 99");
        jambox.protocol.PacketType mix = jambox.protocol.PacketType.MIX;
        malformed(w -> w.begin(mix).put8(1).put8(0).put8(0).put16(0).put8(0).put16(0), MixStrips::read, "member 0");
        malformed(w -> w.begin(mix).put8(1).put8(65).put8(0).put16(0).put8(0).put16(0), MixStrips::read, "member 65");
        malformed(w -> w.begin(mix).put8(1).put8(1).put8(2).put16(0).put8(0).put16(0), MixStrips::read, "channel 2");
        malformed(w -> w.begin(mix).put8(1).put8(1).put8(0).put16(1201).put8(0).put16(0), MixStrips::read, "12.01 dB");
        malformed(w -> w.begin(mix).put8(1).put8(1).put8(0).put16(-12001).put8(0).put16(0), MixStrips::read, "-120.01 dB");
        malformed(w -> w.begin(mix).put8(1).put8(1).put8(0).put16(0).put8(2).put16(0), MixStrips::read, "unknown bits");
        malformed(w -> w.begin(mix).put8(1).put8(1).put8(0).put16(0).put8(0).put16(-10001), MixStrips::read, "pan -1.0001");
        malformed(w -> w.begin(mix).put8(2).put8(1).put8(0).put16(0).put8(0).put16(0).put8(1).put8(0).put16(5).put8(0).put16(0),
                MixStrips::read, "member 1's channel 0 twice");
        malformed(w -> w.begin(mix).put8(129), MixStrips::read, "129 strips");
        jambox.protocol.PacketType levels = jambox.protocol.PacketType.LEVELS;
        malformed(w -> w.begin(levels).put8(1).put8(0).put16(0).put8(0), Levels::read, "member 0");
        malformed(w -> w.begin(levels).put8(1).put8(65).put16(0).put8(0), Levels::read, "member 65");
        malformed(w -> w.begin(levels).put8(1).put8(1).put16(1201).put8(0), Levels::read, "12.01 dBFS");
        malformed(w -> w.begin(levels).put8(1).put8(1).put16(-12001).put8(0), Levels::read, "-120.01 dBFS");
        malformed(w -> w.begin(levels).put8(1).put8(1).put16(0).put8(2), Levels::read, "unknown bits");
        malformed(w -> w.begin(levels).put8(65), Levels::read, "65 levels");
        for (int channels : new int[] {0, 3}) {
            malformed(w -> w.begin(jambox.protocol.PacketType.JOIN).put32(0).putBytes(new byte[32]).putString("jam", 32)
                    .putString("me", 32).put8(channels), Join::read, "1 or 2 channels");
        }
        for (int frames : new int[] {31, 257}) {
            malformed(w -> w.begin(jambox.protocol.PacketType.JOIN).put32(0).putBytes(new byte[32]).putString("jam", 32)
                    .putString("me", 32).put8(1).putString("g", 16).put8(Codec.PCM16.code).put16(frames), Join::read,
                    "frames per packet " + frames);
        }
        assertThrows(IllegalArgumentException.class, () -> new PacketWriter().begin(jambox.protocol.PacketType.LEAVE)
                .putString("x".repeat(33), 32), "the writer refuses what the reader would");
    }
}
