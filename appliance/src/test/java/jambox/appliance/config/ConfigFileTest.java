package jambox.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.protocol.Codec;

class ConfigFileTest {
    @TempDir
    Path dir;

    private ApplianceConfig read(String json) throws Exception {
        Path f = dir.resolve("jambox.json");
        Files.writeString(f, json);
        return ConfigFile.read(f);
    }

    private String error(String json) throws Exception {
        Path f = dir.resolve("jambox.json");
        Files.writeString(f, json);
        String m = assertThrows(ConfigFile.BadConfigException.class, () -> ConfigFile.read(f)).getMessage();
        assertTrue(m.startsWith(f.toString() + ": "), m);
        return m.substring(f.toString().length() + 2);
    }

    @Test
    void aFullFileIsReadAndRelativePathsStartFromItsFolder() throws Exception {
        ApplianceConfig c = read("""
                {"version": 1,
                 "audio": {"backend": "simulated", "input": "riff", "frames": 128},
                 "board": "boards/crunch.json",
                 "room": {"host": "127.0.0.1", "port": 7000, "name": "jam", "secret": "12345678", "player": "Ann",
                          "labels": ["guitar"], "codec": "PCM24", "frames": 32},
                 "jitter": {"mode": "fixed", "periods": 3}}""");
        assertEquals("simulated", c.audio().backend());
        assertEquals(128, c.audio().frames());
        assertEquals(48_000, c.audio().sampleRate());
        assertEquals(dir.resolve("boards/crunch.json"), c.board());
        assertEquals(7000, c.room().port());
        assertEquals(List.of("guitar"), c.room().labels());
        assertEquals(Codec.PCM24, c.room().codec());
        assertEquals(new ApplianceConfig.Jitter(false, 3), c.jitter());
    }

    @Test
    void onlyTheVersionIsRequired() throws Exception {
        ApplianceConfig c = read("{\"version\": 1}");
        assertEquals(ApplianceConfig.DEFAULT, c);
        assertNull(c.room(), "no room: the box plays alone");
    }

    @Test
    void mistakesAreNamedWithTheirPlace() throws Exception {
        assertEquals("version: expected a whole number", error("{}"));
        assertEquals("version: 2 is outside 1 .. 1", error("{\"version\": 2}"));
        assertTrue(error("{\"version\": 1, \"audoi\": {}}").startsWith("audoi: unknown field (known: audio, board,"));
        assertEquals("audio.backend: expected auto, jack or simulated, found 'alsa'",
                error("{\"version\": 1, \"audio\": {\"backend\": \"alsa\"}}"));
        assertEquals("audio.frames: expected 32, 64 or 128 frames per period, found 5000",
                error("{\"version\": 1, \"audio\": {\"frames\": 5000}}"));
        assertEquals("room.secret: missing", error("{\"version\": 1, \"room\": {\"host\": \"h\", \"name\": \"jam\", \"player\": \"A\"}}"));
        assertEquals("room: the room secret needs at least 8 characters", error(
                "{\"version\": 1, \"room\": {\"host\": \"h\", \"name\": \"jam\", \"player\": \"A\", \"secret\": \"short\"}}"));
        assertEquals("room.port: expected a whole number", error(
                "{\"version\": 1, \"room\": {\"host\": \"h\", \"name\": \"j\", \"player\": \"A\", \"secret\": \"12345678\", \"port\": \"x\"}}"));
        assertEquals("room.codec: expected PCM16, PCM24, FLOAT32 or OPUS, found 'mp3'", error(
                "{\"version\": 1, \"room\": {\"host\": \"h\", \"name\": \"j\", \"player\": \"A\", \"secret\": \"12345678\", \"codec\": \"mp3\"}}"));
        assertEquals("jitter.periods: 0 is outside 1 .. 32", error("{\"version\": 1, \"jitter\": {\"periods\": 0}}"));
        assertEquals("control.pin: expected 4 to 12 digits", error("{\"version\": 1, \"control\": {\"pin\": \"abc\"}}"));
        assertEquals("control.port: 80000 is outside 0 .. 65535", error("{\"version\": 1, \"control\": {\"port\": 80000}}"));
        assertTrue(error("{\"version\": 1, \"control\": {\"prot\": 80}}").startsWith("control.prot: unknown field"));
        assertTrue(error("{\"version\": 1,").startsWith("not valid JSON: "), "truncated");
        assertTrue(error("{\"version\": 1, \"version\": 1}").contains("version"), "duplicate key");
    }

    /** room.redundancy: copies of the 0, 1 or 2 packets before in each packet, as long as the body fits. */
    @Test
    void redundancyIsZeroToTwoAndMustFitThePacket() throws Exception {
        String room = "\"room\": {\"host\": \"h\", \"name\": \"j\", \"player\": \"A\", \"secret\": \"12345678\"";
        assertEquals(0, read("{\"version\": 1, " + room + "}}").room().redundancy(), "off unless asked for");
        for (int r = 0; r <= 2; r++) {
            assertEquals(r, read("{\"version\": 1, " + room + ", \"redundancy\": " + r + "}}").room().redundancy());
        }
        assertEquals("room.redundancy: 3 is outside 0 .. 2", error("{\"version\": 1, " + room + ", \"redundancy\": 3}}"));
        assertEquals("room.redundancy: -1 is outside 0 .. 2", error("{\"version\": 1, " + room + ", \"redundancy\": -1}}"));
        assertEquals("room.redundancy: expected a whole number", error("{\"version\": 1, " + room + ", \"redundancy\": \"1\"}}"));
        assertEquals("room: redundancy 1 makes an audio body of 256 frames x 2 channel(s) x 4 bytes x (1 + 1 copies)"
                + " = 4096 bytes, over the protocol's 2048", error("{\"version\": 1, " + room
                + ", \"codec\": \"FLOAT32\", \"frames\": 256, \"redundancy\": 1}}"));
        assertEquals("room: redundancy 2 makes an audio body of 128 frames x 2 channel(s) x 3 bytes x (1 + 2 copies)"
                + " = 2304 bytes, over the protocol's 2048", error("{\"version\": 1, " + room
                + ", \"codec\": \"PCM24\", \"frames\": 128, \"redundancy\": 2}}"));
        assertEquals(1, read("{\"version\": 1, " + room + ", \"codec\": \"PCM24\", \"frames\": 128, \"redundancy\": 1}}")
                .room().redundancy(), "2 x 768 bytes fit");
        assertEquals("room: redundancy 1 with Opus: copies are for PCM codecs only (an Opus body's length varies,"
                + " and the copy count is read from it)",
                error("{\"version\": 1, " + room + ", \"codec\": \"OPUS\", \"redundancy\": 1}}"));
    }

    /** Opus: packets of its 2.5 ms frame whatever the period, a bitrate in kbit/s, and clear refusals. */
    @Test
    void opusSendsItsOwnFramesAtABitrateInRange() throws Exception {
        String room = "{\"version\": 1, \"room\": {\"host\": \"h\", \"name\": \"j\", \"player\": \"A\","
                + " \"secret\": \"12345678\", \"codec\": \"OPUS\"";
        ApplianceConfig c = read(room + "}}");
        assertEquals(Codec.OPUS, c.room().codec());
        assertEquals(120, c.room().frames(), "2.5 ms packets, not the period's 64");
        assertEquals(128_000, c.room().opusBitrate(), "the default");
        assertEquals(96_000, read(room + ", \"bitrateKbps\": 96}}").room().opusBitrate());
        assertEquals(64_000, read(room + ", \"labels\": [\"guitar\"], \"bitrateKbps\": 64}}").room().opusBitrate(),
                "a mono stream may go down to 64");
        assertEquals("room.bitrateKbps: 300 is outside 64 .. 256", error(room + ", \"bitrateKbps\": 300}}"));
        assertEquals("room.bitrateKbps: Opus bitrate 64 kbit/s is too low for stereo at 2.5 ms frames (it would fold"
                + " the two channels into one): at least 72", error(room + ", \"bitrateKbps\": 64}}"));
        assertEquals("room.frames: Opus travels in 2.5 ms frames: 120 frames per packet, not 64",
                error(room + ", \"frames\": 64}}"));
        assertEquals("room.bitrateKbps: only Opus has a bitrate, and room.codec is PCM16 (PCM's follows from its format)",
                error(room.replace("OPUS", "PCM16") + ", \"bitrateKbps\": 96}}"));
    }

    /** One key sets both JACK's period and the packets' size: 32 x 2 is the low-latency option. */
    @Test
    void audioFramesIs32Or64Or128AndSetsThePacketsUnlessTheRoomSaysOtherwise() throws Exception {
        String room = "\"room\": {\"host\": \"h\", \"name\": \"j\", \"player\": \"A\", \"secret\": \"12345678\"";
        for (int frames : List.of(32, 64, 128)) {
            ApplianceConfig c = read("{\"version\": 1, \"audio\": {\"frames\": " + frames + "}, " + room + "}}");
            assertEquals(frames, c.audio().frames());
            assertEquals(2, c.audio().periods());
            assertEquals(frames, c.room().frames(), "packets of the period's size");
        }
        ApplianceConfig apart = read("{\"version\": 1, \"audio\": {\"frames\": 32}, " + room + ", \"frames\": 96}}");
        assertEquals(32, apart.audio().frames());
        assertEquals(96, apart.room().frames(), "room.frames still sets packets apart from the period");
        assertEquals(64, read("{\"version\": 1, " + room + "}}").room().frames(), "64 when nothing says otherwise");
        for (String bad : List.of("16", "48", "256", "0", "-32")) {
            assertEquals("audio.frames: expected 32, 64 or 128 frames per period, found " + bad,
                    error("{\"version\": 1, \"audio\": {\"frames\": " + bad + "}}"));
        }
        assertEquals("audio.frames: expected a whole number", error("{\"version\": 1, \"audio\": {\"frames\": 32.5}}"));
        assertEquals("audio.frames: expected a whole number", error("{\"version\": 1, \"audio\": {\"frames\": \"32\"}}"));
    }

    @Test
    void theControlSectionSetsThePageAndTheDataFolder() throws Exception {
        Path f = dir.resolve("c.json");
        Files.writeString(f, "{\"version\": 1, \"control\": {\"port\": 80, \"bind\": \"127.0.0.1\", \"pin\": \"4321\", \"data\": \"state\"}}");
        assertEquals(new ApplianceConfig.Control("127.0.0.1", 80, "4321", dir.resolve("state")), ConfigFile.read(f).control());
        Files.writeString(f, "{\"version\": 1}");
        assertEquals(ApplianceConfig.Control.DEFAULT, ConfigFile.read(f).control());
    }

    @Test
    void theSoundCardIsNamedNeverNumbered() throws Exception {
        ApplianceConfig.Audio a = read("{\"version\": 1, \"audio\": {\"device\": \"CODEC\", \"periods\": 3}}").audio();
        assertEquals("CODEC", a.device());
        assertEquals(3, a.periods());
        assertNull(ApplianceConfig.Audio.DEFAULT.device(), "the probe picks");
        assertEquals(2, ApplianceConfig.Audio.DEFAULT.periods(), "64 x 2: the box's promise");
        String numbered = " is a card number, and card numbers change between boots; give the card's name "
                + "(its id in /proc/asound/cards, such as CODEC)";
        assertEquals("audio.device: 1" + numbered, error("{\"version\": 1, \"audio\": {\"device\": 1}}"));
        assertEquals("audio.device: \"0\"" + numbered, error("{\"version\": 1, \"audio\": {\"device\": \"0\"}}"));
        assertEquals("audio.device: 'hw:1' is an ALSA device; give the card's name alone (its id in "
                + "/proc/asound/cards, such as CODEC)", error("{\"version\": 1, \"audio\": {\"device\": \"hw:1\"}}"));
        assertEquals("audio.device: expected a sound card's name, such as CODEC",
                error("{\"version\": 1, \"audio\": {\"device\": \" \"}}"));
        assertEquals("audio.periods: 1 is outside 2 .. 8", error("{\"version\": 1, \"audio\": {\"periods\": 1}}"));
        assertEquals("audio.periods: expected a whole number", error("{\"version\": 1, \"audio\": {\"periods\": \"2\"}}"));
    }

    @Test
    void theControlSectionAloneIsKeptWhenItIsRightAndTheRestIsNot() throws Exception {
        Path f = dir.resolve("c.json");
        Files.writeString(f, "{\"version\": 2, \"room\": {}, \"control\": {\"port\": 80, \"data\": \"state\"}}");
        assertEquals(new ApplianceConfig.Control("0.0.0.0", 80, null, dir.resolve("state")), ConfigFile.controlAlone(f));
        Files.writeString(f, "{\"version\": 1, \"control\": {\"port\": 80, \"pin\": \"12\"}}");
        assertEquals(ApplianceConfig.Control.DEFAULT, ConfigFile.controlAlone(f), "the control section is the mistake");
        Files.writeString(f, "{\"version\": 1, \"control\": {\"port\": 80");
        assertEquals(ApplianceConfig.Control.DEFAULT, ConfigFile.controlAlone(f), "not JSON");
        assertEquals(ApplianceConfig.Control.DEFAULT, ConfigFile.controlAlone(dir.resolve("none.json")));
    }

    @Test
    void aMissingFileSaysSo() {
        Path f = dir.resolve("none.json");
        assertEquals(f + ": no such file", assertThrows(ConfigFile.BadConfigException.class, () -> ConfigFile.read(f))
                .getMessage());
    }

    @Test
    void onlyStrictJsonIsAConfigAndItsMistakesAreSaidInOurWords() throws Exception {
        assertEquals("not valid JSON: more follows the end of the JSON (line 1, column 30)",
                error("{\"version\": 1, \"jitter\": {}} }}} garbage"));
        assertEquals("not valid JSON: more follows the end of the JSON (line 2, column 1)",
                error("{\"version\": 1}\n{\"version\": 1}"));
        assertEquals("not valid JSON: 'port' is given twice in one object (line 1, column 46)",
                error("{\"version\": 1, \"control\": {\"port\": 80, \"port\": 8080}}"));
        String truncated = error("{\"version\": 1,\n \"control\": {\"port\": 80");
        assertEquals("not valid JSON: the file ends in the middle of the JSON (line 2, column 24)", truncated);
        assertTrue(!truncated.contains("REDACTED") && !truncated.contains("StreamReadFeature"), truncated);
        assertEquals("not valid JSON: nested more than 16 levels deep",
                error("{\"version\": 1, \"audio\": {\"capture\": " + "[".repeat(40) + "]".repeat(40) + "}}"));
        assertEquals(dir + ": is a directory, not a file",
                assertThrows(ConfigFile.BadConfigException.class, () -> ConfigFile.read(dir)).getMessage());
        assertEquals(ApplianceConfig.Control.DEFAULT, ConfigFile.controlAlone(dir));
    }
}
