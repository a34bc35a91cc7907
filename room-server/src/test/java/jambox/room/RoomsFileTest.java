package jambox.room;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rooms file is read strictly, and what is wrong with it is said in our words, with its place. */
class RoomsFileTest {
    @TempDir
    Path dir;

    private String refused(String json) throws Exception {
        Path file = dir.resolve("rooms.json");
        Files.writeString(file, json);
        return assertThrows(IOException.class, () -> RoomsFile.read(file)).getMessage();
    }

    @Test
    void aGoodFileLoads() throws Exception {
        Path file = dir.resolve("rooms.json");
        Files.writeString(file, "{\"version\": 1, \"rooms\": [{\"name\": \"jam\", \"secret\": \"a long secret\", \"capacity\": 4}]}");
        RoomsFile.Loaded loaded = RoomsFile.read(file);
        assertEquals(List.of("jam"), loaded.rooms().stream().map(RoomConfig::name).toList());
        assertEquals(List.of(), loaded.problems());
    }

    @Test
    void aRoomForwardsOrMixesAndABadModeIsRefusedWhileTheOthersLoad() throws Exception {
        Path file = dir.resolve("rooms.json");
        Files.writeString(file, """
                {"version": 1, "rooms": [
                  {"name": "plain", "secret": "a long secret"},
                  {"name": "fwd", "secret": "a long secret", "mode": "forward"},
                  {"name": "big", "secret": "a long secret", "capacity": 64, "mode": "mix"},
                  {"name": "odd", "secret": "a long secret", "mode": "MIX"},
                  {"name": "num", "secret": "a long secret", "mode": 1},
                  {"name": "bad", "secret": "short", "mode": "mix"}]}""");
        RoomsFile.Loaded loaded = RoomsFile.read(file);
        assertEquals(List.of("plain", "fwd", "big"), loaded.rooms().stream().map(RoomConfig::name).toList());
        assertEquals(List.of(false, false, true), loaded.rooms().stream().map(RoomConfig::mix).toList());
        assertEquals(List.of(
                file + ": rooms[3]: mode: expected \"forward\" or \"mix\", not \"MIX\"",
                file + ": rooms[4]: mode: expected \"forward\" or \"mix\", not 1",
                file + ": rooms[5]: secret of room 'bad' is shorter than 8 bytes"), loaded.problems());
    }

    @Test
    void jsonThatIsNotQuiteJsonIsRefusedInOurWords() throws Exception {
        Path file = dir.resolve("rooms.json");
        String good = "{\"version\": 1, \"rooms\": []}";
        assertEquals(file + ": not valid JSON: more follows the end of the JSON (line 1, column 29)",
                refused(good + " }}} garbage"));
        assertEquals(file + ": not valid JSON: more follows the end of the JSON (line 2, column 1)",
                refused(good + "\n{\"version\": 1}"));
        assertEquals(file + ": not valid JSON: 'secret' is given twice in one object (line 1, column 77)",
                refused("{\"version\": 1, \"rooms\": [{\"name\": \"jam\", \"secret\": \"a long secret\", \"secret\": \"another one\"}]}"));
        String truncated = refused("{\"version\": 1,\n \"rooms\": [{\"name\": \"jam\"");
        assertEquals(file + ": not valid JSON: the file ends in the middle of the JSON (line 2, column 26)", truncated);
        assertFalse(truncated.contains("REDACTED"), truncated);
        assertEquals(file + ": not valid JSON: nested more than 16 levels deep",
                refused("{\"version\": 1, \"rooms\": " + "[".repeat(40) + "]".repeat(40) + "}"));
        assertEquals(dir + ": is a directory, not a file", assertThrows(IOException.class, () -> RoomsFile.read(dir)).getMessage());
        assertEquals(dir.resolve("none.json") + ": no such file",
                assertThrows(IOException.class, () -> RoomsFile.read(dir.resolve("none.json"))).getMessage());
    }

    @Test
    void aFileOverTheSizeCapIsRefusedWithoutBeingReadWhole() throws Exception {
        Path file = dir.resolve("rooms.json");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(8L << 30); // sparse: reading it whole would take the heap
        }
        assertEquals(file + ": larger than 1024 KiB; not a rooms file",
                assertThrows(IOException.class, () -> RoomsFile.read(file)).getMessage());
    }
}
