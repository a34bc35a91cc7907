package jambox.appliance.preset;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.appliance.board.BoardFile;
import jambox.appliance.board.BoardSpec;

/**
 * "A loop that kills the process (kill -9) in the middle of preset saves many times never leaves a
 * corrupt or missing preset." The saves run in a child JVM ({@link CrashingSaver}) that is killed
 * with SIGKILL at random moments; after each kill every file must parse and every preset must be
 * there with one of its two contents.
 */
class PresetCrashTest {
    private static final int KILLS = 32;
    private static final long BUDGET_NANOS = 50_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void killingTheProcessInTheMiddleOfSavesNeverLeavesACorruptOrMissingPreset() throws Exception {
        Path folder = dir.resolve("presets");
        // One bystander instead of the factory set: every save reads the whole folder, and rounds are what count.
        BoardSpec keeper = FactoryPresets.boards().get(0);
        Files.createDirectories(folder);
        Files.write(folder.resolve("keeper.json"), BoardFile.write(keeper));
        PresetStore seed = PresetStore.open(folder);
        for (String name : CrashingSaver.NAMES) {
            seed.save(name, new BoardSpec("", CrashingSaver.CONTENTS.get(0)));
        }
        seed.save(CrashingSaver.ROAMING, new BoardSpec("", CrashingSaver.CONTENTS.get(0)));

        long seedValue = System.nanoTime();
        Random random = new Random(seedValue);
        long start = System.nanoTime();
        int kills = 0;
        int midWrite = 0;
        int midRename = 0;
        long rounds = 0;
        while (kills < KILLS && System.nanoTime() - start < BUDGET_NANOS) {
            Path log = dir.resolve("saver.log");
            Process child = startSaver(folder, log);
            awaitSaving(child, log);
            Thread.sleep(random.nextInt(1, 200));
            child.destroyForcibly();
            int exit = child.waitFor();
            assertEquals(137, exit, "the saver died before it was killed (seed " + seedValue + "):\n" + Files.readString(log));
            rounds += Files.readString(log).lines().filter(l -> l.startsWith("round ")).count();
            kills++;

            try (Stream<Path> files = Files.list(folder)) {
                if (files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp"))) {
                    midWrite++;
                }
            }
            Map<String, BoardSpec> presets = everyFileParses(folder, seedValue);
            for (String name : CrashingSaver.NAMES) {
                assertTrue(presets.containsKey(name), name + " is missing after kill " + kills + " (seed " + seedValue + ")");
                assertTrue(CrashingSaver.CONTENTS.contains(presets.get(name).channels()), name + " has neither content");
            }
            boolean roaming = presets.containsKey(CrashingSaver.ROAMING);
            boolean roamed = presets.containsKey(CrashingSaver.ROAMED);
            assertTrue(roaming || roamed, "the renamed preset is gone after kill " + kills + " (seed " + seedValue + ")");
            if (roaming && roamed) {
                midRename++;
            }
            for (String name : List.of(CrashingSaver.ROAMING, CrashingSaver.ROAMED)) {
                if (presets.containsKey(name)) {
                    assertEquals(CrashingSaver.CONTENTS.get(0), presets.get(name).channels());
                }
            }
            assertEquals(keeper, presets.get(keeper.name()), "a preset nobody touches stays as it was");
            assertEquals(CrashingSaver.NAMES.size() + 1 + (roaming && roamed ? 2 : 1), presets.size(),
                    "no stray presets: " + presets.keySet());
        }
        System.out.printf("PresetCrashTest: %d kills in %.1f s after %d rounds of saves; %d left a write in progress,"
                        + " %d came between a rename's two steps (seed %d)%n",
                kills, (System.nanoTime() - start) / 1e9, rounds, midWrite, midRename, seedValue);
        assertTrue(kills >= 30, "only " + kills + " kills fit in the time budget");

        PresetStore after = PresetStore.open(folder);
        assertEquals(List.of(), after.list().problems());
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith(".")).toList(),
                    "opening the store removed what the kills left");
        }
    }

    /** Its output goes to a file: killing a process closes our ends of its pipes, and with them what it said. */
    private static Process startSaver(Path folder, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // A small, quick-starting JVM: start-up and class loading are most of each round.
        return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-Xss512k",
                "-cp", classpath, CrashingSaver.class.getName(), folder.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static void awaitSaving(Process child, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!Files.readString(log).lines().anyMatch("saving"::equals)) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                child.destroyForcibly().waitFor();
                fail("the saver did not start:\n" + Files.readString(log));
            }
            Thread.sleep(2);
        }
    }

    /** Every preset file in the folder, read as a stranger would: straight from disk, no store. */
    private static Map<String, BoardSpec> everyFileParses(Path folder, long seedValue) throws IOException {
        Map<String, BoardSpec> byName = new HashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                try {
                    BoardSpec board = BoardFile.read(f);
                    assertNull(byName.put(board.name(), board), "two files named " + board.name());
                } catch (BoardFile.BadBoardException e) {
                    fail("a corrupt preset (seed " + seedValue + "): " + e.getMessage());
                }
            }
        }
        return byName;
    }
}
