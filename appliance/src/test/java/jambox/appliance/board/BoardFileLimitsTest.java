package jambox.appliance.board;

import static org.junit.jupiter.api.Assertions.*;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.appliance.store.JsonRules;
import jambox.dsp.Board;

/** What a board file may not be: too many pedals, too big, too deep, or JSON that is not quite JSON. */
class BoardFileLimitsTest {
    @TempDir
    Path dir;

    private String refused(String json) throws Exception {
        Path file = dir.resolve("board.json");
        Files.writeString(file, json);
        return assertThrows(BoardFile.BadBoardException.class, () -> BoardFile.read(file)).getMessage();
    }

    @Test
    void sixteenPedalsAChainIsTheLimitAndMoreIsRefusedBeforeAnyPedalIsRead() throws Exception {
        assertEquals(16, Board.MAX_PEDALS);
        Path file = dir.resolve("sixteen.json");
        Files.writeString(file, Boards.ofDelays("Sixteen", 16));
        assertEquals(16, BoardFile.read(file).channel(0).size());

        assertEquals(dir.resolve("board.json") + ": channels[0].pedals: 17 pedals; a chain holds at most 16",
                refused(Boards.ofDelays("Seventeen", 17)));
        assertEquals(dir.resolve("board.json") + ": channels[0].pedals: 3000 pedals; a chain holds at most 16",
                refused(Boards.ofDelays("Echoes", 3000)));
        // The count is checked first: the 17th pedal's mistake is never reached.
        String json = Boards.ofDelays("Seventeen", 17).replaceFirst("\"delay\"}]", "\"no such pedal\"}]");
        assertTrue(refused(json).endsWith("17 pedals; a chain holds at most 16"), json);
    }

    @Test
    void noBoardSpecOverTheLimitCanBeMadeAtAll() {
        var pedal = new PedalSpec("delay", false, java.util.Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BoardSpec("x", java.util.List.of(java.util.Collections.nCopies(17, pedal))));
        assertEquals("a chain holds at most 16 pedals, not 17", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BoardSpec("x",
                java.util.List.of(java.util.List.of(), java.util.List.of(), java.util.List.of())));
    }

    /** A looper keeps a minute of sound and an undo layer (23 MB): sixteen a chain would not fit the service's 512 MB heap. */
    @Test
    void aChainHoldsOneLooper() throws Exception {
        String two = "{\"version\": 1, \"name\": \"Loops\", \"channels\": [{\"pedals\": "
                + "[{\"type\": \"looper\"}, {\"type\": \"delay\"}, {\"type\": \"looper\"}]}]}";
        assertEquals(dir.resolve("board.json") + ": channels[0].pedals: 2 loopers; a chain holds at most 1"
                + " (each keeps a minute of sound in memory)", refused(two));
        var looper = new PedalSpec("looper", false, java.util.Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BoardSpec("x", java.util.List.of(java.util.List.of(looper, looper))));
        assertEquals("a chain holds at most 1 looper, not 2", e.getMessage());
        // One on each input is the stereo loop.
        assertEquals(2, new BoardSpec("x", java.util.List.of(java.util.List.of(looper), java.util.List.of(looper))).channels().size());
    }

    @Test
    void aFileOverTheSizeCapIsRefusedWithoutBeingReadWhole() throws Exception {
        Path file = dir.resolve("huge.json");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(8L << 30); // 8 GiB, sparse: reading it whole would take the heap and minutes
        }
        long start = System.nanoTime();
        String m = assertThrows(BoardFile.BadBoardException.class, () -> BoardFile.read(file)).getMessage();
        assertEquals(file + ": larger than 1024 KiB; not a file jambox reads", m);
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "refused after its first megabyte, not its last");
    }

    @Test
    void deepNestingIsRefused() throws Exception {
        String deep = "{\"version\": 1, \"channels\": [{\"pedals\": []}], \"name\": " + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertEquals(dir.resolve("board.json") + ": not valid JSON: nested more than " + JsonRules.MAX_DEPTH + " levels deep",
                refused(deep));
    }

    @Test
    void jsonThatIsNotQuiteJsonIsRefusedInOurWords() throws Exception {
        Path file = dir.resolve("board.json");
        String good = "{\"version\": 1, \"channels\": [{\"pedals\": []}]}";
        assertEquals(file + ": not valid JSON: more follows the end of the JSON (line 1, column 46)",
                refused(good + " }}} garbage"));
        assertEquals(file + ": not valid JSON: more follows the end of the JSON (line 2, column 1)",
                refused(good + "\n{\"version\": 1}"));
        assertEquals(file + ": not valid JSON: 'name' is given twice in one object (line 1, column 65)",
                refused("{\"version\": 1, \"name\": \"A\", \"channels\": [{\"pedals\": []}], \"name\": \"B\"}"));
        String truncated = refused("{\"version\": 1,\n \"channels\": [{\"pedals\": [");
        assertEquals(file + ": not valid JSON: the file ends in the middle of the JSON (line 2, column 27)", truncated);
        assertFalse(truncated.contains("REDACTED") || truncated.contains("StreamReadFeature"), truncated);
        assertEquals(file + ": empty: there is no board in it", refused(" \n"));
        assertEquals(dir + ": is a directory, not a file",
                assertThrows(BoardFile.BadBoardException.class, () -> BoardFile.read(dir)).getMessage());
        assertEquals(dir.resolve("none.json") + ": no such file",
                assertThrows(BoardFile.BadBoardException.class, () -> BoardFile.read(dir.resolve("none.json"))).getMessage());
    }
}
