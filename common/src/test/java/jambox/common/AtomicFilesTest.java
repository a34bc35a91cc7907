package jambox.common;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @Test
    void replacesWholeLeavesNoTempAndPublishesAnOrdinaryFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("preset.json");
        AtomicFiles.write(f, "first".getBytes());
        AtomicFiles.write(f, "second".getBytes());
        assertEquals("second", Files.readString(f));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void aWriterThatFailsLeavesTheOldFileAsItWas(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("preset.json");
        AtomicFiles.write(f, "kept".getBytes());
        assertThrows(IOException.class, () -> AtomicFiles.write(f, tmp -> {
            Files.writeString(tmp, "half");
            throw new IOException("disk full");
        }));
        assertEquals("kept", Files.readString(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void deleteRemovesAndAMissingFileIsAnError(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("preset.json");
        AtomicFiles.write(f, "gone".getBytes());
        AtomicFiles.delete(f);
        assertFalse(Files.exists(f));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> AtomicFiles.delete(f));
    }

    @Test
    void removeLeftoversTakesOnlyTheTemporaryFilesOfTheTargetsNamed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(".last-board.json123.tmp"), "half");
        Files.writeString(dir.resolve(".jambox.json456.tmp"), "someone else's");
        Files.writeString(dir.resolve("last-board.json"), "whole");
        Files.writeString(dir.resolve("notes.tmp"), "not ours: no leading dot");
        assertEquals(1, AtomicFiles.removeLeftovers(dir, "last-board.json"));
        assertEquals(1, AtomicFiles.removeLeftovers(dir, ""));
        try (var files = Files.list(dir)) {
            assertEquals(java.util.Set.of("last-board.json", "notes.tmp"),
                    files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
        assertEquals(0, AtomicFiles.removeLeftovers(dir.resolve("missing"), ""));
    }
}
