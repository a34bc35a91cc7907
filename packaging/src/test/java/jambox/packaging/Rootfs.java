package jambox.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A Debian trixie root filesystem made by mmdebstrap from Debian's own packages. Test threads only. */
final class Rootfs {
    /** JAMBOX_DEBIAN_MIRROR overrides the archive, for a machine with a local mirror. */
    static final String MIRROR = System.getenv().getOrDefault("JAMBOX_DEBIAN_MIRROR", "http://deb.debian.org/debian");

    private Rootfs() {
    }

    /** Trees already built in this JVM, by their package list: each test class copies one. */
    private static final Map<Set<String>, Path> BUILT = new HashMap<>();

    /**
     * Lays trixie for this machine's architecture into {@code dir} (which must not exist yet): the
     * 'apt' variant, systemd as init, and {@code packages}. The first call for a package list runs
     * mmdebstrap; later ones copy its tree.
     */
    static synchronized Path build(Path dir, List<String> packages) throws IOException {
        Set<String> include = new LinkedHashSet<>(List.of("systemd-sysv", "dbus", "passwd"));
        include.addAll(packages);
        Path built = BUILT.get(include);
        if (built == null) {
            built = Files.createTempDirectory(Path.of("target"), "rootfs-").toAbsolutePath().resolve("root");
            List<String> cmd = new ArrayList<>(List.of("mmdebstrap", "--quiet", "--mode=root", "--variant=apt",
                    "--include=" + String.join(",", include), "trixie", built.toString(), MIRROR));
            Shell.run(Duration.ofMinutes(15), cmd).ok();
            BUILT.put(include, built);
            Path made = built.getParent();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> Shell.deleteTree(made)));
        }
        Shell.run(Duration.ofMinutes(5), List.of("cp", "-a", built.toString(), dir.toString())).ok();
        return dir;
    }
}
