package jambox.appliance.audio;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.appliance.store.JsonRules;

/** The probe's file, /run/jambox/audio-interface.json, is read as strictly as every other file of the box. */
class AudioInterfaceFileTest {
    private static final AudioInterface CODEC = new AudioInterface("alsa", "CODEC", "USB Audio CODEC", "usb",
            "the first USB audio interface", null, 48000, 64, 2);

    @TempDir
    Path dir;

    private String refused(String json) throws Exception {
        Path file = dir.resolve("audio-interface.json");
        Files.writeString(file, json);
        return assertThrows(JsonRules.BadJsonException.class, () -> AudioInterface.read(file)).getMessage();
    }

    @Test
    void itsOwnFileReadsBackAndAnythingNotQuiteJsonIsRefusedInOurWords() throws Exception {
        Path file = dir.resolve("audio-interface.json");
        Files.write(file, CODEC.toJson());
        assertEquals(CODEC, AudioInterface.read(file));

        String json = new String(CODEC.toJson(), StandardCharsets.UTF_8).strip();
        assertTrue(refused(json + " }}} garbage").startsWith(file + ": not valid JSON: more follows the end of the JSON (line "));
        assertEquals(file + ": not valid JSON: 'card' is given twice in one object (line 1, column 39)",
                refused("{\"version\": 1, \"card\": \"CODEC\", \"card\": \"x;reboot\", \"driver\": \"alsa\"}"));
        String truncated = refused("{\"version\": 1,\n \"driver\": \"al");
        assertEquals(file + ": not valid JSON: the file ends in the middle of the JSON (line 2, column 15)", truncated);
        assertEquals(dir + ": is a directory, not a file",
                assertThrows(JsonRules.BadJsonException.class, () -> AudioInterface.read(dir)).getMessage());
    }
}
