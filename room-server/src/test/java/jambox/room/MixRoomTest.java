package jambox.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import jambox.protocol.Codec;
import jambox.protocol.Opus;
import jambox.protocol.PacketType;
import jambox.protocol.Pcm;
import jambox.protocol.message.Levels;
import jambox.protocol.message.MixStrips;

/**
 * A room the server mixes for, on real loopback sockets: three players send tones at their own
 * frequencies in real time, and each gets one stream, from member 0, holding the others' tones and
 * not its own; one player's MIX (mute another) changes its own mix and no one else's; the tick
 * allocates nothing per block.
 */
class MixRoomTest extends ServerFixture {
    static final int RATE = 48_000;
    static final double[] TONES = {375, 625, 875};
    static final float AMPLITUDE = 0.25f;
    static final int WINDOW = 4096;

    /** A player sending its tone and recording the mix it gets back, by the mix's sample position. */
    static final class Band implements AutoCloseable {
        final Player[] players;
        final float[][] heard;
        final long[] first;
        final int[] written;
        /** Per player, per block of 64 of the recording: whether it arrived (the tick skips blocks when stalled). */
        final boolean[][] filled;
        final Thread sender;
        final Thread[] receivers;
        volatile boolean stop;
        volatile MixStrips pending;
        volatile int pendingFrom = -1;
        /** Per player, the LEVELS it received, in order. */
        final List<List<Levels>> levels = new java.util.ArrayList<>();

        Band(Player[] players, int seconds) {
            this.players = players;
            int n = players.length;
            heard = new float[n][RATE * seconds];
            first = new long[n];
            java.util.Arrays.fill(first, -1);
            written = new int[n];
            filled = new boolean[n][RATE * seconds / 64];
            sender = Thread.ofPlatform().name("band-send").start(this::send);
            receivers = new Thread[n];
            for (int p = 0; p < n; p++) {
                levels.add(java.util.Collections.synchronizedList(new java.util.ArrayList<>()));
            }
            for (int p = 0; p < n; p++) {
                int who = p;
                receivers[p] = Thread.ofPlatform().name("band-receive-" + p).start(() -> receive(who));
            }
        }

        private void send() {
            float[][] block = new float[2][64];
            long start = System.nanoTime();
            for (long k = 0; !stop; k++) {
                long due = start + k * 4_000_000L / 3;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                try {
                    MixStrips table = pending;
                    if (table != null) {
                        table.write(players[pendingFrom].session.writer());
                        players[pendingFrom].sendSealed();
                        pending = null;
                    }
                    for (int p = 0; p < players.length; p++) {
                        for (int i = 0; i < 64; i++) {
                            float v = (float) (AMPLITUDE * Math.sin(2 * Math.PI * TONES[p] * (k * 64 + i) / RATE));
                            block[0][i] = v;
                            block[1][i] = v;
                        }
                        players[p].sendAudio(block, k * 64);
                    }
                } catch (java.io.IOException e) {
                    return;
                }
            }
        }

        private void receive(int p) {
            float[][] samples = new float[2][64];
            while (!stop) {
                Player.Packet pk;
                try {
                    pk = players[p].receive(100);
                } catch (java.io.IOException e) {
                    return;
                }
                if (pk != null && pk.type() == PacketType.LEVELS) {
                    levels.get(p).add(Levels.read(pk.reader()));
                    continue;
                }
                if (pk == null || pk.type() != PacketType.AUDIO) {
                    continue;
                }
                if (pk.member() != 0) {
                    throw new AssertionError("player " + p + " got member " + pk.member() + "'s audio in a mix room");
                }
                Pcm.decode(Codec.PCM16, pk.raw(), jambox.protocol.Header.SIZE, 2, 64, samples);
                synchronized (this) {
                    if (first[p] < 0) {
                        first[p] = pk.samplePosition();
                    }
                    long at = pk.samplePosition() - first[p];
                    if (at >= 0 && at + 64 <= heard[p].length) {
                        System.arraycopy(samples[0], 0, heard[p], (int) at, 64);
                        written[p] = (int) Math.max(written[p], at + 64);
                        filled[p][(int) (at / 64)] = true;
                    }
                }
            }
        }

        /**
         * Windows of {@value #WINDOW} samples player {@code p} heard whole (left side), from the
         * last second: the ones a stalled tick left a hole in are left out.
         */
        synchronized List<float[]> windows(int p) {
            int end = written[p] / 64 * 64;
            assertTrue(end >= RATE, "player " + p + " heard only " + end + " samples");
            List<float[]> list = new java.util.ArrayList<>();
            for (int from = end - RATE; from + WINDOW <= end; from += WINDOW) {
                boolean whole = true;
                for (int b = from / 64; b < (from + WINDOW) / 64; b++) {
                    whole &= filled[p][b];
                }
                if (whole) {
                    list.add(java.util.Arrays.copyOfRange(heard[p], from, from + WINDOW));
                }
            }
            assertTrue(list.size() >= 3, "player " + p + ": only " + list.size() + " whole windows in the last second");
            return list;
        }

        void mix(int from, MixStrips table) {
            pendingFrom = from;
            pending = table;
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            sender.join(5000);
            for (Thread t : receivers) {
                t.join(5000);
            }
        }
    }

    @Test
    void eachPlayerHearsTheOthersNotItselfAndItsOwnMixerChangesOnlyItsOwnMix() throws Exception {
        start(new RoomConfig("jam", SECRET, 4, true));
        Player[] ps = {joined("Ann"), joined("Bob"), joined("Cat")};
        double[][] before = new double[3][3];
        double[][] after = new double[3][3];
        Levels annMeters;
        try (Band band = new Band(ps, 30)) {
            Thread.sleep(4000); // the server's buffers and the drift control settle
            System.out.print("MixRoomTest: the server's buffers:\n" + server.mixRoom("jam").describe());
            System.out.println("MixRoomTest: blocks " + server.mixTick().blocks() + ", skipped " + server.mixTick().skipped());
            ServerStatus status = server.status().get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals("mix", status.rooms().getFirst().mode(), "the status says the room's mode");
            assertNotNull(status.mix(), "the status has the mix's counters");
            assertTrue(status.mix().blocks() >= 2000, "4 s of blocks made: " + status.mix());
            assertTrue(status.mix().blocks() <= server.mixTick().blocks(), "the status reads the tick's count: " + status.mix());
            assertTrue(Metrics.text(status).contains("jambox_room_mix_blocks_total{outcome=\"made\"} " + status.mix().blocks()
                    + "\n"), Metrics.text(status));
            for (int p = 0; p < 3; p++) {
                List<float[]> x = band.windows(p);
                for (int t = 0; t < 3; t++) {
                    before[p][t] = level(x, TONES[t]);
                    if (t != p) {
                        double f = peak(x, TONES[t]);
                        System.out.printf("MixRoomTest: player %d hears tone %d at %.2f Hz (sent %.0f), %.1f dB%n", p, t, f,
                                TONES[t], before[p][t]);
                        // Within the drift control's largest correction (2000 ppm, 3.5 cents) and a bit.
                        assertEquals(TONES[t], f, TONES[t] * 0.003, "player " + p + " hears tone " + t + " at its frequency");
                    }
                }
                System.out.printf("MixRoomTest: player %d's mix: %.1f / %.1f / %.1f dB at the three tones%n", p,
                        before[p][0], before[p][1], before[p][2]);
            }
            // The meters: each player gets every member's peak as the server received it, ~20 a second.
            for (int p = 0; p < 3; p++) {
                List<Levels> got = band.levels.get(p);
                System.out.println("MixRoomTest: player " + p + " got " + got.size() + " LEVELS in 4 s, the last "
                        + got.getLast());
                assertTrue(got.size() >= 40, "LEVELS about 20 a second: " + got.size() + " in 4 s");
                assertMeters(got.getLast());
            }
            // Ann (member 1) mutes Bob (member 2), both channels, in her own mix only.
            band.mix(0, new MixStrips(List.of(MixStrips.Strip.of(2, 0, 0, true, 0), MixStrips.Strip.of(2, 1, 0, true, 0))));
            Thread.sleep(1500);
            for (int p = 0; p < 3; p++) {
                List<float[]> x = band.windows(p);
                for (int t = 0; t < 3; t++) {
                    after[p][t] = level(x, TONES[t]);
                }
                System.out.printf("MixRoomTest: after Ann mutes Bob, player %d's mix: %.1f / %.1f / %.1f dB%n", p,
                        after[p][0], after[p][1], after[p][2]);
            }
            annMeters = band.levels.get(0).getLast();
        }
        // A tone of 0.25 on both channels, centred strips: 0.25 x 2 x 0.707 = 0.354 a side, -9 dB.
        for (int p = 0; p < 3; p++) {
            for (int t = 0; t < 3; t++) {
                if (t == p) {
                    assertTrue(before[p][t] < -60, "player " + p + "'s own tone is absent from its mix: " + before[p][t]);
                } else {
                    assertEquals(-9.0, before[p][t], 2.0, "player " + p + " hears tone " + t);
                }
            }
        }
        assertTrue(after[0][1] < -60, "Ann no longer hears Bob: " + after[0][1]);
        // Still on Ann's meters: they show what Bob sends, as a box's own meters do, before her strips.
        assertMeters(annMeters);
        assertEquals(before[0][2], after[0][2], 1.0, "Ann still hears Cat as before");
        for (int p = 1; p < 3; p++) {
            for (int t = 0; t < 3; t++) {
                if (t == p) {
                    assertTrue(after[p][t] < -60, "player " + p + "'s own tone is still absent: " + after[p][t]);
                } else {
                    assertEquals(before[p][t], after[p][t], 1.0, "player " + p + "'s mix is unchanged by Ann's mixer, tone " + t);
                }
            }
        }
        ServerStatus s = status();
        assertTrue(s.counters().get("mixed") > 3 * 2000, "mixes sent: " + s.counters().get("mixed"));
        assertEquals(0, s.counters().get("forwarded"), "a mix room forwards no member's audio");
    }

    @Test
    void theTickAllocatesAlmostNothingPerBlockOnARealServer() throws Exception {
        start(new RoomConfig("jam", SECRET, 8, true));
        Player[] ps = {joined("Ann"), joined("Bob"), joined("Cat")};
        MixTick tick = server.mixTick();
        assertNotNull(tick);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Band band = new Band(ps, 30)) {
            Thread.sleep(3000); // warm-up: C2 compiles the block, buffers settle
            long id = tick.threadId();
            long bytes0 = mx.getThreadAllocatedBytes(id);
            long blocks0 = tick.blocks();
            Thread.sleep(3000);
            long bytes = mx.getThreadAllocatedBytes(id) - bytes0;
            long blocks = tick.blocks() - blocks0;
            System.out.printf("MixRoomTest: the tick made %d blocks for 3 members and allocated %d bytes (%.2f a block),"
                    + " skipped %d%n", blocks, bytes, bytes / (double) blocks, tick.skipped());
            assertTrue(blocks > 1000, "blocks made: " + blocks);
            // The block itself allocates nothing (MixRoomAllocationTest); handing each block to the
            // event loop goes through Netty's task queue, which takes a new chunk now and then.
            assertTrue(bytes <= blocks, "bytes the tick allocated in " + blocks + " blocks: " + bytes);
        }
    }

    /**
     * Issue 19: "in mix mode the server decodes and encodes". Olga joins in Opus (120-frame frames),
     * Ann and Bob in PCM16; all send tones in real time. The server decodes Olga's frames into her
     * buffer, mixes, and codes Olga's mix in Opus on its room-opus thread. Ann hears Olga's tone and
     * Olga hears Ann's and Bob's, each at its frequency and level, and not her own; the tick still
     * allocates (almost) nothing with an Opus listener in the room.
     */
    @Test
    void anOpusMemberAndPcmMembersHearEachOtherThroughTheServersMix() throws Exception {
        start(new RoomConfig("jam", SECRET, 4, true));
        Player ann = joined("Ann");
        Player bob = joined("Bob");
        Player olga = new Player(at("127.0.0.1"), "jam", "Olga", SECRET, 2, InetAddress.getLoopbackAddress(),
                Codec.OPUS, Opus.FRAMES);
        open.add(olga);
        olga.join();
        int seconds = 8;
        float[][] heard = new float[2][RATE * seconds]; // 0: Ann (PCM16 mix), 1: Olga (decoded Opus mix)
        int[] written = new int[2];
        long[] first = {-1, -1};
        int[] opusPackets = new int[1];
        int[] opusInOrder = new int[1];
        java.util.concurrent.atomic.AtomicReference<String> wrong = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread sender = Thread.ofPlatform().name("opus-band-send").start(() -> {
            float[][] block = new float[2][64];
            float[][] frame = new float[2][Opus.FRAMES];
            long start = System.nanoTime();
            long k = 0;
            long j = 0;
            try {
                while (!stop.get()) {
                    long pcmDue = start + k * 4_000_000L / 3;
                    long opusDue = start + j * 2_500_000L;
                    long wait = Math.min(pcmDue, opusDue) - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                        continue;
                    }
                    if (pcmDue <= opusDue) {
                        for (int p = 0; p < 2; p++) {
                            fill(block, TONES[p], k * 64, 64);
                            (p == 0 ? ann : bob).sendAudio(block, k * 64);
                        }
                        k++;
                    } else {
                        fill(frame, TONES[2], j * Opus.FRAMES, Opus.FRAMES);
                        olga.sendAudio(frame, j * Opus.FRAMES);
                        j++;
                    }
                }
            } catch (java.io.IOException e) {
                wrong.compareAndSet(null, "sending: " + e);
            }
        });
        Thread annHears = Thread.ofPlatform().name("ann-hears").start(() -> {
            float[][] samples = new float[2][64];
            try {
                while (!stop.get()) {
                    Player.Packet pk = ann.receive(100);
                    if (pk == null || pk.type() != PacketType.AUDIO) {
                        continue;
                    }
                    Pcm.decode(Codec.PCM16, pk.raw(), jambox.protocol.Header.SIZE, 2, 64, samples);
                    record(heard, written, first, 0, pk.samplePosition(), samples[0], 64);
                }
            } catch (java.io.IOException e) {
                wrong.compareAndSet(null, "Ann receiving: " + e);
            }
        });
        Thread olgaHears = Thread.ofPlatform().name("olga-hears").start(() -> {
            Opus.Decoder decoder = new Opus.Decoder(2);
            float[][] samples = new float[2][Opus.FRAMES];
            int lastSequence = 0;
            try {
                while (!stop.get()) {
                    Player.Packet pk = olga.receive(100);
                    if (pk == null || pk.type() != PacketType.AUDIO) {
                        continue;
                    }
                    jambox.protocol.Header h = pk.reader().header;
                    if (pk.member() != 0 || h.codec != Codec.OPUS || h.frames != Opus.FRAMES || h.channels != 2) {
                        wrong.compareAndSet(null, "Olga got member " + pk.member() + "'s " + h.codec + " x " + h.frames);
                        continue;
                    }
                    if (opusPackets[0]++ > 0 && pk.sequence() == lastSequence + 1) {
                        opusInOrder[0]++;
                    }
                    lastSequence = pk.sequence();
                    decoder.decode(pk.raw(), jambox.protocol.Header.SIZE, h.bodyLength, samples);
                    record(heard, written, first, 1, pk.samplePosition(), samples[0], Opus.FRAMES);
                }
            } catch (java.io.IOException e) {
                wrong.compareAndSet(null, "Olga receiving: " + e);
            }
        });
        MixTick tick = server.mixTick();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long bytes;
        long blocks;
        try {
            Thread.sleep(4000); // the buffers settle, C2 compiles the block and the coder
            long bytes0 = mx.getThreadAllocatedBytes(tick.threadId());
            long blocks0 = tick.blocks();
            Thread.sleep(2000);
            bytes = mx.getThreadAllocatedBytes(tick.threadId()) - bytes0;
            blocks = tick.blocks() - blocks0;
        } finally {
            stop.set(true);
            sender.join(5000);
            annHears.join(5000);
            olgaHears.join(5000);
        }
        assertEquals(null, wrong.get());
        System.out.print("MixRoomTest: the server's buffers with Olga in Opus:\n" + server.mixRoom("jam").describe());
        System.out.printf("MixRoomTest: Olga got %d Opus packets, %d of them next in sequence; the tick made %d blocks and"
                + " allocated %d bytes%n", opusPackets[0], opusInOrder[0], blocks, bytes);
        assertTrue(opusPackets[0] > 400 * 4, "Olga's mix came at 400 packets a second: " + opusPackets[0]);
        assertTrue(opusInOrder[0] > opusPackets[0] * 0.95, "in sequence: " + opusInOrder[0] + " of " + opusPackets[0]);
        assertTrue(bytes <= blocks, "the tick allocated " + bytes + " bytes in " + blocks + " blocks with an Opus listener");
        double[][] level = new double[2][3];
        for (int p = 0; p < 2; p++) {
            List<float[]> x = lastSecond(heard[p], written[p]);
            for (int t = 0; t < 3; t++) {
                level[p][t] = level(x, TONES[t]);
            }
            System.out.printf("MixRoomTest: %s's mix: %.1f / %.1f / %.1f dB at the three tones%n", p == 0 ? "Ann" : "Olga",
                    level[p][0], level[p][1], level[p][2]);
        }
        List<float[]> annHeard = lastSecond(heard[0], written[0]);
        List<float[]> olgaHeard = lastSecond(heard[1], written[1]);
        double olgaAtAnn = peak(annHeard, TONES[2]);
        double annAtOlga = peak(olgaHeard, TONES[0]);
        double bobAtOlga = peak(olgaHeard, TONES[1]);
        System.out.printf("MixRoomTest: Ann hears Olga at %.2f Hz; Olga hears Ann at %.2f Hz and Bob at %.2f Hz%n",
                olgaAtAnn, annAtOlga, bobAtOlga);
        assertEquals(TONES[2], olgaAtAnn, TONES[2] * 0.003, "Ann hears Olga's Opus tone at its frequency");
        assertEquals(TONES[0], annAtOlga, TONES[0] * 0.003, "Olga hears Ann at her frequency, through Opus");
        assertEquals(TONES[1], bobAtOlga, TONES[1] * 0.003, "Olga hears Bob at his frequency, through Opus");
        // A tone of 0.25 on both channels, centred strips: -9 dB a side, as in the PCM room; Opus at
        // 128 kbit/s keeps a tone's level within a dB or so.
        assertEquals(-9.0, level[0][2], 2.0, "Ann hears Olga");
        assertEquals(-9.0, level[1][0], 2.0, "Olga hears Ann");
        assertEquals(-9.0, level[1][1], 2.0, "Olga hears Bob");
        assertTrue(level[0][0] < -60, "Ann's own tone is absent from her mix: " + level[0][0]);
        assertTrue(level[1][2] < -40, "Olga's own tone is absent from her Opus mix: " + level[1][2]);
    }

    /** A LEVELS listing the three players at their tone's peak, 0.25 (-12.0 dBFS), none clipped. */
    private static void assertMeters(Levels l) {
        assertEquals(List.of(1, 2, 3), l.levels().stream().map(Levels.Level::member).toList(), l.toString());
        for (Levels.Level m : l.levels()) {
            assertEquals(20 * Math.log10(AMPLITUDE), m.centiDb() / 100.0, 0.3, "member " + m.member() + "'s peak: " + l);
            assertTrue(!m.clipped(), l.toString());
        }
    }

    private static void fill(float[][] b, double hz, long from, int n) {
        for (int i = 0; i < n; i++) {
            float v = (float) (AMPLITUDE * Math.sin(2 * Math.PI * hz * (from + i) / RATE));
            b[0][i] = v;
            b[1][i] = v;
        }
    }

    private static void record(float[][] heard, int[] written, long[] first, int who, long position, float[] left, int n) {
        synchronized (heard) {
            if (first[who] < 0) {
                first[who] = position;
            }
            long at = position - first[who];
            if (at >= 0 && at + n <= heard[who].length) {
                System.arraycopy(left, 0, heard[who], (int) at, n);
                written[who] = (int) Math.max(written[who], at + n);
            }
        }
    }

    /** Windows of {@value #WINDOW} samples from the last second recorded. */
    private static List<float[]> lastSecond(float[] x, int end) {
        synchronized (x) {
            assertTrue(end >= 2 * RATE, "heard only " + end + " samples");
            List<float[]> list = new java.util.ArrayList<>();
            for (int from = end - RATE; from + WINDOW <= end; from += WINDOW) {
                list.add(java.util.Arrays.copyOfRange(x, from, from + WINDOW));
            }
            return list;
        }
    }

    /** The level of {@code x} at {@code f} Hz in dB of a sine's amplitude (Hann window, Goertzel). */
    static double levelDb(float[] x, double f) {
        double w = 2 * Math.PI * f / RATE;
        double c = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        double sumWin = 0;
        for (int i = 0; i < x.length; i++) {
            double win = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (x.length - 1));
            sumWin += win;
            double s0 = x[i] * win + c * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double power = s1 * s1 + s2 * s2 - c * s1 * s2;
        double amplitude = 2 * Math.sqrt(Math.max(power, 0)) / sumWin;
        return 20 * Math.log10(Math.max(amplitude, 1e-9));
    }

    /** The median over the windows of the level at {@code f}, in dB. */
    static double level(List<float[]> windows, double f) {
        return median(windows.stream().mapToDouble(x -> levelDb(x, f)).toArray());
    }

    /**
     * The median over the windows of the frequency within 20 Hz of {@code near} where each is
     * loudest, to a tenth of a hertz: the median, because a window where a buffer skipped or
     * concealed a packet has a phase jump in it.
     */
    static double peak(List<float[]> windows, double near) {
        double[] found = new double[windows.size()];
        for (int w = 0; w < found.length; w++) {
            double best = near;
            double bestDb = -1e9;
            for (double f = near - 20; f <= near + 20; f += 0.1) {
                double db = levelDb(windows.get(w), f);
                if (db > bestDb) {
                    bestDb = db;
                    best = f;
                }
            }
            found[w] = best;
        }
        return median(found);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
