package jambox.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The unit file starts the packaged launcher with options the server really has, and the launcher the real main class. */
class SystemdUnitTest {
    @Test
    void theUnitStartsTheRoomServerWithKnownOptions() throws Exception {
        String unit = Files.readString(Path.of("..", "systemd", "jambox-room.service"));
        Matcher exec = Pattern.compile("(?m)^ExecStart=((?:.*\\\\\\n)*.*)$").matcher(unit);
        assertTrue(exec.find(), "an ExecStart line");
        String command = exec.group(1).replace("\\\n", " ");
        assertTrue(command.startsWith("/usr/bin/jambox-room "), command);
        Matcher option = Pattern.compile(" (--[a-z-]+)").matcher(command);
        int n = 0;
        while (option.find()) {
            assertTrue(RoomServerMain.USAGE.contains(option.group(1) + " "), option.group(1) + " is not an option");
            n++;
        }
        assertEquals(5, n, "rooms, port, status bind and port, record dir");
        assertFalse(command.contains("--room "), "secrets belong in /etc/jambox-room/rooms.json, not on a command line");

        String launcher = Files.readString(Path.of("..", "packaging", "src", "deb", "bin", "jambox-room"));
        assertTrue(launcher.contains(" " + RoomServerMain.class.getName() + " \"$@\""), launcher);
    }

    /** The JVM's memory bounds (docs/benchmarks.md, soak) are the same for ./jambox room, the package and its unit. */
    @Test
    void theLaunchersBoundMemoryAlike() throws Exception {
        String dev = Files.readString(Path.of("..", "jambox"));
        String deb = Files.readString(Path.of("..", "packaging", "src", "deb", "bin", "jambox-room"));
        String unit = Files.readString(Path.of("..", "systemd", "jambox-room.service"));
        java.util.List<String> bounds = java.util.List.of("-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch",
                "-XX:MaxDirectMemorySize=64m", "-XX:TrimNativeHeapInterval=30000");
        String room = dev.substring(dev.indexOf("\n    room)"), dev.indexOf("RoomServerMain", dev.indexOf("\n    room)")));
        for (String flag : bounds) {
            assertTrue(room.contains(" " + flag + " "), "./jambox room: " + flag);
            assertTrue(deb.contains(" " + flag + " "), "jambox-room: " + flag);
        }
        assertFalse(room.contains("-Xmx512m") || deb.contains("-Xmx512m"), "one heap size");
        String load = Files.readString(Path.of("..", "bench", "src", "main", "java", "jambox", "bench", "room",
                "RoomLoad.java"));
        assertTrue(load.contains("\"-XX:+UseZGC " + String.join(" ", bounds) + "\""), "bench room runs the server alike");
        assertTrue(room.contains("MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}"), room);
        assertTrue(deb.contains("MALLOC_ARENA_MAX=\"${MALLOC_ARENA_MAX:-2}\""), deb);
        assertTrue(unit.contains("\nEnvironment=MALLOC_ARENA_MAX=2\n"), unit);
    }
}
