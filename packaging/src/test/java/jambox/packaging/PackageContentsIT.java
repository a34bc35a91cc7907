package jambox.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the two .deb files hold, read back with dpkg-deb and checked with lintian. */
class PackageContentsIT {
    @TempDir
    Path tmp;

    @Test
    void theBoxPackageHoldsItsProgramServicesAndConfig() {
        Map<String, Debs.Entry> files = byPath(Debs.contents(Debs.box()));
        for (String path : List.of("/usr/bin/jambox", "/usr/lib/jambox/jambox-jack", "/usr/lib/jambox/jambox-tune",
                "/usr/lib/jambox/jambox-mdns")) {
            assertEquals("-rwxr-xr-x", files.get(path).mode(), path);
        }
        for (String path : List.of("/usr/share/jambox/jambox-appliance.jar", "/usr/share/jambox/java-21",
                "/usr/lib/systemd/system/jambox.service", "/usr/lib/systemd/system/jambox-jack.service",
                "/usr/lib/systemd/system/jambox-mdns.service",
                "/usr/lib/sysusers.d/jambox.conf", "/usr/lib/tmpfiles.d/jambox.conf",
                "/usr/lib/udev/rules.d/90-jambox.rules", "/etc/security/limits.d/jambox.conf",
                "/usr/share/jambox/avahi-jambox.service", "/etc/jambox/jambox.json",
                "/usr/share/doc/jambox/copyright", "/usr/share/doc/jambox/changelog.gz",
                "/usr/share/doc/jambox/install.md", "/usr/share/man/man1/jambox.1.gz")) {
            assertTrue(files.containsKey(path), path + " is missing");
            assertEquals("-rw-r--r--", files.get(path).mode(), path);
        }
        // The runtime: JACK through JNAJack and JNA, the page through Netty, the knobs through Pi4J, MIDI controllers,
        // and epoll natives for both the Pi and a PC.
        Set<String> jars = files.keySet().stream().filter(p -> p.startsWith("/usr/share/jambox/lib/"))
                .map(p -> p.substring("/usr/share/jambox/lib/".length())).collect(Collectors.toCollection(TreeSet::new));
        for (String prefix : List.of("jnajack-", "jna-", "TarsosDSP-", "netty-codec-http-", "jackson-databind-",
                "pi4j-core-", "pi4j-plugin-gpiod-", "jambox-dsp-pedals-", "jambox-protocol-", "jambox-stream-", "jambox-control-surface-",
                "jambox-gpio-", "jambox-midi-", "concentus-")) {
            assertTrue(jars.stream().anyMatch(j -> j.startsWith(prefix)), prefix + "*.jar missing from " + jars);
        }
        assertTrue(jars.stream().anyMatch(j -> j.contains("linux-aarch_64")), "no arm64 epoll native: " + jars);
        assertTrue(files.values().stream().allMatch(e -> e.owner().equals("root/root")), "every file is root's");
        assertTrue(files.values().stream().noneMatch(e -> e.path().contains("/test")), "no test classes or jars");
    }

    @Test
    void theRoomPackageHoldsOnlyTheServer() {
        Map<String, Debs.Entry> files = byPath(Debs.contents(Debs.room()));
        assertEquals("-rwxr-xr-x", files.get("/usr/bin/jambox-room").mode());
        for (String path : List.of("/usr/share/jambox-room/jambox-room-server.jar", "/usr/lib/systemd/system/jambox-room.service",
                "/usr/share/doc/jambox-room/examples/rooms.json", "/usr/share/doc/jambox-room/install.md",
                "/usr/share/man/man1/jambox-room.1.gz")) {
            assertTrue(files.containsKey(path), path + " is missing");
        }
        for (String prefix : List.of("jambox-protocol-", "jambox-common-", "jambox-stream-")) {
            assertTrue(files.keySet().stream().anyMatch(p -> p.startsWith("/usr/share/jambox-room/lib/" + prefix)),
                    prefix + "*.jar missing from the room package (a mix room's jitter buffers live in jambox-stream)");
        }
        assertTrue(files.keySet().stream().noneMatch(p -> p.contains("appliance") || p.contains("jnajack")
                || p.contains("pi4j") || p.startsWith("/etc/")), "the room server carries nothing of the box: " + files.keySet());
        assertEquals(List.of("openjdk-21-jre-headless"), Debs.depends(Debs.room()), "the room server needs only a JRE");
    }

    @Test
    void controlFieldsNameTheVersionTheRuntimeAndTheBoxsNeeds() {
        assertEquals(Debs.VERSION, Debs.field(Debs.box(), "Version"));
        assertEquals("all", Debs.field(Debs.box(), "Architecture"));
        assertEquals("all", Debs.field(Debs.room(), "Architecture"));
        assertTrue(Debs.field(Debs.box(), "Depends").startsWith("openjdk-21-jre-headless | java21-runtime-headless"));
        assertTrue(Debs.depends(Debs.box()).containsAll(List.of("jackd2", "alsa-utils", "avahi-daemon", "avahi-utils", "udev")),
                Debs.field(Debs.box(), "Depends"));
    }

    @Test
    void everyFileUnderEtcIsAConffileAndNothingElse() throws IOException {
        for (Path deb : List.of(Debs.box(), Debs.room())) {
            Set<String> etc = Debs.contents(deb).stream().filter(e -> !e.directory() && e.path().startsWith("/etc/"))
                    .map(Debs.Entry::path).collect(Collectors.toCollection(TreeSet::new));
            Path conffiles = Debs.control(deb, tmp.resolve(deb.getFileName().toString())).resolve("conffiles");
            Set<String> declared = Files.exists(conffiles)
                    ? Files.readAllLines(conffiles).stream().filter(l -> !l.isBlank()).collect(Collectors.toCollection(TreeSet::new))
                    : Set.of();
            assertEquals(etc, declared, deb.getFileName() + ": an upgrade must never overwrite a player's edits");
        }
    }

    @Test
    void maintainerScriptsManageUsersServicesAndPurge() throws IOException {
        Path box = Debs.control(Debs.box(), tmp.resolve("box"));
        Path room = Debs.control(Debs.room(), tmp.resolve("room"));
        for (Path dir : List.of(box, room)) {
            for (String script : List.of("postinst", "prerm", "postrm")) {
                Path file = dir.resolve(script);
                assertTrue(Files.isExecutable(file), file + " is not executable");
                Shell.run(Duration.ofSeconds(10), List.of("sh", "-n", file.toString())).ok();
            }
        }
        String postinst = Files.readString(box.resolve("postinst"));
        assertTrue(postinst.contains("systemd-sysusers jambox.conf"), "creates the user from sysusers.d");
        assertTrue(postinst.contains("systemd-tmpfiles --create jambox.conf"), "creates the data folder from tmpfiles.d");
        for (String unit : List.of("jambox-jack.service", "jambox.service", "jambox-mdns.service")) {
            assertTrue(postinst.contains(unit), "postinst enables and starts " + unit);
            assertTrue(Files.readString(box.resolve("postrm")).contains(unit), "postrm purges the state of " + unit);
        }
        assertTrue(postinst.contains("deb-systemd-helper enable"));
        assertTrue(Files.readString(box.resolve("prerm")).contains("deb-systemd-invoke stop jambox-mdns.service jambox.service jambox-jack.service"));
        String purge = Files.readString(box.resolve("postrm"));
        assertTrue(purge.contains("rm -rf /etc/jambox /var/lib/jambox"), "purge takes the config and the data");
        assertTrue(Files.readString(room.resolve("postinst")).contains("deb-systemd-helper enable jambox-room.service"));
        assertTrue(Files.readString(room.resolve("postrm")).contains("/etc/jambox-room"));
        // The sysusers.d file the script names is the one the package ships, with the audio group.
        String sysusers = Files.readString(Path.of("../systemd/jambox.sysusers"));
        assertTrue(sysusers.contains("m jambox audio"), sysusers);
    }

    @Test
    void lintianFindsNoErrors() {
        Shell.need(Shell.onPath("lintian"), "lintian is not installed (apt-get install lintian)");
        Shell.Result r = Shell.run(Duration.ofMinutes(5), List.of("lintian", "--allow-root", "--no-tag-display-limit",
                Debs.box().toString(), Debs.room().toString()));
        List<String> errors = Arrays.stream(r.out().split("\n")).filter(l -> l.startsWith("E: ")).toList();
        assertEquals(List.of(), errors, r.out());
        // Exit 0, or 2 for warnings only; anything else is lintian itself failing.
        assertTrue(r.exit() == 0 || r.exit() == 2, r.toString());
    }

    private static Map<String, Debs.Entry> byPath(List<Debs.Entry> entries) {
        return entries.stream().collect(Collectors.toMap(Debs.Entry::path, Function.identity()));
    }
}
