package jambox.appliance.preset;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.appliance.board.BoardFile;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.board.PedalSpec;

class PresetStoreTest {
    private static final BoardSpec WARM = board("Warm", new PedalSpec("overdrive", false, Map.of("drive", 12.0)));
    private static final BoardSpec WET = board("Wet", new PedalSpec("reverb", true, Map.of("mix", 60.0, "decay", 4.5)));

    @TempDir
    Path root;
    Path folder;
    PresetStore store;

    private static BoardSpec board(String name, PedalSpec... pedals) {
        return new BoardSpec(name, List.of(List.of(pedals)));
    }

    /** A store over a folder that already holds a preset, so no factory presets are copied in. */
    @BeforeEach
    void openWithOnePreset() throws Exception {
        folder = root.resolve("presets");
        Files.createDirectories(folder);
        Files.write(folder.resolve("warm.json"), BoardFile.write(WARM));
        store = PresetStore.open(folder);
    }

    /** Every file under the test's folder, by path relative to it, with its content. */
    private Map<String, String> disk() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(f).toString(), Files.readString(f));
            }
        }
        return files;
    }

    private String refused(Operation op) throws IOException {
        Map<String, String> before = disk();
        String message = assertThrows(PresetException.class, op::run).getMessage();
        assertEquals(before, disk(), "a failed operation changes nothing on disk: " + message);
        return message;
    }

    private interface Operation {
        void run() throws Exception;
    }

    private void assertContains(String message, String expected) {
        assertTrue(message.contains(expected), "'" + message + "' should contain '" + expected + "'");
    }

    @Test
    void firstStartCopiesTheFactoryPresetsIntoAMissingFolder() throws Exception {
        Path fresh = root.resolve("new/presets");
        PresetStore s = PresetStore.open(fresh);
        PresetList list = s.list();
        assertEquals(List.of(), list.problems());
        assertEquals(FactoryPresets.names().stream().sorted(String.CASE_INSENSITIVE_ORDER).toList(), list.names());
        assertTrue(Files.isRegularFile(fresh.resolve("clean.json")));
        for (BoardSpec factory : FactoryPresets.boards()) {
            assertEquals(factory, s.load(factory.name()));
        }
        assertTrue(PresetStore.open(fresh).list().names().containsAll(FactoryPresets.names()));
    }

    @Test
    void aFolderWithPresetsGetsNoFactoryPresetsAndAPlayersPresetOfAFactoryNameIsNeverReplaced() throws Exception {
        assertEquals(List.of("Warm"), store.list().names());
        store.save("clean", WARM);
        Map<String, String> mine = Map.of("presets/clean.json", disk().get("presets/clean.json"));
        List<String> added = store.installFactory();
        assertFalse(added.contains("Clean"));
        assertEquals(FactoryPresets.names().size() - 1, added.size());
        assertEquals(mine.get("presets/clean.json"), disk().get("presets/clean.json"));
        assertEquals(WARM.channels(), store.load("Clean").channels());
        assertEquals(List.of(), store.installFactory(), "a second time adds nothing");
    }

    /** Read straight from disk: every preset file's bytes by file name. */
    private static Map<String, byte[]> bytes(Path folder) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.list(folder)) {
            for (Path f : all.toList()) {
                files.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return files;
    }

    @Test
    void restoringFactoryPresetsBringsBackDeletedAndChangedOnesByteForByteAndLeavesThePlayersOwn() throws Exception {
        Path fresh = root.resolve("box/presets");
        PresetStore s = PresetStore.open(fresh);
        Map<String, byte[]> factory = bytes(fresh);
        assertTrue(factory.containsKey("ambient.json") && factory.containsKey("lead.json"), factory.keySet().toString());

        s.delete("Ambient");
        s.save("Lead", WARM); // the player changed a factory preset
        s.save("My Tone", WET); // and has one of their own
        byte[] mine = Files.readAllBytes(fresh.resolve("my-tone.json"));
        assertFalse(Files.exists(fresh.resolve("ambient.json")));
        assertFalse(java.util.Arrays.equals(factory.get("lead.json"), Files.readAllBytes(fresh.resolve("lead.json"))));

        assertEquals(List.of("Lead", "Ambient"), s.restoreFactory());

        Map<String, byte[]> after = bytes(fresh);
        assertEquals(java.util.Set.copyOf(concat(factory.keySet(), "my-tone.json")), after.keySet());
        for (String file : factory.keySet()) {
            assertArrayEquals(factory.get(file), after.get(file), file + " is as it came");
        }
        assertArrayEquals(mine, after.get("my-tone.json"), "the player's own preset is untouched");
        assertEquals(WET.channels(), s.load("My Tone").channels());
        assertEquals(List.of(), s.restoreFactory(), "a second time has nothing to restore");
    }

    private static List<String> concat(java.util.Collection<String> a, String b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.add(b);
        return all;
    }

    @Test
    void temporaryFilesACrashLeftAreIgnoredAndRemovedAtStart() throws Exception {
        Path leftover = folder.resolve(".warm.json123456.tmp");
        Files.writeString(leftover, "{\"version\": 1, \"na");
        assertEquals(List.of("Warm"), store.list().names());
        assertEquals(List.of(), store.list().problems());
        PresetStore.open(folder);
        assertFalse(Files.exists(leftover));
        assertTrue(Files.exists(folder.resolve("warm.json")));
    }

    @Test
    void saveWritesOneFileNamedAfterThePresetAndOverwritesTheSameName() throws Exception {
        store.save("My Tone", WET);
        Path file = folder.resolve("my-tone.json");
        assertEquals("My Tone", BoardFile.read(file).name(), "the file's name is the display name");
        assertEquals(WET.channels(), BoardFile.read(file).channels());
        assertEquals(new BoardSpec("My Tone", WET.channels()), store.load("My Tone"));

        store.save("  my tone ", WARM);
        assertEquals(List.of("my tone", "Warm"), store.list().names(), "trimmed, same preset whatever the case");
        assertEquals(WARM.channels(), BoardFile.read(file).channels());
        assertEquals(List.of("presets/my-tone.json", "presets/warm.json"), List.copyOf(disk().keySet()));
    }

    @Test
    void namesWhoseFileNamesCollideGetFilesOfTheirOwn() throws Exception {
        store.save("Lead!", WARM);
        store.save("Lead?", WET);
        assertEquals("Lead!", BoardFile.read(folder.resolve("lead.json")).name());
        assertEquals("Lead?", BoardFile.read(folder.resolve("lead-2.json")).name());
        assertEquals(WET.channels(), store.load("Lead?").channels());
    }

    @Test
    void listSortsIgnoringCase() throws Exception {
        store.save("banjo", WET);
        store.save("Acoustic", WET);
        store.save("zither", WET);
        store.save("Zebra", WET);
        assertEquals(List.of("Acoustic", "banjo", "Warm", "Zebra", "zither"), store.list().names());
    }

    @Test
    void badFilesAmongGoodOnesAreReportedByPathAndTheGoodOnesStillList() throws Exception {
        store.save("Wet", WET);
        Map<String, String> bad = Map.of(
                "broken.json", "{\"version\": 1, \"name\": \"Broken\", \"channels\": [",
                "fuzzbox.json", "{\"version\": 1, \"name\": \"Fuzz\", \"channels\": [{\"pedals\": [{\"type\": \"fuzzbox\"}]}]}",
                "knob.json", "{\"version\": 1, \"name\": \"Knob\", \"channels\": [{\"pedals\": [{\"type\": \"boost\", \"params\": {\"volume\": 3}}]}]}",
                "loud.json", "{\"version\": 1, \"name\": \"Loud\", \"channels\": [{\"pedals\": [{\"type\": \"boost\", \"params\": {\"gain\": 99}}]}]}",
                "future.json", "{\"version\": 2, \"name\": \"Future\", \"channels\": [{\"pedals\": []}]}",
                "nameless.json", "{\"version\": 1, \"channels\": [{\"pedals\": []}]}",
                "x-warm-copy.json", new String(BoardFile.write(WARM), StandardCharsets.UTF_8));
        for (Map.Entry<String, String> e : bad.entrySet()) {
            Files.writeString(folder.resolve(e.getKey()), e.getValue());
        }
        Files.createDirectory(folder.resolve("folder.json"));
        Files.writeString(folder.resolve("notes.txt"), "not a preset, not a .json: not looked at");

        PresetList list = store.list();
        assertEquals(List.of("Warm", "Wet"), list.names());
        Map<String, String> problems = new TreeMap<>();
        for (PresetList.Problem p : list.problems()) {
            assertEquals(folder, p.file().getParent());
            problems.put(p.file().getFileName().toString(), p.reason());
        }
        assertEquals(8, problems.size(), problems.toString());
        assertContains(problems.get("broken.json"), "not valid JSON");
        assertContains(problems.get("fuzzbox.json"), "channels[0].pedals[0].type: no pedal type 'fuzzbox'");
        assertContains(problems.get("knob.json"), "channels[0].pedals[0].params.volume: boost has no parameter 'volume'");
        assertContains(problems.get("loud.json"), "channels[0].pedals[0].params.gain: 99 dB is outside -12 dB .. 24 dB");
        assertContains(problems.get("future.json"), "version: expected 1, found 2");
        assertContains(problems.get("nameless.json"), "name: a preset needs a name");
        assertContains(problems.get("x-warm-copy.json"), "has the same name as warm.json ('Warm'); rename or remove one of them");
        assertEquals("is a directory, not a file", problems.get("folder.json"));
        assertTrue(list.problems().get(0).toString().startsWith(folder.toString()));

        assertEquals(WET.channels(), store.load("Wet").channels(), "the good ones still load");
        String before = Files.readString(folder.resolve("broken.json"));
        store.save("Broken", WARM);
        assertEquals(before, Files.readString(folder.resolve("broken.json")), "a file we cannot read is never overwritten");
        assertEquals("Broken", BoardFile.read(folder.resolve("broken-2.json")).name());
    }

    @Test
    void aFileTooLargeToBeAPresetIsReportedNotRead() throws Exception {
        Files.write(folder.resolve("huge.json"), new byte[PresetStore.MAX_FILE_BYTES + 1]);
        PresetList list = store.list();
        assertEquals(List.of("Warm"), list.names());
        assertContains(list.problems().get(0).reason(), "larger than 1024 KiB");
        assertContains(refused(() -> store.importJson(new byte[PresetStore.MAX_FILE_BYTES + 1], "Huge")), "a preset is at most 1024 KiB");
    }

    @Test
    void aPresetFileThatIsNotQuiteJsonOrTooBigABoardIsAProblemNeverAPreset() throws Exception {
        String good = new String(BoardFile.write(new BoardSpec("Good", WARM.channels())), java.nio.charset.StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("garbage.json"), good.replace("\"Good\"", "\"Garbage\"") + " }}} garbage");
        Files.writeString(folder.resolve("twice.json"), "{\"version\": 1, \"name\": \"A\", \"name\": \"Twice\", \"channels\": [{\"pedals\": []}]}");
        Files.writeString(folder.resolve("cut.json"), good.substring(0, good.length() / 2));
        Files.writeString(folder.resolve("echoes.json"), jambox.appliance.board.Boards.ofDelays("Echoes", 3000));
        PresetList list = store.list();
        assertEquals(List.of("Warm"), list.names());
        Map<String, String> problems = new java.util.TreeMap<>();
        list.problems().forEach(p -> problems.put(p.file().getFileName().toString(), p.reason()));
        assertEquals(java.util.Set.of("garbage.json", "twice.json", "cut.json", "echoes.json"), problems.keySet());
        assertContains(problems.get("garbage.json"), "not valid JSON: more follows the end of the JSON (line ");
        assertEquals("not valid JSON: 'name' is given twice in one object (line 1, column 35)", problems.get("twice.json"));
        assertContains(problems.get("cut.json"), "not valid JSON: the file ends in the middle of the JSON (line ");
        assertFalse(problems.get("cut.json").contains("REDACTED"), problems.get("cut.json"));
        assertEquals("channels[0].pedals: 3000 pedals; a chain holds at most 16", problems.get("echoes.json"));
        assertEquals("there is no preset named 'Echoes'", refused(() -> store.load("Echoes")));
        assertEquals("not a preset: channels[0].pedals: 17 pedals; a chain holds at most 16",
                refused(() -> store.importJson(jambox.appliance.board.Boards.ofDelays("Seventeen", 17)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8), null)));
        assertEquals("not a preset: not valid JSON: more follows the end of the JSON (line 18, column 2)",
                refused(() -> store.importJson((good.strip() + "\n [1]").getBytes(java.nio.charset.StandardCharsets.UTF_8), "X")));
    }

    @Test
    void renameWritesTheNewFileAndRemovesTheOld() throws Exception {
        store.rename("warm", "Jazz");
        assertFalse(Files.exists(folder.resolve("warm.json")));
        assertEquals(new BoardSpec("Jazz", WARM.channels()), BoardFile.read(folder.resolve("jazz.json")));
        assertEquals(List.of("Jazz"), store.list().names());

        store.rename("Jazz", "JAZZ");
        assertEquals(List.of("presets/jazz.json"), List.copyOf(disk().keySet()), "a change of case stays in its file");
        assertEquals("JAZZ", store.load("jazz").name());
    }

    @Test
    void renameOntoAnExistingPresetOrFromAMissingOneIsRefused() throws Exception {
        store.save("Wet", WET);
        assertEquals("a preset named 'Wet' already exists; pick another name or delete that one first",
                refused(() -> store.rename("Warm", "wet")));
        assertEquals("there is no preset named 'Cold'", refused(() -> store.rename("Cold", "Hot")));
        assertEquals("a preset needs a name", refused(() -> store.rename("Warm", " ")));
    }

    @Test
    void deleteRemovesTheFileAndAMissingPresetIsAnError() throws Exception {
        store.save("Wet", WET);
        store.delete("WET");
        assertFalse(Files.exists(folder.resolve("wet.json")));
        assertEquals(List.of("Warm"), store.list().names());
        assertEquals("there is no preset named 'Wet'", refused(() -> store.delete("Wet")));
        assertEquals("there is no preset named 'Wet'", refused(() -> store.load("Wet")));
        assertEquals("there is no preset named 'Wet'", refused(() -> store.exportJson("Wet")));
    }

    @Test
    void exportGivesTheBoardFileAndImportTakesItBack() throws Exception {
        byte[] shared = store.exportJson("Warm");
        assertEquals(WARM, BoardFile.read(shared));
        assertEquals("Warm again", store.importJson(shared, "  Warm again "));
        assertEquals(new BoardSpec("Warm again", WARM.channels()), store.load("Warm again"));
        store.delete("Warm");
        assertEquals("Warm", store.importJson(shared, null), "without an override, the file's name");
        assertEquals("Wet", store.importJson(BoardFile.write(WET), " "), "a blank override: the file's name");
        assertEquals(List.of("Warm", "Warm again", "Wet"), store.list().names());
    }

    @Test
    void importChecksTheWholeFileBeforeWritingAnything() throws Exception {
        assertEquals("not a preset: not valid JSON: the file ends in the middle of the JSON (line 1, column 14)",
                refused(() -> store.importJson("{\"version\": 1".getBytes(StandardCharsets.UTF_8), "x")).replaceAll("\\s+", " "));
        assertContains(refused(() -> store.importJson(json("{\"type\": \"boost\"}, {\"type\": \"talkbox\"}"), "x")),
                "not a preset: channels[0].pedals[1].type: no pedal type 'talkbox'");
        assertContains(refused(() -> store.importJson(json("{\"type\": \"delay\", \"params\": {\"repeats\": 3}}"), "x")),
                "not a preset: channels[0].pedals[0].params.repeats: delay has no parameter 'repeats'");
        assertContains(refused(() -> store.importJson(json("{\"type\": \"delay\", \"params\": {\"time\": 5000}}"), "x")),
                "not a preset: channels[0].pedals[0].params.time: 5000 ms is outside 10 ms .. 2000 ms");
        assertEquals("not a preset: version: expected 1, found 3",
                refused(() -> store.importJson("{\"version\": 3, \"name\": \"x\", \"channels\": []}".getBytes(StandardCharsets.UTF_8), null)));
        assertEquals("the file has no name; give the preset one",
                refused(() -> store.importJson(json("{\"type\": \"boost\"}"), null)));
        assertEquals("a preset named 'Warm' already exists; import this one under another name",
                refused(() -> store.importJson(BoardFile.write(WET), "WARM")));
        assertEquals("not a preset: the board: expected a JSON object", refused(() -> store.importJson("[]".getBytes(StandardCharsets.UTF_8), "x")));
    }

    private static byte[] json(String pedals) {
        return ("{\"version\": 1, \"channels\": [{\"pedals\": [" + pedals + "]}]}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void badNamesAreRefusedByEveryOperationAndChangeNothing() throws Exception {
        String tooLong = "x".repeat(65);
        assertEquals("a preset name can be at most 64 characters; 'xxxxxxxxxxxxxxxxxxxx...' has 65",
                refused(() -> store.save(tooLong, WET)));
        store.save("y".repeat(64), WET);
        store.delete("y".repeat(64));
        for (String bad : new String[] {null, "", "   ", "\t", "a\tb", "line\nbreak", "bell\u0007", "nul\u0000", "para\u2029graph",
                "broken\uD800half", tooLong}) {
            refused(() -> store.save(bad, WET));
            refused(() -> store.load(bad));
            refused(() -> store.rename("Warm", bad));
            refused(() -> store.rename(bad, "Fine"));
            refused(() -> store.delete(bad));
            refused(() -> store.exportJson(bad));
            if (bad != null && !bad.isBlank()) {
                refused(() -> store.importJson(BoardFile.write(WET), bad));
                refused(() -> store.importJson(named(bad), null));
            }
        }
        assertEquals("a preset name cannot contain line breaks, tabs or other control characters (U+0009 at character 2)",
                refused(() -> store.save("a\tb", WET)));
    }

    /** A board file whose name has every character escaped, so JSON carries even a lone surrogate. */
    private static byte[] named(String name) {
        StringBuilder escaped = new StringBuilder();
        name.chars().forEach(c -> escaped.append(String.format("\\u%04x", c)));
        return ("{\"version\": 1, \"name\": \"" + escaped + "\", \"channels\": [{\"pedals\": []}]}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void noNameEscapesTheFolder() throws Exception {
        List<String> names = List.of("../x", "../../etc/passwd", "/", "//", "\\", "..\\..\\x", ".", "..", "...", "/tmp/evil",
                "~", "~/x", ".hidden", "a/../../b", "C:\\Windows\\x", "%2e%2e%2fx", "..%2F", "\u2215x", "．．／x", "ключ", "*", "?", "-");
        for (String name : names) {
            store.save(name, WET);
        }
        Map<String, String> disk = disk();
        for (String path : disk.keySet()) {
            assertTrue(path.matches("presets/[a-z0-9]+(-[a-z0-9]+)*\\.json"), path);
        }
        assertEquals(names.size() + 1, disk.size());
        for (String name : names) {
            assertEquals(name, store.load(name).name());
        }
        assertEquals(List.of(), store.list().problems());
        for (String name : names) {
            store.delete(name);
        }
        assertEquals(List.of("presets/warm.json"), List.copyOf(disk().keySet()));
    }

    @Test
    void aBoardNoFileCouldHoldIsRefusedWithTheReason() throws Exception {
        assertEquals("cannot save 'Odd': channels[0].pedals[0].type: no pedal type 'talkbox'; there are "
                        + jambox.dsp.Catalog.ALL.stream().map(t -> t.id()).toList(),
                refused(() -> store.save("Odd", board("x", new PedalSpec("talkbox", false, Map.of())))));
        assertContains(refused(() -> store.save("Warm", board("x", new PedalSpec("boost", false, Map.of("gain", 30.0))))),
                "cannot save 'Warm': channels[0].pedals[0].params.gain: 30 dB is outside -12 dB .. 24 dB");
        assertEquals(WARM, store.load("Warm"));
    }

    @Test
    void aFolderThatWentAwayIsAProblemNotACrash() throws Exception {
        Files.delete(folder.resolve("warm.json"));
        Files.delete(folder);
        PresetList list = store.list();
        assertEquals(List.of(), list.names());
        assertEquals(folder, list.problems().get(0).file());
        assertContains(refused(() -> store.save("Wet", WET)), "cannot read the preset folder " + folder);
    }
}
