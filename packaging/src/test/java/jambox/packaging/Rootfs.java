package jambox.packaging;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A Debian trixie root filesystem made by mmdebstrap from Debian's own packages. Test threads only. */
final class Rootfs {
    /** JAMBOX_DEBIAN_MIRROR overrides the archive, for a machine with a local mirror. */
    static final String MIRROR = System.getenv().getOrDefault("JAMBOX_DEBIAN_MIRROR", "http://deb.debian.org/debian");

    private Rootfs() {
    }

    /**
     * Builds trixie for this machine's architecture into {@code dir} (which must not exist yet): the
     * 'apt' variant, systemd as init, and {@code packages}.
     */
    static Path build(Path dir, List<String> packages) {
        Set<String> include = new LinkedHashSet<>(List.of("systemd-sysv", "dbus", "passwd"));
        include.addAll(packages);
        List<String> cmd = new ArrayList<>(List.of("mmdebstrap", "--quiet", "--mode=root", "--variant=apt",
                "--include=" + String.join(",", include), "trixie", dir.toString(), MIRROR));
        Shell.run(Duration.ofMinutes(15), cmd).ok();
        return dir;
    }
}
