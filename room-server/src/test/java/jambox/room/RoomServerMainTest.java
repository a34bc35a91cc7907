package jambox.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: usage, clear errors for bad flags and files, and a start with good ones. */
class RoomServerMainTest {
    @TempDir
    Path dir;
    String out;
    String err;

    int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = RoomServerMain.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8), false);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    int runFree(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--port", "0", "--status-port", "0"}, 0, all, args.length, 4);
        return run(all);
    }

    @Test
    void helpListsEveryOption() {
        assertEquals(0, run("--help"));
        for (String option : new String[] {"--rooms", "--room", "--mix-room", "--port", "--bind", "--status-port", "--status-bind",
                "--timeout-ms", "--record-dir", "--max-pps", "--batch-us"}) {
            assertTrue(out.contains(option + " "), option);
        }
    }

    @Test
    void badFlagsGetOneClearLineAndExit2() {
        assertEquals(2, run());
        assertTrue(err.contains("no rooms"), err);
        assertEquals(2, run("--room", "jam:long enough", "--frobnicate", "1"));
        assertTrue(err.contains("unknown option '--frobnicate'"), err);
        assertEquals(2, run("--room", "jam:long enough", "--port", "abc"));
        assertTrue(err.contains("--port takes a whole number from 0 to 65535, got 'abc'"), err);
        assertEquals(2, run("--room", "jam:long enough", "--port", "70000"));
        assertTrue(err.contains("--port"), err);
        assertEquals(2, run("--room", "jam"));
        assertTrue(err.contains("NAME:SECRET"), err);
        assertEquals(2, run("--room", "jam:short"));
        assertTrue(err.contains("shorter than 8 bytes"), err);
        assertEquals(2, run("--room", "jam:long enough:0"));
        assertTrue(err.contains("capacity 0"), err);
        assertEquals(2, run("--room", "jam:long enough", "--room", "jam:other secret"));
        assertTrue(err.contains("given twice"), err);
        assertEquals(2, run("--room", "jam:long enough", "--bind", "example.org"));
        assertTrue(err.contains("numeric IPv4 or IPv6"), err);
        assertEquals(2, run("--port"));
        assertTrue(err.contains("--port needs a value"), err);
        assertEquals(2, run("--mix-room", "jam:short"));
        assertTrue(err.contains("--mix-room jam: secret of room 'jam' is shorter than 8 bytes"), err);
        assertEquals(2, run("--room", "jam:long enough", "--mix-room", "jam:other secret"));
        assertTrue(err.contains("given twice"), err);
    }

    @Test
    void aMixRoomFromTheCommandLineIsMixedByTheServer() {
        assertEquals(0, runFree("--mix-room", "duo:long enough:2", "--room", "jam:long enough"));
        assertTrue(out.contains("room 'duo' (capacity 2, mixed by the server)"), out);
        assertTrue(out.contains("room 'jam' (capacity 16)"), out);
        assertTrue(!out.contains("long enough"), "secrets are never printed: " + out);
    }

    @Test
    void aRoomsFileLoadsItsGoodRoomsAndReportsItsBadOnes() throws Exception {
        Path rooms = dir.resolve("rooms.json");
        Files.writeString(rooms, """
                {"version": 1, "rooms": [
                  {"name": "jam", "secret": "correct horse", "capacity": 4},
                  {"name": "big", "secret": "correct horse", "capacity": 99},
                  {"name": "typo", "secret": "correct horse", "capacty": 4},
                  {"name": "nosecret"},
                  {"name": "jam", "secret": "another secret"}
                ]}""");
        assertEquals(0, runFree("--rooms", rooms.toString()));
        assertTrue(out.contains("room 'jam' (capacity 4)") && !out.contains("big"), out);
        assertTrue(err.contains("skipped: " + rooms + ": rooms[1]: capacity 99 is outside 1..64"), err);
        assertTrue(err.contains("rooms[2]: unknown field 'capacty'"), err);
        assertTrue(err.contains("rooms[3]: secret: expected a string"), err);
        assertTrue(err.contains("rooms[4]: room 'jam' is named twice"), err);
        assertTrue(!out.contains("correct horse") && !err.contains("correct horse"), "secrets are never printed");
    }

    @Test
    void aBrokenRoomsFileIsAnErrorNamingIt() throws Exception {
        Path rooms = dir.resolve("rooms.json");
        Files.writeString(rooms, "{\"version\": 1, \"rooms\": [");
        assertEquals(2, runFree("--rooms", rooms.toString()));
        assertTrue(err.contains(rooms + ": not valid JSON"), err);
        Files.writeString(rooms, "{\"version\": 2, \"rooms\": []}");
        assertEquals(2, runFree("--rooms", rooms.toString()));
        assertTrue(err.contains("version: expected 1"), err);
        assertEquals(2, runFree("--rooms", dir.resolve("missing.json").toString()));
        assertTrue(err.contains("missing.json"), err);
    }

    @Test
    void aPortInUseIsReported() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0)) {
            assertEquals(1, run("--room", "jam:long enough", "--port", String.valueOf(taken.getLocalPort()),
                    "--status-port", "0"));
            assertTrue(err.contains("cannot listen on UDP"), err);
        }
    }
}
