package jambox.appliance.firstboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.config.ConfigFile;

/** jambox.txt applied to a folder shaped like the box's root, with a boot partition beside it. */
class FirstBootTest {
    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHkz3Q2mJ9d0qSxV8gH2k1m5t7w8y9zA0b1c2d3e4f5g ann@laptop";
    private static final String WIFI_PASSWORD = "correct horse battery";
    private static final String ROOM_SECRET = "the band's long secret";

    @TempDir
    Path tmp;
    Path root;
    Path boot;
    Path serial;

    @BeforeEach
    void aFreshCard() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        boot = Files.createDirectories(tmp.resolve("boot"));
        Files.createDirectories(root.resolve("etc/jambox"));
        Files.createDirectories(root.resolve("etc/ssh"));
        Files.writeString(root.resolve("etc/hostname"), "debian\n");
        Files.writeString(root.resolve("etc/hosts"), "127.0.0.1\tlocalhost\n127.0.1.1\tdebian\n");
        Path config = root.resolve("etc/jambox/jambox.json");
        Files.writeString(config, "{\"version\": 1, \"audio\": {\"backend\": \"jack\"}, \"control\": {\"port\": 80}}\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r-----"));
        serial = tmp.resolve("serial-number");
        Files.write(serial, "10000000a1b23f2a\0".getBytes());
    }

    private FirstBoot.Outcome boot(String jamboxTxt) throws IOException {
        if (jamboxTxt != null) {
            Files.writeString(boot.resolve("jambox.txt"), jamboxTxt);
        }
        return new FirstBoot(root, boot, serial).apply();
    }

    private String status() throws IOException {
        return Files.readString(boot.resolve("jambox-status.txt"));
    }

    @Test
    void everyKeyIsAppliedAndNoSecretStaysOnTheCard() throws Exception {
        FirstBoot.Outcome o = boot("""
                # jambox.txt
                NAME=Kitchen-Box
                WIFI_SSID=Home "5G"
                WIFI_PASSWORD=%s
                WIFI_COUNTRY=gb
                ROOM_HOST=jam.example.org
                ROOM_PORT=7891
                ROOM_NAME=jam
                ROOM_SECRET="%s"
                PLAYER=Ann
                AUDIO_DEVICE=CODEC
                SSH_KEY=%s
                """.formatted(WIFI_PASSWORD, ROOM_SECRET, KEY));
        assertEquals(List.of(), o.problems());
        assertEquals("kitchen-box\n", Files.readString(root.resolve("etc/hostname")));
        assertTrue(Files.readString(root.resolve("etc/hosts")).contains("127.0.1.1\tkitchen-box\n"));

        Path wpa = root.resolve("etc/wpa_supplicant/wpa_supplicant-wlan0.conf");
        String w = Files.readString(wpa);
        assertTrue(w.contains("country=GB\n"), w);
        assertTrue(w.contains("ssid=486f6d6520223547220a".substring(0, 18)), "the SSID in hex, quotes and all: " + w);
        assertTrue(w.contains("psk=" + FirstBoot.psk(WIFI_PASSWORD, "Home \"5G\"")), w);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(wpa)));

        ApplianceConfig c = ConfigFile.read(root.resolve("etc/jambox/jambox.json"));
        assertEquals("jam.example.org", c.room().host());
        assertEquals(ROOM_SECRET, c.room().secret());
        assertEquals("Ann", c.room().name());
        assertEquals("CODEC", c.audio().device());
        assertEquals(80, c.control().port(), "what jambox.txt does not name stays");
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("etc/jambox/jambox.json"))),
                "the config keeps its mode");

        assertEquals(KEY + "\n", Files.readString(root.resolve("root/.ssh/authorized_keys")));
        assertFalse(Files.exists(root.resolve("etc/ssh/sshd_not_to_be_run")), "SSH on with a key");

        try (Stream<Path> files = Files.walk(boot)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String s = Files.readString(f);
                assertFalse(s.contains(WIFI_PASSWORD) || s.contains(ROOM_SECRET), f + " still holds a secret:\n" + s);
            }
        }
        String txt = Files.readString(boot.resolve("jambox.txt"));
        assertTrue(txt.contains("WIFI_PASSWORD=" + BootFile.SAVED) && txt.contains("ROOM_SECRET=" + BootFile.SAVED), txt);
        assertTrue(txt.startsWith("# jambox.txt\nNAME=Kitchen-Box\n"), "the rest as the player wrote it");
        String st = status();
        assertTrue(st.contains("box: kitchen-box\n"), st);
        assertTrue(st.contains("page: http://kitchen-box.local/"), st);
        assertTrue(st.contains("problems in jambox.txt: none"), st);
        assertTrue(st.contains("wifi: Home \"5G\" (GB)\n"), st);
        assertTrue(st.contains("room: 'jam' on jam.example.org:7891 as Ann\n"), st);
        assertTrue(st.contains("ssh: on\n"), st);
    }

    @Test
    void theKeyIsWhatWpaPassphraseWouldStore() {
        // IEEE 802.11i, annex H.4: passphrase "password", SSID "IEEE".
        assertEquals("f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e", FirstBoot.psk("password", "IEEE"));
    }

    @Test
    void badLinesAreReportedWithTheirNumbersAndTheRestStillApplies() throws Exception {
        FirstBoot.Outcome o = boot("""
                NAME=stage-left
                COLOUR=blue
                ROOM_PORT=99999
                AUDIO_DEVICE=1
                just some words
                NAME=again
                ROOM_SECRET=short
                """);
        assertEquals(List.of(
                "line 2: unknown key 'COLOUR'; the keys are NAME, WIFI_SSID, WIFI_PASSWORD, WIFI_COUNTRY, ROOM_HOST,"
                        + " ROOM_PORT, ROOM_NAME, ROOM_SECRET, PLAYER, ROOM_CODEC, ROOM_BITRATE, ROOM_REDUNDANCY, AUDIO_DEVICE,"
                        + " SSH_KEY",
                "line 3: ROOM_PORT (the room server's port): '99999' is not a number from 1 to 65535; the line was skipped",
                "line 4: AUDIO_DEVICE (the audio interface): '1' is not its ALSA name, such as CODEC (never a card number);"
                        + " the line was skipped",
                "line 5: expected KEY=value, found 'just some words'",
                "line 6: NAME is given again (first on line 1); this one is skipped",
                "line 7: ROOM_SECRET (the room's secret): the value given is not at least 8 characters; the line was skipped"),
                o.problems());
        assertEquals("stage-left\n", Files.readString(root.resolve("etc/hostname")));
        String st = status();
        assertTrue(st.contains("  line 3: ROOM_PORT"), st);
        assertFalse(st.contains("short"), "a refused secret is not echoed: " + st);
        assertTrue(Files.readString(boot.resolve("jambox.txt")).contains("\nROOM_SECRET=\n"), "and not left on the card");
        assertFalse(Files.readString(root.resolve("etc/jambox/jambox.json")).contains("room"), "nothing of the room applied");
    }

    @Test
    void theSameCardBootedAgainWritesNothingAndKeepsItsSecrets() throws Exception {
        String txt = """
                WIFI_SSID=Home
                WIFI_PASSWORD=%s
                WIFI_COUNTRY=DE
                ROOM_HOST=10.1.2.3
                ROOM_NAME=jam
                ROOM_SECRET=%s
                PLAYER=Bo
                """.formatted(WIFI_PASSWORD, ROOM_SECRET);
        boot(txt);
        List<Path> written = List.of(root.resolve("etc/hostname"), root.resolve("etc/hosts"),
                root.resolve("etc/wpa_supplicant/wpa_supplicant-wlan0.conf"), root.resolve("etc/jambox/jambox.json"),
                boot.resolve("jambox.txt"), boot.resolve("jambox-status.txt"));
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        for (Path f : written) {
            Files.setLastModifiedTime(f, old);
        }
        FirstBoot.Outcome again = new FirstBoot(root, boot, serial).apply();
        assertEquals(List.of(), again.problems());
        for (Path f : written) {
            assertEquals(old, Files.getLastModifiedTime(f), f + " was written again");
        }
        assertEquals(ROOM_SECRET, ConfigFile.read(root.resolve("etc/jambox/jambox.json")).room().secret());
        assertTrue(Files.readString(root.resolve("etc/wpa_supplicant/wpa_supplicant-wlan0.conf"))
                .contains("psk=" + FirstBoot.psk(WIFI_PASSWORD, "Home")));
    }

    @Test
    void aSavedPasswordDoesNotFollowTheBoxToAnotherNetwork() throws Exception {
        boot("WIFI_SSID=Home\nWIFI_PASSWORD=" + WIFI_PASSWORD + "\nWIFI_COUNTRY=DE\n");
        String before = Files.readString(root.resolve("etc/wpa_supplicant/wpa_supplicant-wlan0.conf"));
        String scrubbed = Files.readString(boot.resolve("jambox.txt")).replace("WIFI_SSID=Home", "WIFI_SSID=Rehearsal room");
        FirstBoot.Outcome o = boot(scrubbed);
        assertEquals(List.of("line 2: the saved Wi-Fi password is for another network: write the password for"
                + " 'Rehearsal room' again"), o.problems());
        assertEquals(before, Files.readString(root.resolve("etc/wpa_supplicant/wpa_supplicant-wlan0.conf")));
    }

    @Test
    void withNoFileTheBoxIsNamedByItsSerialAndSshStaysOff() throws Exception {
        FirstBoot.Outcome o = boot(null);
        assertEquals("jambox-3f2a", o.hostname());
        assertEquals("jambox-3f2a\n", Files.readString(root.resolve("etc/hostname")));
        assertTrue(Files.exists(root.resolve("etc/ssh/sshd_not_to_be_run")));
        assertTrue(status().contains("box: jambox-3f2a\n"), status());
        assertTrue(o.applied().contains("no jambox.txt on the card: Ethernet and the settings the box already has"));
        assertTrue(status().contains("ssh: off (no SSH_KEY)\n"), status());
        assertTrue(status().contains("wifi: not set (Ethernet only)\n"), status());
    }

    /**
     * The codec, Opus's bitrate and redundancy from the card: each sets its field of the room; a
     * value out of range is that line's problem; a combination the box refuses (redundancy with
     * Opus) leaves the room as it was, with the box's reason; going back to PCM drops the bitrate.
     */
    @Test
    void theCodecBitrateAndRedundancyComeFromTheCard() throws Exception {
        String room = "ROOM_HOST=jam.example.org\nROOM_NAME=jam\nROOM_SECRET=" + ROOM_SECRET + "\nPLAYER=Ann\n";
        Path config = root.resolve("etc/jambox/jambox.json");
        assertEquals(List.of(), boot(room + "ROOM_CODEC=opus\nROOM_BITRATE=96\n").problems());
        ApplianceConfig c = ConfigFile.read(config);
        assertEquals(jambox.protocol.Codec.OPUS, c.room().codec());
        assertEquals(96_000, c.room().opusBitrate());

        String before = Files.readString(config);
        FirstBoot.Outcome o = boot("ROOM_REDUNDANCY=1\nROOM_BITRATE=300\n");
        assertEquals(2, o.problems().size(), o.problems().toString());
        assertEquals("line 2: ROOM_BITRATE (Opus's bitrate in kbit/s): '300' is not a number from 64 to 256; the line was"
                + " skipped", o.problems().get(0));
        assertTrue(o.problems().get(1).startsWith("the room and audio lines would make a config the box refuses (")
                && o.problems().get(1).contains("redundancy 1 with Opus"), o.problems().get(1));
        assertEquals(before, Files.readString(config), "nothing of it applied");

        assertEquals(List.of(), boot("ROOM_CODEC=PCM16\nROOM_REDUNDANCY=2\n").problems());
        c = ConfigFile.read(config);
        assertEquals(jambox.protocol.Codec.PCM16, c.room().codec());
        assertFalse(Files.readString(config).contains("bitrateKbps"), "PCM has no bitrate: " + Files.readString(config));
        assertEquals(2, c.room().redundancy());
        assertEquals(List.of("line 1: ROOM_CODEC (how your sound travels): 'MP3' is not PCM16, PCM24 or OPUS; the line was"
                + " skipped"), boot("ROOM_CODEC=mp3\n").problems());
    }

    /** The jambox.txt the card ships: every key the box reads is in it, commented out, and uncommented each parses. */
    @Test
    void theCardsTemplateNamesEveryKey() throws Exception {
        String template = Files.readString(Path.of("..", "image-build", "rootfs", "boot", "firmware", "jambox.txt"));
        BootFile.Parsed asShipped = BootFile.parse(template);
        assertEquals(List.of(), asShipped.problems());
        assertTrue(asShipped.values().isEmpty(), "every line is commented out: " + asShipped.values());
        StringBuilder uncommented = new StringBuilder();
        for (String line : template.split("\n")) {
            if (line.matches("#[A-Z_]+=.*")) {
                uncommented.append(line.substring(1)).append('\n');
            }
        }
        BootFile.Parsed examples = BootFile.parse(uncommented.toString());
        for (BootFile.Key key : BootFile.Key.values()) {
            assertTrue(uncommented.toString().contains(key.name() + "="), key + " is missing from the template");
        }
        // The SSH key's example is empty (a made-up key would be a valid-looking line); every other example parses.
        assertEquals(List.of(), examples.problems());
        assertEquals(BootFile.Key.values().length - 1, examples.values().size(), examples.values().toString());
    }

    @Test
    void aRoomWithoutItsSecretIsNotHalfWritten() throws Exception {
        String before = Files.readString(root.resolve("etc/jambox/jambox.json"));
        FirstBoot.Outcome o = boot("ROOM_HOST=jam.example.org\nPLAYER=Ann\n");
        assertEquals(List.of("to join a room the box needs ROOM_HOST, ROOM_NAME, ROOM_SECRET and PLAYER; missing:"
                + " ROOM_NAME, ROOM_SECRET (the room lines were not applied)"), o.problems());
        assertEquals(before, Files.readString(root.resolve("etc/jambox/jambox.json")));
    }

    @Test
    void aConfigThatIsNotQuiteJsonIsReportedAndLeftAsItIs() throws Exception {
        Path config = root.resolve("etc/jambox/jambox.json");
        String lines = "ROOM_HOST=jam.example.org\nROOM_NAME=jam\nROOM_SECRET=" + ROOM_SECRET + "\nPLAYER=Ann\n";
        String[][] cases = {
                {"{\"version\": 1, \"control\": {\"port\": 80}} }}} garbage\n",
                        "not valid JSON: more follows the end of the JSON (line 1, column 41)"},
                {"{\"version\": 1, \"room\": {\"host\": \"a\"}, \"room\": {\"host\": \"b\"}}\n",
                        "not valid JSON: 'room' is given twice in one object (line 1, column 45)"},
                {"{\"version\": 1,\n \"control\": {\"port\": 80\n", "not valid JSON: the file ends in the middle of the JSON (line 3, column 1)"},
        };
        for (String[] c : cases) {
            Files.writeString(config, c[0]);
            FirstBoot.Outcome o = boot(lines);
            assertEquals(List.of(config + ": " + c[1] + ": the room and audio lines were not applied"), o.problems());
            assertEquals(c[0], Files.readString(config), "left for the player to see and fix");
            assertTrue(status().contains("room: unknown (the config cannot be read)\n"), status());
        }
        Files.delete(config);
        Files.createDirectory(config);
        assertEquals(List.of(config + ": is a directory, not a file: the room and audio lines were not applied"),
                boot(lines).problems());
    }
}
