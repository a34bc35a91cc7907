package jambox.appliance.render;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.appliance.board.BoardFile;
import jambox.dsp.Signals;

class DemoCommandTest {

    @Test
    void theDemoRendersTheRiffThroughTheDefaultBoardToAFileWithMusicInIt(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo.wav");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int status = DemoCommand.run(List.of("--out", out.toString()), new PrintStream(text, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, status);
        Wav.Audio audio = Wav.read(out);
        assertEquals(48000, audio.sampleRate());
        float[] x = audio.channels()[0];
        assertTrue(Signals.allFinite(x));
        double peakDb = Signals.db(Signals.peak(x));
        assertTrue(peakDb > -20 && peakDb < 0, "peak " + peakDb + " dBFS: audible and not clipped");
        // Every second of the riff has sound in it (the gate does not choke the notes).
        for (int s = 0; s < 8; s++) {
            float[] second = java.util.Arrays.copyOfRange(x, s * 48000, (s + 1) * 48000);
            assertTrue(Signals.db(Signals.rms(second)) > -40, "second " + s + " is near silent");
        }
        assertTrue(text.toString().contains("gate -> compressor -> overdrive"), text.toString());
    }

    @Test
    void theExampleBoardsInTheRepositoryLoad() throws Exception {
        try (var files = java.nio.file.Files.list(Path.of("..", "examples", "boards"))) {
            for (Path f : files.toList()) {
                assertFalse(BoardFile.read(f).channels().isEmpty(), f.toString());
            }
        }
    }
}
