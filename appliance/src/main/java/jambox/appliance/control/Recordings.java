package jambox.appliance.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The takes in the recordings folder as the page lists them, and the one way a file of theirs
 * leaves the box over HTTP ({@link RecordingFiles}). A download link carries a key the box made
 * at start and gives only to pages it let in (over the WebSocket, after the PIN when there is
 * one): the HTTP request itself has no other proof of who asks. Only a {@code .wav} directly inside
 * a take's folder, both plain names, is ever served; whatever resolves outside the folder
 * (a link, a {@code ..}) is not.
 */
final class Recordings {
    static final String PREFIX = "/recordings/";
    /** The newest this many takes are listed: a page is no file manager. */
    static final int MAX_TAKES = 50;
    private static final Pattern TAKE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}\\.wav");

    private final Path folder;
    private final String key;

    Recordings(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
        byte[] k = new byte[16];
        new SecureRandom().nextBytes(k);
        key = HexFormat.of().formatHex(k);
    }

    Path folder() {
        return folder;
    }

    /**
     * The reply to {@code recordings}: the folder, and each take (newest first) with its files,
     * their sizes and download links. {@code current}: the take being recorded now (its files
     * still grow), or null. File I/O: control thread.
     */
    void list(ObjectNode reply, Path current) {
        reply.put("folder", folder.toString());
        ArrayNode takes = reply.putArray("takes");
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder,
                p -> TAKE.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
            dir.forEach(found::add);
        } catch (IOException e) {
            return; // no folder yet: nothing recorded
        }
        found.sort(Comparator.comparing(Recordings::modified).reversed());
        Path now = current == null ? null : current.toAbsolutePath().normalize();
        for (Path take : found.subList(0, Math.min(found.size(), MAX_TAKES))) {
            ObjectNode t = takes.addObject().put("name", take.getFileName().toString())
                    .put("modified", modified(take)).put("recording", take.equals(now));
            ArrayNode files = t.putArray("files");
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(take,
                    p -> FILE.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))) {
                List<Path> wavs = new ArrayList<>();
                dir.forEach(wavs::add);
                wavs.sort(Comparator.comparing(p -> p.getFileName().toString()));
                for (Path f : wavs) {
                    String name = f.getFileName().toString();
                    files.addObject().put("name", name).put("bytes", Files.size(f))
                            .put("url", PREFIX + t.get("name").asText() + "/" + name + "?key=" + key);
                }
            } catch (IOException e) {
                t.put("problem", "cannot read the folder: " + e.getMessage());
            }
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The key pages the box let in are given: it also admits an impulse-response upload
     * ({@link IrUpload}), whose request has no other proof of who sends it either.
     */
    String key() {
        return key;
    }

    /** Whether {@code asked} is the key, compared in constant time (the time taken tells nothing). */
    boolean keyIs(String asked) {
        return asked != null && MessageDigest.isEqual(asked.getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The file a download asks for, or null when it may not have it: a wrong key, a name that is
     * not plain, or a path that is not a regular file inside the folder once links are followed.
     */
    Path file(String askedKey, String take, String file) {
        if (!keyIs(askedKey)) {
            return null;
        }
        if (!TAKE.matcher(take).matches() || !FILE.matcher(file).matches()) {
            return null;
        }
        try {
            Path real = folder.resolve(take).resolve(file).toRealPath();
            return real.startsWith(folder.toRealPath()) && Files.isRegularFile(real) ? real : null;
        } catch (IOException e) {
            return null;
        }
    }
}
