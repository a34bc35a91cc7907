package jambox.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import jambox.protocol.Codec;
import jambox.protocol.Header;
import jambox.protocol.PacketType;

class JitterBufferTest {
    private static final int PACKETS = 2000;
    private static final double SINE_HZ = 440;
    private static final double SINE_STEP = 0.5 * 2 * Math.PI * SINE_HZ / JitterBuffer.SAMPLE_RATE;

    /** Deterministic noise: every frame of either channel its own value, never silence. */
    private static final Sender.Signal NOISE = (frame, channel) -> {
        long h = (frame * 2 + channel + 1) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return ((h >>> 40) + 1) / (float) (1L << 24) - 0.5f;
    };

    /** Shuffles each block of four packets after the first, by a fixed pattern that mixes them well. */
    private static final int[][] SHUFFLES = {{1, 0, 3, 2}, {3, 1, 0, 2}, {2, 3, 1, 0}, {0, 2, 3, 1}};

    private static JitterBuffer steadyBuffer(int channels) {
        JitterBuffer buffer = new JitterBuffer(channels);
        buffer.setDriftTracking(false);
        buffer.setDepthMode(DepthMode.MANUAL);
        buffer.setManualDepth(6);
        return buffer;
    }

    /** Plays packets arriving reordered within blocks of four, one block per four ticks. */
    private static Playback playReordered(JitterBuffer buffer, Sender sender, int outChannels, int period) {
        Playback p = new Playback(buffer, outChannels, period, (PACKETS + 16) * 64);
        for (int block = 0; block < PACKETS / 4; block++) {
            int[] order = block == 0 ? new int[] {0, 1, 2, 3} : SHUFFLES[block % SHUFFLES.length];
            for (int k : order) {
                p.tick(sender, block * 4L + k);
            }
        }
        return p;
    }

    private static void assertPlaysExactly(Playback p, Sender sender, long fromFrame, int channels) {
        int start = p.firstSound();
        assertTrue(start >= 0, "nothing played");
        int n = p.frames() - start;
        assertTrue(n > (PACKETS - 20) * 64, "played only " + n + " frames");
        for (int c = 0; c < p.played.length; c++) {
            for (int i = 0; i < n; i++) {
                float want = sender.sample(fromFrame + i, Math.min(c, channels - 1));
                if (p.played[c][start + i] != want) {
                    throw new AssertionError("channel " + c + " frame " + i + ": played " + p.played[c][start + i]
                            + ", sent " + want);
                }
            }
        }
    }

    @ParameterizedTest(name = "periods of {0} frames")
    @ValueSource(ints = {32, 64, 128, 256, 512})
    void reorderedPacketsPlayBitExactAtOurRate(int period) {
        Sender sender = new Sender(Codec.FLOAT32, 2, 64, 0xFFFF_FFF0, 123_456L, NOISE);
        JitterBuffer buffer = steadyBuffer(2);
        buffer.setManualDepth(Math.max(6, period / 64 + 4));
        Playback p = playReordered(buffer, sender, 2, period);

        assertPlaysExactly(p, sender, 0, 2);
        JitterStats s = p.stats();
        assertEquals(0, s.late + s.concealed + s.duplicates + s.bad + s.overruns + s.restarts, s.toString());
        assertEquals(PACKETS, s.received);
    }

    @Test
    void monoMemberFeedsBothOutputChannels() {
        Sender sender = new Sender(Codec.PCM24, 1, 32, 7, 0L, NOISE);
        Playback p = new Playback(steadyBuffer(1), 2, 64, (PACKETS + 16) * 64);
        for (long t = 0; t < PACKETS; t++) {
            p.tick(sender, 2 * t + 1, 2 * t);
        }
        int start = p.firstSound();
        for (int i = start; i < p.frames(); i++) {
            assertEquals(p.played[0][i], p.played[1][i]);
        }
        assertEquals(0, p.stats().concealed);
    }

    @Test
    void duplicatesAreDroppedAndCounted() {
        Sender sender = new Sender(Codec.FLOAT32, 1, 64, 1, 0L, NOISE);
        Playback p = new Playback(steadyBuffer(1), 1, 64, (PACKETS + 16) * 64);
        for (long n = 0; n < PACKETS; n++) {
            p.tick(sender, n, n, n >= 3 ? n - 3 : n);
        }
        assertPlaysExactly(p, sender, 0, 1);
        JitterStats s = p.stats();
        assertEquals(2L * PACKETS, s.duplicates, s.toString());
        assertEquals(0, s.concealed + s.late, s.toString());
    }

    @Test
    void missingPacketsAreConcealedWithoutSilenceOrClicks() {
        Sender sender = new Sender(Codec.PCM16, 1, 64, 40, 0L, Sender.sine(SINE_HZ));
        JitterBuffer buffer = new JitterBuffer(1);
        Playback p = new Playback(buffer, 1, 64, (PACKETS + 16) * 64);
        for (long n = 0; n < PACKETS; n++) {
            if (n == 500 || n == 900 || n == 901 || n == 1500 || n == 1501 || n == 1502) {
                p.tick();
            } else {
                p.tick(sender, n);
            }
        }
        JitterStats s = p.stats();
        assertContinuous("concealment: " + s, p);
        assertEquals(6, s.concealed, s.toString());
        assertEquals(6, s.lost, s.toString());
        assertEquals(0, s.dropouts, "short gaps are bridged, not dropouts: " + s);
    }

    /**
     * When the sender stops, the buffer conceals past the last packet that came: that is frames
     * owed, not frames waiting, and the depth the status shows never goes below zero.
     */
    @Test
    void theDepthShownNeverGoesNegativeWhenTheSenderStops() {
        Sender sender = new Sender(Codec.PCM16, 1, 64, 40, 0L, Sender.sine(SINE_HZ));
        Playback p = new Playback(new JitterBuffer(1), 1, 64, 1200 * 64);
        int lowest = Integer.MAX_VALUE;
        for (long n = 0; n < 1000; n++) {
            if (n < 500 || n >= 800) {
                p.tick(sender, n);
            } else {
                p.tick();
            }
            lowest = Math.min(lowest, p.stats().depthFrames);
        }
        assertTrue(lowest >= 0, "depth went down to " + lowest);
        assertTrue(p.stats().depthFrames > 0, "playing again: " + p.stats());
    }

    @Test
    void aGapTooLongToBridgeFadesOutOnceAndIsCountedAsOneDropout() {
        Sender sender = new Sender(Codec.PCM16, 1, 64, 40, 0L, Sender.sine(SINE_HZ));
        JitterBuffer buffer = new JitterBuffer(1);
        buffer.setDepthMode(DepthMode.MANUAL);
        buffer.setManualDepth(4);
        Playback p = new Playback(buffer, 1, 64, (PACKETS + 16) * 64);
        for (long n = 0; n < PACKETS; n++) {
            if (n >= 1000 && n < 1014) { // 14 packets, 18.7 ms: past the 15 ms the concealer holds and fades
                p.tick();
            } else {
                p.tick(sender, n);
            }
        }
        JitterStats s = p.stats();
        int zeros = 0;
        int longest = 0;
        for (int i = p.firstSound(); i < p.frames(); i++) {
            zeros = Math.abs(p.played[0][i]) < 1e-4f ? zeros + 1 : 0;
            longest = Math.max(longest, zeros);
        }
        assertEquals(1, s.dropouts, s.toString());
        assertEquals(14, s.lost, s.toString());
        assertTrue(longest > 32 && longest < 14 * 64 - 600, "a faded gap, then sound again: " + longest + " quiet");
    }

    /** Once sound starts: no run of zeros over 8 samples, no step over 1.5 times the sine's own. */
    private static void assertContinuous(String what, Playback p) {
        int zeros = 0;
        int longestZeros = 0;
        double biggestStep = 0;
        for (int i = p.firstSound() + 1; i < p.frames(); i++) {
            float y = p.played[0][i];
            zeros = y == 0f ? zeros + 1 : 0;
            longestZeros = Math.max(longestZeros, zeros);
            biggestStep = Math.max(biggestStep, Math.abs(y - p.played[0][i - 1]));
        }
        System.out.printf(Locale.ROOT, "%s; longest run of zeros %d, biggest step %.4f (the sine's own %.4f)%n",
                what, longestZeros, biggestStep, SINE_STEP);
        assertTrue(longestZeros <= 8, "a run of " + longestZeros + " zeros");
        assertTrue(biggestStep < 1.5 * SINE_STEP, "a click: step " + biggestStep);
    }

    @Test
    void aBurstThatLeavesFarTooMuchQueuedIsSkippedOnceWithoutSilenceOrClicks() {
        Sender sender = new Sender(Codec.PCM16, 1, 64, 40, 0L, Sender.sine(SINE_HZ));
        JitterBuffer buffer = new JitterBuffer(1);
        buffer.setDepthMode(DepthMode.MANUAL);
        buffer.setManualDepth(4);
        Playback p = new Playback(buffer, 1, 64, 3000 * 64);
        long n = 0;
        for (int t = 0; t < 3000; t++) {
            if (t == 1000) {
                long[] burst = new long[40]; // the sender's machine stalled, then sent what it owed
                for (int i = 0; i < burst.length; i++) {
                    burst[i] = n++;
                }
                p.tick(sender, burst);
            } else {
                p.tick(sender, n++);
            }
        }
        JitterStats s = p.stats();
        assertContinuous("burst: " + s, p);
        assertTrue(s.skipped >= 30 && s.skipped <= 40, "skipped " + s.skipped);
        assertTrue(Math.abs(s.depthFrames - s.targetFrames) <= 64, s.toString());
        assertEquals(0, s.concealed, s.toString());
    }

    @Test
    void aRaisedTargetIsReachedWithinSecondsByRepeatingTheWaveformNotBySilence() {
        Sender sender = new Sender(Codec.PCM16, 1, 64, 40, 0L, Sender.sine(SINE_HZ));
        JitterBuffer buffer = new JitterBuffer(1);
        buffer.setDepthMode(DepthMode.MANUAL);
        buffer.setManualDepth(2);
        Playback p = new Playback(buffer, 1, 64, 8000 * 64);
        int reachedAt = -1;
        for (int t = 0; t < 8000; t++) {
            if (t == 1000) {
                buffer.setManualDepth(20); // the jitter grew: 18 packets more to hold
            }
            p.tick(sender, t);
            JitterStats s = p.stats();
            if (t > 1000 && reachedAt < 0 && Math.abs(s.depthFrames - s.targetFrames) <= 64) {
                reachedAt = t;
            }
        }
        JitterStats s = p.stats();
        assertContinuous("widen: " + s + "; at target after " + (reachedAt - 1000) + " periods", p);
        // Gliding alone (48 frames a second) would take 24 s for these 1152 frames.
        assertTrue(reachedAt > 0 && reachedAt - 1000 <= 750 * 8, "reached the target after " + (reachedAt - 1000)
                + " periods: " + s);
        assertTrue(s.widened >= 12 && s.widened <= 18, "widened by " + s.widened + " packets");
        assertEquals(0, s.lost + s.concealed, s.toString());
    }

    @Test
    void aPacketAfterItsTurnIsLateAndDropped() {
        Sender sender = new Sender(Codec.PCM16, 1, 64, 40, 0L, Sender.sine(SINE_HZ));
        JitterBuffer buffer = new JitterBuffer(1);
        Playback p = new Playback(buffer, 1, 64, 1100 * 64);
        for (long n = 0; n < 1000; n++) {
            if (n != 300) {
                p.tick(sender, n);
            }
            if (n == 330) {
                assertEquals(Arrival.LATE, sender.make(300).offerTo(buffer, p.now()));
            }
        }
        JitterStats s = p.stats();
        assertEquals(1, s.late, s.toString());
        assertEquals(1, s.concealed, s.toString());
        assertEquals(0, s.lost, s.toString());
    }

    @Test
    void badInputIsCountedAndChangesNothing() {
        Sender sender = new Sender(Codec.FLOAT32, 1, 64, -5, 64_000L, NOISE);
        Sender stereo = new Sender(Codec.FLOAT32, 2, 64, -5, 64_000L, NOISE);
        JitterBuffer buffer = steadyBuffer(1);
        Playback p = new Playback(buffer, 1, 64, (PACKETS + 16) * 64);
        int bad = 0;
        for (long n = 0; n < PACKETS; n++) {
            p.tick(sender, n);
            if (n % 50 != 25) {
                continue;
            }
            Header h = sender.make(n + 2).header;
            int what = (int) (n / 50 % 8);
            switch (what) {
                case 0 -> h.sequence += 1_000_000_000;
                case 1 -> h.samplePosition += 1L << 40;
                case 2 -> h.samplePosition += 17;
                case 3 -> h.codec = Codec.OPUS;
                case 4 -> h.type = PacketType.PING;
                case 5 -> h.bodyLength -= 4;
                case 6 -> {
                    h.frames = 16;
                    h.bodyLength = 16 * 4;
                }
                default -> {
                    h.frames = 300;
                    h.bodyLength = 300 * 4;
                }
            }
            assertEquals(Arrival.BAD, buffer.offer(h, sender.packet, Sender.BODY, p.now()), "case " + what);
            assertEquals(Arrival.BAD, stereo.make(n + 2).offerTo(buffer, p.now()));
            byte[] cut = new byte[Header.SIZE + 10];
            assertEquals(Arrival.BAD, buffer.offer(sender.make(n + 2).header, cut, Sender.BODY, p.now()));
            assertEquals(Arrival.BAD, buffer.offer(null, sender.packet, 0, p.now()));
            bad += 4;
        }
        assertPlaysExactly(p, sender, 0, 1);
        JitterStats s = p.stats();
        assertEquals(bad, s.bad, s.toString());
        assertEquals(0, s.concealed + s.late + s.duplicates + s.restarts, s.toString());
    }

    @Test
    void twoThreadsHandOverEveryPacketIntact() throws Exception {
        int packets = 100_000;
        Sender sender = new Sender(Codec.FLOAT32, 2, 64, 0, 0L, NOISE);
        JitterBuffer buffer = steadyBuffer(2);
        buffer.setManualDepth(4);
        AtomicLong offered = new AtomicLong();
        AtomicLong pulled = new AtomicLong();
        Thread network = new Thread(() -> {
            for (long n = 0; n < packets; n++) {
                while (n >= pulled.get() + 10) {
                    Thread.onSpinWait();
                }
                sender.make(n).offerTo(buffer, n * 4_000_000L / 3);
                offered.set(n + 1);
            }
        }, "network");
        network.start();
        float[][] out = new float[2][64];
        long wrong = 0;
        for (long k = 0; k < packets - 8; k++) {
            while (offered.get() < k + 6) {
                Thread.onSpinWait();
            }
            buffer.pull(out, 64);
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < 64; i++) {
                    if (out[c][i] != NOISE.at(k * 64 + i, c)) {
                        wrong++;
                    }
                }
            }
            pulled.set(k + 1);
        }
        pulled.set(Long.MAX_VALUE / 2);
        network.join();
        JitterStats s = buffer.stats(new JitterStats());
        assertEquals(0, wrong, "samples not as sent");
        assertEquals(0, s.concealed + s.late + s.overruns + s.bad, s.toString());
    }

    @ParameterizedTest(name = "new stream from sequence {0}, position {1}")
    @CsvSource({"1073741824, 999999936", "700, 999999936", "1073741824, 38400"})
    void aRestartedStreamPrimesAgainAndPlaysCleanly(int sequence, long position) {
        Sender first = new Sender(Codec.FLOAT32, 1, 64, 100, 0L, NOISE);
        Sender second = new Sender(Codec.FLOAT32, 1, 64, sequence, position, (f, c) -> NOISE.at(f + 5_000_000, c));
        JitterBuffer buffer = steadyBuffer(1);
        Playback p = new Playback(buffer, 1, 64, 1300 * 64);
        for (long n = 0; n < 600; n++) {
            p.tick(first, n);
        }
        for (long n = 0; n < 600; n++) {
            p.tick(second, n);
        }
        JitterStats s = p.stats();
        assertEquals(1, s.restarts, s.toString());
        assertEquals(1, s.bad, "the new stream's first packet is the suspect that a second one confirms");

        // The end plays the second stream exactly; find where it lines up.
        int last = p.frames() - 1;
        long lastSent = -1;
        for (long f = 0; f < 600 * 64; f++) {
            if (second.sample(f, 0) == p.played[0][last]) {
                lastSent = f;
            }
        }
        assertTrue(lastSent > 0, "the second stream is not playing");
        long offset = last - lastSent;
        int resumed = (int) (offset + 64 + 64); // a packet, then the concealer's 64-frame crossfade
        for (int i = resumed; i <= last; i++) {
            assertEquals(second.sample(i - offset, 0), p.played[0][i], "frame " + i);
        }
        for (int i = 0; i < resumed; i++) {
            assertTrue(Math.abs(p.played[0][i]) <= 0.5f, "garbage at frame " + i + ": " + p.played[0][i]);
        }
    }

    @Test
    void depthFollowsManualSettingAndBackToAuto() {
        Sender sender = new Sender(Codec.PCM16, 1, 64, 1, 0L, Sender.sine(SINE_HZ));
        JitterBuffer buffer = new JitterBuffer(1);
        buffer.setDepthMode(DepthMode.MANUAL);
        buffer.setManualDepth(10);
        Playback p = new Playback(buffer, 1, 128, 40_000 * 64);
        long n = 0;
        for (; n < 10 * 750; n++) {
            p.tick(sender, n);
        }
        JitterStats manual = p.stats();
        buffer.setDepthMode(DepthMode.AUTO);
        for (; n < 40_000; n++) {
            p.tick(sender, n);
        }
        JitterStats auto = p.stats();
        System.out.printf(Locale.ROOT, "manual 10 packets: %s%nthen auto: %s%n", manual, auto);
        assertEquals(640, manual.targetFrames);
        assertTrue(Math.abs(manual.depthFrames - 640) <= 64, manual.toString());
        assertTrue(auto.targetFrames < 640, auto.toString());
        assertTrue(Math.abs(auto.depthFrames - auto.targetFrames) <= 64, auto.toString());
        assertEquals(0, auto.concealed, auto.toString());
    }
}
