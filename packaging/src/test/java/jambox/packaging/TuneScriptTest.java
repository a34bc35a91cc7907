package jambox.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd/jambox-tune against a folder shaped like /sys: the governor goes to performance while
 * JACK runs and back afterwards, and Wi-Fi power save is turned off through iw.
 */
class TuneScriptTest {
    private static final Path SCRIPT = Path.of("../systemd/jambox-tune").toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void theGovernorIsPerformanceWhileJackRunsAndPutBackAfter() throws IOException {
        Path sys = tmp.resolve("sys");
        Path cpu0 = governor(sys, 0, "schedutil");
        Path cpu1 = governor(sys, 1, "ondemand");
        Shell.Result start = tune("start", sys, tmp.resolve("bin-without-iw"));
        assertEquals("performance\n", Files.readString(cpu0));
        assertEquals("performance\n", Files.readString(cpu1));
        assertTrue(start.out().contains("CPU governor: performance"), start.out());
        // A second start (JACK restarted) must not save 'performance' as the governor to go back to.
        tune("start", sys, tmp.resolve("bin-without-iw"));
        tune("stop", sys, tmp.resolve("bin-without-iw"));
        assertEquals("schedutil\n", Files.readString(cpu0));
        assertEquals("ondemand\n", Files.readString(cpu1));
    }

    @Test
    void wifiPowerSaveGoesOffOnEveryWirelessInterface() throws IOException {
        Path sys = tmp.resolve("sys");
        Files.createDirectories(sys.resolve("class/net/wlan0/wireless"));
        Files.createDirectories(sys.resolve("class/net/eth0"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path calls = tmp.resolve("iw-calls");
        Path iw = bin.resolve("iw");
        Files.writeString(iw, "#!/bin/sh\necho \"$*\" >>" + calls + "\n");
        Files.setPosixFilePermissions(iw, PosixFilePermissions.fromString("rwxr-xr-x"));
        Shell.Result start = tune("start", sys, bin);
        assertEquals(List.of("dev wlan0 set power_save off"), Files.readAllLines(calls));
        assertTrue(start.out().contains("wlan0: Wi-Fi power save off"), start.out());
        assertTrue(start.out().contains("no CPU frequency scaling here"), start.out());
    }

    @Test
    void withoutIwItSaysSoAndStillSucceeds() throws IOException {
        Path sys = tmp.resolve("sys");
        Files.createDirectories(sys.resolve("class/net/wlan0/wireless"));
        Shell.Result start = tune("start", sys, Files.createDirectories(tmp.resolve("empty-bin")));
        assertTrue(start.out().contains("wlan0: could not turn Wi-Fi power save off"), start.out());
    }

    private static Path governor(Path sys, int cpu, String current) throws IOException {
        Path g = sys.resolve("devices/system/cpu/cpu" + cpu + "/cpufreq/scaling_governor");
        Files.createDirectories(g.getParent());
        Files.writeString(g, current + "\n");
        return g;
    }

    /** Runs the script with only {@code bin} and the basic tools on its PATH, so iw is ours or absent. */
    private Shell.Result tune(String action, Path sys, Path bin) {
        return Shell.run(Duration.ofSeconds(20), List.of("/usr/bin/env", "-i", "PATH=" + bin + ":" + coreTools(),
                "JAMBOX_SYSFS=" + sys, "JAMBOX_TUNE_STATE=" + tmp.resolve("state"), "sh", SCRIPT.toString(), action)).ok();
    }

    /** /usr/bin may hold a real iw, which the script must not find: a folder of just the tools it uses. */
    private Path coreTools() {
        try {
            Path core = Files.createDirectories(tmp.resolve("core"));
            for (String tool : List.of("cat", "basename", "dirname", "mkdir", "rm", "sh")) {
                Path link = core.resolve(tool);
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, Path.of("/usr/bin", tool).toRealPath());
                }
            }
            return core;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
