package jambox.appliance.preset;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.appliance.board.BoardFile;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.board.PedalSpec;

class LastStateTest {
    @TempDir
    Path dir;
    final List<String> problems = new CopyOnWriteArrayList<>();

    private static BoardSpec boost(double gain) {
        return new BoardSpec("Live", List.of(List.of(new PedalSpec("boost", false, Map.of("gain", gain)))));
    }

    @Test
    void nothingSavedYetRestoresNothing() {
        try (LastState state = new LastState(dir.resolve("missing"), problems::add)) {
            assertEquals(Optional.empty(), state.restore());
        } catch (Exception e) {
            fail(e);
        }
        assertEquals(List.of(), problems);
        assertFalse(Files.exists(dir.resolve("missing")), "restoring creates nothing");
    }

    @Test
    void aBurstOfChangesIsOneWriteAboutASecondLaterOnADaemonThread() throws Exception {
        try (LastState state = new LastState(dir, problems::add)) {
            long start = System.nanoTime();
            for (int i = 0; i <= 100; i++) {
                state.changed(boost(i / 10.0));
            }
            assertFalse(Files.exists(state.file()), "not written at once");
            Thread worker = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("jambox-last-state")).findFirst().orElseThrow();
            assertTrue(worker.isDaemon());
            while (!Files.exists(state.file()) && System.nanoTime() - start < 10_000_000_000L) {
                Thread.sleep(20);
            }
            double waited = (System.nanoTime() - start) / 1e9;
            assertTrue(waited >= 0.9, "written after " + waited + " s");
            Thread.sleep(300);
            assertEquals(1, state.writes());
            assertEquals(boost(10), BoardFile.read(state.file()), "the last change of the burst");

            state.changed(boost(3));
            Thread.sleep(1500);
            assertEquals(2, state.writes(), "a change after the write is a write of its own");
            assertEquals(boost(3), BoardFile.read(state.file()));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void flushWritesNowCloseFlushesAndRestoreReadsItBack() throws Exception {
        LastState state = new LastState(dir.resolve("state"), problems::add);
        state.changed(boost(1));
        state.flush();
        assertEquals(boost(1), BoardFile.read(state.file()));
        assertEquals(1, state.writes());
        state.flush();
        assertEquals(1, state.writes(), "nothing waiting, nothing written");
        state.changed(boost(2));
        state.close();
        assertEquals(boost(2), BoardFile.read(state.file()));
        assertThrows(IllegalStateException.class, () -> state.changed(boost(3)));
        Thread.sleep(1200);
        assertEquals(2, state.writes(), "the write scheduled before close found nothing left to do");

        try (LastState next = new LastState(dir.resolve("state"), problems::add)) {
            assertEquals(Optional.of(boost(2)), next.restore());
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void aCorruptFileIsReportedAndSetAsideAndTheNextWriteIsClean() throws Exception {
        Path file = dir.resolve(LastState.FILE);
        for (String corrupt : new String[] {
                "{\"version\": 1, \"channels\": [{\"pedals\": [{\"type\": \"boo",
                "{\"version\": 1, \"channels\": [{\"pedals\": [{\"type\": \"talkbox\"}]}]}",
                "{\"version\": 1, \"channels\": [{\"pedals\": [{\"type\": \"boost\", \"params\": {\"gain\": 90}}]}]}",
                ""}) {
            Files.writeString(file, corrupt);
            problems.clear();
            try (LastState state = new LastState(dir, problems::add)) {
                assertEquals(Optional.empty(), state.restore());
                assertFalse(Files.exists(file));
                assertEquals(corrupt, Files.readString(dir.resolve(LastState.SET_ASIDE)));
                state.changed(boost(4));
            }
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.get(0).startsWith(file + ": "), problems.get(0));
            assertTrue(problems.get(0).endsWith("; moved it to " + dir.resolve(LastState.SET_ASIDE) + " and started from the default board"),
                    problems.get(0));
            assertEquals(boost(4), BoardFile.read(file));
        }
        assertTrue(problems.get(0).startsWith(file + ": empty: there is no board in it;"), problems.get(0));
    }

    @Test
    void aFileThatIsNotQuiteJsonOrTooBigABoardIsSetAsideWithItsReason() throws Exception {
        Path file = dir.resolve(LastState.FILE);
        String good = "{\"version\": 1, \"channels\": [{\"pedals\": [{\"type\": \"boost\"}]}]}";
        String[][] cases = {
                {good + " }}} garbage", "not valid JSON: more follows the end of the JSON (line 1, column 63)"},
                {"{\"version\": 1, \"version\": 1, \"channels\": [{\"pedals\": []}]}",
                        "not valid JSON: 'version' is given twice in one object (line 1, column 25)"},
                {"{\"version\": 1,\n\"channels\": [", "not valid JSON: the file ends in the middle of the JSON (line 2, column 14)"},
                {jambox.appliance.board.Boards.ofDelays("Echoes", 3000), "channels[0].pedals: 3000 pedals; a chain holds at most 16"},
        };
        for (String[] c : cases) {
            Files.writeString(file, c[0]);
            problems.clear();
            try (LastState state = new LastState(dir, problems::add)) {
                assertEquals(Optional.empty(), state.restore());
            }
            assertEquals(List.of(file + ": " + c[1] + "; moved it to " + dir.resolve(LastState.SET_ASIDE)
                    + " and started from the default board"), problems);
        }
        Files.delete(dir.resolve(LastState.SET_ASIDE));
        Files.createDirectory(file);
        problems.clear();
        try (LastState state = new LastState(dir, problems::add)) {
            assertEquals(Optional.empty(), state.restore());
        }
        assertEquals(List.of(file + ": is a directory, not a file; moved it to " + dir.resolve(LastState.SET_ASIDE)
                + " and started from the default board"), problems);
    }

    @Test
    void anUnknownPedalIsNamedInTheReport() throws Exception {
        Files.writeString(dir.resolve(LastState.FILE), "{\"version\": 1, \"channels\": [{\"pedals\": [{\"type\": \"talkbox\"}]}]}");
        try (LastState state = new LastState(dir, problems::add)) {
            state.restore();
        }
        assertTrue(problems.get(0).contains("channels[0].pedals[0].type: no pedal type 'talkbox'"), problems.get(0));
    }

    @Test
    void temporaryFilesACrashLeftAreRemovedAtRestore() throws Exception {
        Path leftover = dir.resolve("." + LastState.FILE + "8812.tmp");
        Path someoneElses = dir.resolve(".jambox.json8812.tmp");
        Files.writeString(leftover, "{\"ver");
        Files.writeString(someoneElses, "{\"ver");
        try (LastState state = new LastState(dir, problems::add)) {
            assertEquals(Optional.empty(), state.restore());
        }
        assertFalse(Files.exists(leftover));
        assertTrue(Files.exists(someoneElses), "the state folder is shared: only our own leftovers go");
    }

    @Test
    void aFailedWriteIsReportedAndTriedAgainAtTheNextFlush() throws Exception {
        Path blocked = dir.resolve("not-a-folder");
        Files.writeString(blocked, "a file where the state folder should be");
        LastState state = new LastState(blocked, problems::add);
        state.changed(boost(5));
        Thread.sleep(1500);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).equals(blocked.resolve(LastState.FILE) + ": cannot save the current board: something is already there: " + blocked),
                problems.get(0));
        Files.delete(blocked);
        state.close();
        assertEquals(boost(5), BoardFile.read(blocked.resolve(LastState.FILE)), "the board that failed was still waiting");
    }
}
