package jambox.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The two packages this module built, and what dpkg-deb reads out of them. Test threads only. */
final class Debs {
    static final Path DIR = Path.of(System.getProperty("jambox.deb.dir", "target/deb"));
    /** The Maven version: what the box itself reports. */
    static final String PROJECT_VERSION = System.getProperty("jambox.version", "0.1.0-SNAPSHOT");
    /** Debian sorts '~' before everything, so a snapshot comes before its release. */
    static final String VERSION = PROJECT_VERSION.replace("-SNAPSHOT", "~SNAPSHOT");
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private Debs() {
    }

    static Path box() {
        return file("jambox");
    }

    static Path room() {
        return file("jambox-room");
    }

    private static Path file(String name) {
        Path deb = DIR.resolve(name + "_" + VERSION + "_all.deb");
        assertTrue(Files.isRegularFile(deb), deb + " was not built");
        return deb;
    }

    /**
     * Empties {@code work} and puts {@code debs} into {@code work/host/deb}; returns {@code work/host},
     * the folder a guest sees read-only at /host.
     */
    static Path share(Path work, Path... debs) throws IOException {
        Shell.deleteTree(work);
        Path dir = Files.createDirectories(work.resolve("host/deb"));
        for (Path deb : debs) {
            Files.copy(deb, dir.resolve(deb.getFileName()));
        }
        return work.resolve("host");
    }

    /** One line per entry: mode, owner, size, path without the leading '.', as dpkg-deb --contents lists them. */
    record Entry(String mode, String owner, long size, String path) {
        boolean directory() {
            return mode.startsWith("d");
        }
    }

    static List<Entry> contents(Path deb) {
        List<Entry> entries = new ArrayList<>();
        for (String line : Shell.run(LIMIT, List.of("dpkg-deb", "--contents", deb.toString())).ok().out().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+", 6);
            String path = f[5].startsWith("./") ? f[5].substring(1) : f[5];
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            entries.add(new Entry(f[0], f[1], Long.parseLong(f[2]), path.split(" -> ")[0]));
        }
        return entries;
    }

    static String field(Path deb, String name) {
        return Shell.run(LIMIT, List.of("dpkg-deb", "--field", deb.toString(), name)).ok().out().trim();
    }

    /** The maintainer scripts and control files, unpacked into {@code dir}. */
    static Path control(Path deb, Path dir) {
        Shell.run(LIMIT, List.of("dpkg-deb", "--control", deb.toString(), dir.toString())).ok();
        return dir;
    }

    /** What both packages depend on: a system where they install without a download. */
    static List<String> allDepends() {
        List<String> all = new ArrayList<>(depends(box()));
        all.addAll(depends(room()));
        return all;
    }

    /** The first alternative of every dependency: what a system needs before the package installs. */
    static List<String> depends(Path deb) {
        return Arrays.stream(field(deb, "Depends").split(","))
                .map(d -> d.split("\\|")[0].trim().split("\\s")[0])
                .toList();
    }
}
