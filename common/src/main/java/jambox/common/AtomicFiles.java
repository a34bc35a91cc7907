package jambox.common;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a file so that it appears whole or not at all, even if the power goes: the content
 * goes to a temporary file in the same folder, is synced to disk, renamed over the target in
 * one step, and the folder is synced so the rename itself survives.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes the content of a file at the path it is given. */
    public interface Writer {
        void writeTo(Path file) throws IOException;
    }

    public static void write(Path target, Writer writer) throws IOException {
        write(target, writer, PosixFilePermissions.fromString("rw-r--r--"), null);
    }

    /**
     * Replaces a file that holds a secret: the new one keeps the old one's mode, owner and group
     * (an admin's {@code root:jambox 0640} stays), or is {@code 0600} when there was none.
     */
    public static void writeSecret(Path target, byte[] content) throws IOException {
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString("rw-------");
        PosixFileAttributes old = null;
        if (Files.exists(target)) {
            old = Files.readAttributes(target, PosixFileAttributes.class);
            mode = old.permissions();
        }
        write(target, file -> Files.write(file, content), mode, old);
    }

    /**
     * Replaces a file on a file system without modes or owners (the FAT boot partition, where a
     * chmod fails): the same temp file, sync and rename, nothing else.
     */
    public static void writePlain(Path target, byte[] content) throws IOException {
        write(target, file -> Files.write(file, content), null, null);
    }

    /** {@code mode} null: leave the file system's own. */
    private static void write(Path target, Writer writer, Set<PosixFilePermission> mode, PosixFileAttributes owner)
            throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            writer.writeTo(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                // A temp file is private (0600) until it has its final mode and owner.
                if (owner != null) {
                    Files.setOwner(tmp, owner.owner());
                    Files.getFileAttributeView(tmp, PosixFileAttributeView.class).setGroup(owner.group());
                }
                if (mode != null) {
                    Files.setPosixFilePermissions(tmp, mode);
                }
            } catch (UnsupportedOperationException notPosix) {
                // Not a POSIX file system: its defaults stand.
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncFolder(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void write(Path target, byte[] content) throws IOException {
        write(target, file -> Files.write(file, content));
    }

    /**
     * Deletes a file so that its going survives a power cut as well.
     *
     * @throws java.nio.file.NoSuchFileException if it is not there
     */
    public static void delete(Path target) throws IOException {
        Files.delete(target);
        syncFolder(target.toAbsolutePath().getParent());
    }

    /**
     * Deletes the temporary files a crash left in {@code dir} while writing a file whose name starts
     * with {@code targetPrefix} ("" for any). Only for a folder whose writers have not started yet:
     * a temporary file in use looks the same.
     *
     * @return how many it deleted
     */
    public static int removeLeftovers(Path dir, String targetPrefix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (var files = Files.newDirectoryStream(dir, f -> isLeftover(f, targetPrefix))) {
            for (Path f : files) {
                Files.deleteIfExists(f);
                removed++;
            }
        }
        return removed;
    }

    /** {@link #write}'s temporary files are named {@code .<target name><random>.tmp}. */
    private static boolean isLeftover(Path file, String targetPrefix) {
        String name = file.getFileName().toString();
        return name.startsWith("." + targetPrefix) && name.endsWith(".tmp") && Files.isRegularFile(file);
    }

    private static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException notSupported) {
            // Some file systems cannot open a folder for syncing; the rename is still atomic there.
        }
    }
}
