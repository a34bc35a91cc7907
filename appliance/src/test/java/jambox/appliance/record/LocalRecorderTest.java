package jambox.appliance.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.appliance.audio.Capture;
import jambox.appliance.audio.LoopedInput;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.engine.Engine;
import jambox.appliance.render.Wav;

class LocalRecorderTest {
    @TempDir
    Path dir;

    @Test
    void theFilesHoldTheDryInputsAndTheMixSampleForSample() throws Exception {
        int frames = 48_000;
        float[][] input = new float[2][frames];
        for (int i = 0; i < frames; i++) {
            input[0][i] = (float) Math.sin(i * 0.01);
            input[1][i] = (i % 100) / 100f;
        }
        Engine engine = new Engine(new BoardSpec("empty", List.of(List.of())));
        engine.mixer().setMasterDb(-6);
        Capture capture = new Capture(frames);
        SimulatedBackend b = new SimulatedBackend(48_000, 96, false, frames / 96, new LoopedInput(input), capture);
        LocalRecorder rec = new LocalRecorder(dir.resolve("take-1"), 48_000);
        engine.setRecorder(rec);
        b.start(engine);
        assertTrue(b.awaitFinished(60, TimeUnit.SECONDS));
        rec.close();
        Wav.Audio in1 = Wav.read(dir.resolve("take-1/input-1.wav"));
        Wav.Audio in2 = Wav.read(dir.resolve("take-1/input-2.wav"));
        Wav.Audio mix = Wav.read(dir.resolve("take-1/mix.wav"));
        assertEquals(frames, in1.frames());
        assertEquals(frames, mix.frames());
        assertEquals(2, mix.channels().length);
        float[][] heard = capture.audio();
        for (int i = 0; i < frames; i++) {
            assertEquals(input[0][i], in1.channels()[0][i], 0f);
            assertEquals(input[1][i], in2.channels()[0][i], 0f);
            assertEquals(heard[0][i], mix.channels()[0][i], 0f);
            assertEquals(heard[1][i], mix.channels()[1][i], 0f);
        }
        assertEquals(0, rec.dropped());
    }

    @Test
    void aFullDiskStopsTheRecordingAndTheAudioPlaysOn() throws Exception {
        Path small = dir.resolve("small");
        Files.createDirectories(small);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(mount.waitFor() == 0, "needs root to mount a small tmpfs");
        try {
            Engine engine = new Engine(new BoardSpec("empty", List.of(List.of())));
            float[][] input = {new float[4800], new float[4800]};
            java.util.Arrays.fill(input[0], 0.25f);
            LocalRecorder rec = new LocalRecorder(small.resolve("take"), 48_000);
            engine.setRecorder(rec);
            SimulatedBackend b = new SimulatedBackend(48_000, 64, false, 3000, new LoopedInput(input), null);
            b.start(engine);
            assertTrue(b.awaitFinished(60, TimeUnit.SECONDS));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (rec.failure() == null && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertNotNull(rec.failure(), "the writer noticed the full disk");
            assertTrue(rec.failure().contains("No space left on device"), rec.failure());
            assertEquals(3000, engine.periods(), "every period ran");
            assertTrue(Wav.read(small.resolve("take/input-1.wav")).frames() > 0, "what fitted is a valid WAV");
            rec.close();
        } finally {
            new ProcessBuilder("umount", "-l", small.toString()).start().waitFor();
        }
    }
}
