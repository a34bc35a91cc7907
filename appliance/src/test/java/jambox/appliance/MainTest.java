package jambox.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as {@code /usr/bin/jambox} runs them. */
class MainTest {
    @Test
    void jackProbeOnThisMachinesOwnProcAsound(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("jambox.json");
        Files.writeString(config, "{\"version\": 1}");
        Path file = dir.resolve("audio-interface.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"jack-probe", "--config", config.toString(), "--out", file.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String line = out.toString(StandardCharsets.UTF_8);
        System.out.print("this machine: " + line + "  " + err.toString(StandardCharsets.UTF_8));
        assertEquals(0, status);
        assertTrue(Files.exists(file));
        if (Files.isDirectory(Path.of("/proc/asound"))) {
            assertTrue(line.matches("-d (alsa -d hw:\\w+ -r 48000 -p 64 -n 2 -X seq|dummy -r 48000 -p 64)\n"), line);
        } else {
            assertEquals("-d dummy -r 48000 -p 64\n", line, "a machine without sound");
        }
    }
}
