package jambox.room.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.protocol.Codec;
import jambox.protocol.Pcm;

/** Recordings on a real disk, read back with the JDK's WAV reader. */
public class RoomRecorderTest {
    static final int RATE = 48_000;
    @TempDir
    Path dir;

    /** A member that sends 64-frame packets of a known signal, each at its true time plus jitter. */
    static final class Sender {
        final int member;
        final Codec codec;
        final int channels;
        final long firstArrival;
        final Random jitter = new Random(7);
        final byte[] body = new byte[2048];
        final float[][] block = new float[2][64];

        Sender(int member, Codec codec, int channels, long firstArrival) {
            this.member = member;
            this.codec = codec;
            this.channels = channels;
            this.firstArrival = firstArrival;
        }

        static float sample(int member, int channel, long frame) {
            return (float) (0.4 * Math.sin(2 * Math.PI * (220 * member + 110 * channel) * frame / RATE));
        }

        void send(RoomRecorder r, int packet, boolean withJitter) {
            long pos = packet * 64L;
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < 64; i++) {
                    block[c][i] = sample(member, c, pos + i);
                }
            }
            Pcm.encode(codec, block, channels, 64, body, 0);
            long arrival = firstArrival + pos * 1_000_000L / RATE + (withJitter && packet > 0 ? jitter.nextInt(6000) - 3000 : 0);
            r.audio(member, "player " + member, codec, channels, 64, body, 0, 1000 + pos, arrival);
        }
    }

    public static float[][] read(Path wav) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat f = in.getFormat();
            assertEquals(AudioFormat.Encoding.PCM_FLOAT, f.getEncoding());
            assertEquals(RATE, f.getSampleRate());
            byte[] all = in.readAllBytes();
            int ch = f.getChannels();
            int frames = all.length / (4 * ch);
            assertEquals(in.getFrameLength(), frames, "header frame count matches the data");
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(all).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            float[][] out = new float[ch][frames];
            for (int i = 0; i < frames; i++) {
                for (int c = 0; c < ch; c++) {
                    out[c][i] = b.getFloat();
                }
            }
            return out;
        }
    }

    static Path only(Path folder, String prefix) throws IOException {
        try (var files = Files.list(folder)) {
            List<Path> match = files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            assertEquals(1, match.size(), prefix + " files: " + match);
            return match.get(0);
        }
    }

    @Test
    void membersAndMixLineUpOnTheServerClockDespiteJitter() throws Exception {
        long start = 5_000_000;
        RoomRecorder r = RoomRecorder.start(dir, "jam", start, RATE);
        Sender a = new Sender(1, Codec.PCM16, 2, start + 10_000);   // 480 frames after the start
        Sender b = new Sender(2, Codec.FLOAT32, 1, start + 260_000); // 12480 frames after the start
        for (int k = 0; k < 1500; k++) { // 2 s
            a.send(r, k, true);
            if (k >= 190) {
                b.send(r, k - 190, true);
            }
        }
        r.stop().get(10, TimeUnit.SECONDS);
        assertNull(r.failure());
        assertEquals(0, r.droppedPackets());
        float[][] fa = read(only(r.folder(), "member-1-player_1"));
        float[][] fb = read(only(r.folder(), "member-2-player_2"));
        float[][] mix = read(r.folder().resolve("mix.wav"));
        int anchorA = 480;
        int anchorB = 12_480;
        for (int i = 0; i < anchorA; i++) {
            assertEquals(0f, fa[0][i], "silence before the first packet");
        }
        for (int i = 0; i < 1500 * 64; i++) {
            for (int c = 0; c < 2; c++) {
                assertEquals(Sender.sample(1, c, i), fa[c][anchorA + i], 0.5 / 32767 + 1e-6, "A ch" + c + " frame " + i);
            }
        }
        for (int i = 0; i < 1310 * 64; i++) {
            assertEquals(Sender.sample(2, 0, i), fb[0][anchorB + i], 0f, "B is float: exact, frame " + i);
        }
        assertEquals(fa[0].length, fb[0].length, "every file covers the same timeline");
        assertEquals(fa[0].length, mix[0].length);
        for (int i = 0; i < mix[0].length; i++) {
            assertEquals(fa[0][i] + fb[0][i], mix[0][i], 1e-6, "mix L at " + i);
            assertEquals(fa[1][i] + fb[0][i], mix[1][i], 1e-6, "mix R at " + i);
        }
        assertEquals(fa[0].length, r.writtenFrames(1));
    }

    @Test
    void aLostPacketLeavesItsLengthOfSilenceAndReorderedOnesFindTheirPlace() throws Exception {
        RoomRecorder r = RoomRecorder.start(dir, "jam", 0, RATE);
        Sender a = new Sender(1, Codec.PCM24, 1, 0);
        for (int k = 0; k < 400; k++) {
            if (k == 100) {
                continue; // lost
            }
            if (k == 200) {
                a.send(r, 201, false); // 201 before 200
                a.send(r, 200, false);
                k++;
                continue;
            }
            a.send(r, k, false);
        }
        r.stop().get(10, TimeUnit.SECONDS);
        float[] f = read(only(r.folder(), "member-1"))[0];
        for (int i = 0; i < 400 * 64; i++) {
            float expected = i / 64 == 100 ? 0f : Sender.sample(1, 0, i);
            assertEquals(expected, f[i], 0.5 / 8388607 + 1e-6, "frame " + i);
        }
    }

    @Test
    void badPacketsAreCountedAndIgnored() throws Exception {
        RoomRecorder r = RoomRecorder.start(dir, "jam", 0, RATE);
        byte[] body = new byte[600];
        r.audio(1, "x", Codec.PCM16, 3, 64, body, 0, 0, 0);
        r.audio(1, "x", Codec.PCM16, 2, 0, body, 0, 0, 0);
        r.audio(1, "x", Codec.PCM16, 2, 256, body, 0, 0, 0); // needs 1024 bytes, has 600
        r.audio(1, "x", Codec.OPUS, 2, 64, body, 0, 0, 0);
        r.stop().get(10, TimeUnit.SECONDS);
        assertEquals(4, r.droppedPackets());
        assertNull(r.failure());
        try (var files = Files.list(r.folder())) {
            assertEquals(List.of("mix.wav"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void queueingAPacketAllocatesNothing() throws Exception {
        RoomRecorder r = RoomRecorder.start(dir, "jam", 0, RATE);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        byte[] body = new byte[256];
        String name = "player";
        long[] windows = new long[5];
        long pos = 0;
        for (int w = -3; w < windows.length; w++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 2000; i++) {
                r.audio(1, name, Codec.PCM16, 2, 64, body, 0, pos, pos * 1_000_000 / RATE);
                pos += 64;
            }
            long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            if (w >= 0) {
                windows[w] = bytes;
            }
            Thread.sleep(50); // let the writer give the slots back
        }
        r.stop().get(10, TimeUnit.SECONDS);
        assertTrue(java.util.Arrays.stream(windows).anyMatch(b -> b == 0),
                "one window of 2000 packets with exactly 0 bytes: " + java.util.Arrays.toString(windows));
    }

    @Test
    void aFullDiskStopsTheRecordingWithAnErrorAndKeepsValidFiles() throws Exception {
        Path small = dir.resolve("small");
        Files.createDirectories(small);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0,
                "needs root to mount a small tmpfs for a real full disk: " + new String(mount.getInputStream().readAllBytes()));
        try {
            RoomRecorder r = RoomRecorder.start(small, "jam", 0, RATE);
            AtomicInteger told = new AtomicInteger();
            r.onFailure(why -> told.incrementAndGet());
            Sender a = new Sender(1, Codec.PCM16, 2, 0);
            // 256 KiB holds about 0.45 s of two stereo float files; send 3 s.
            for (int k = 0; k < 2250 && r.failure() == null; k++) {
                a.send(r, k, false);
                if (k % 100 == 0) {
                    Thread.sleep(5);
                }
            }
            r.stop().get(10, TimeUnit.SECONDS);
            assertNotNull(r.failure(), "the disk filled up");
            assertTrue(r.failure().contains(small.toString()) && r.failure().contains("No space left on device"), r.failure());
            assertEquals(1, told.get(), "told once");
            a.send(r, 3000, false); // after the failure: ignored, no exception
            for (Path wav : List.of(only(r.folder(), "member-1"), r.folder().resolve("mix.wav"))) {
                float[][] f = read(wav);
                assertTrue(f[0].length > 0, wav + " kept what was written");
            }
        } finally {
            new ProcessBuilder("umount", small.toString()).start().waitFor();
        }
    }
}
