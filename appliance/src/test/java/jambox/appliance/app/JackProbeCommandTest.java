package jambox.appliance.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jambox.appliance.audio.CardProbe;
import jambox.appliance.audio.JackdProcess;

/**
 * {@code jambox jack-probe} on fake {@code /proc/asound} trees laid out as the kernel does (card
 * folders, id symlinks, the {@code cards} file), asserting on what jackd is given and what the
 * box is told.
 */
class JackProbeCommandTest {
    private static final String USB_CODEC = "USB-Audio - USB Audio CODEC";
    private static final String DUMMY = "-d dummy -r 48000 -p 64";

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final StringBuilder cardsFile = new StringBuilder();

    private Path asound() throws IOException {
        Path a = dir.resolve("asound");
        Files.createDirectories(a);
        return a;
    }

    /** One card as the kernel shows it; {@code pcms} such as "pcm0p", "pcm0c". */
    private void card(int number, String id, String driverAndName, String longName, boolean usb, String... pcms)
            throws IOException {
        Path folder = asound().resolve("card" + number);
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("id"), id + "\n");
        if (usb) {
            Files.writeString(folder.resolve("usbid"), "08bb:2902\n");
        }
        for (String pcm : pcms) {
            Files.createDirectories(folder.resolve(pcm));
            Files.writeString(folder.resolve(pcm).resolve("info"), "card: " + number + "\n");
        }
        Files.createSymbolicLink(asound().resolve(id), Path.of("card" + number));
        cardsFile.append(String.format("%2d [%-15s]: %s%n%22s%s%n", number, id, driverAndName, "", longName));
        Files.writeString(asound().resolve("cards"), cardsFile);
    }

    private void piHeadphones() throws IOException {
        card(0, "Headphones", "bcm2835_headpho - bcm2835 Headphones", "bcm2835 Headphones", false, "pcm0p");
    }

    private void usbCodec(int number, String id) throws IOException {
        card(number, id, USB_CODEC, "Burr-Brown from TI USB Audio CODEC at usb-0000:01:00.0-1.3, full speed",
                true, "pcm0p", "pcm0c");
    }

    private Path config(String audio) throws IOException {
        Path f = dir.resolve("jambox.json");
        Files.writeString(f, "{\"version\": 1, \"audio\": " + audio + "}");
        return f;
    }

    private String probe(Path config) throws IOException {
        out.reset();
        err.reset();
        List<String> args = new ArrayList<>(List.of("--asound", asound().toString(), "--out",
                dir.resolve("run/jambox/audio-interface.json").toString()));
        if (config != null) {
            args.addAll(List.of("--config", config.toString()));
        }
        int status = JackProbeCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, stderr());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.endsWith("\n") && printed.lines().count() == 1, "one line: " + printed);
        System.out.println("stdout: " + printed.strip() + "\n  stderr: " + stderr().strip().replace("\n", "\n  stderr: "));
        return printed.strip();
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private JsonNode written() throws IOException {
        return new ObjectMapper().readTree(dir.resolve("run/jambox/audio-interface.json").toFile());
    }

    @Test
    void aUsbInterfaceBesideThePisHeadphonesIsPicked() throws Exception {
        piHeadphones();
        usbCodec(1, "CODEC");
        assertEquals("-d alsa -d hw:CODEC -r 48000 -p 64 -n 2 -X seq", probe(config("{}")));
        assertEquals("jambox jack-probe: hw:CODEC (USB Audio CODEC): the first USB audio interface; "
                + "48000 Hz, 64 frames x 2\n", stderr());
        JsonNode j = written();
        assertEquals(1, j.get("version").asInt());
        assertEquals("alsa", j.get("driver").asText());
        assertEquals("CODEC", j.get("card").asText());
        assertEquals("USB Audio CODEC", j.get("name").asText());
        assertEquals("usb", j.get("kind").asText());
        assertEquals("the first USB audio interface", j.get("reason").asText());
        assertTrue(j.get("problem").isNull());
        assertEquals(List.of(48000, 64, 2), List.of(j.get("sampleRate").asInt(), j.get("frames").asInt(),
                j.get("periods").asInt()));
    }

    @Test
    void anI2sHatIsPickedWhenNoUsbInterfaceIsPlugged() throws Exception {
        piHeadphones();
        card(1, "sndrpihifiberry", "RPi-simple - snd_rpi_hifiberry_dacplusadc",
                "snd_rpi_hifiberry_dacplusadc", false, "pcm0p", "pcm0c");
        assertEquals("-d alsa -d hw:sndrpihifiberry -r 48000 -p 64 -n 2 -X seq", probe(config("{}")));
        assertEquals("other", written().get("kind").asText());
        assertEquals("snd_rpi_hifiberry_dacplusadc", written().get("name").asText());
        assertTrue(written().get("reason").asText().startsWith("the first card that can record"), written().toString());
    }

    @Test
    void noCardsAtAllStartsJacksDummyDriverAndSaysWhy() throws Exception {
        Files.writeString(asound().resolve("cards"), "--- no soundcards ---\n");
        assertEquals(DUMMY, probe(config("{}")));
        assertEquals("jambox jack-probe: " + CardProbe.NO_INTERFACE + "; JACK runs on its dummy driver "
                + "(48000 Hz, 64 frames) so the box still starts\n", stderr());
        JsonNode j = written();
        assertEquals("dummy", j.get("driver").asText());
        assertTrue(j.get("card").isNull() && j.get("name").isNull(), j.toString());
        assertEquals("none", j.get("kind").asText());
        assertEquals(CardProbe.NO_INTERFACE, j.get("problem").asText());

        Files.delete(asound().resolve("cards"));
        assertEquals(DUMMY, probe(config("{}")), "no cards file either");
        Path none = dir.resolve("no-asound-here");
        int status = JackProbeCommand.run(List.of("--asound", none.toString(), "--config", config("{}").toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status);
        assertTrue(out.toString(StandardCharsets.UTF_8).endsWith(DUMMY + "\n"), "no /proc/asound: " + out);
    }

    @Test
    void onlyThePisHeadphonesIsNoInterface() throws Exception {
        piHeadphones();
        assertEquals(DUMMY, probe(config("{}")));
        assertEquals(CardProbe.NO_INTERFACE + " (no card here can record; cards: "
                + "0 Headphones (bcm2835 Headphones, playback only))", written().get("problem").asText());
    }

    @Test
    void ofTwoUsbInterfacesTheFirstByNumberUnlessTheConfigNamesTheOther() throws Exception {
        piHeadphones();
        // Numbered out of order on disk: card2 is listed before card10 by name, not by number.
        usbCodec(10, "CODEC_1");
        card(2, "Interface", "USB-Audio - Scarlett 2i2 USB", "Focusrite Scarlett 2i2 USB at usb-0000:01:00.0-1.1, high speed",
                true, "pcm0p", "pcm0c");
        assertEquals("-d alsa -d hw:Interface -r 48000 -p 64 -n 2 -X seq", probe(config("{}")));

        assertEquals("-d alsa -d hw:CODEC_1 -r 48000 -p 64 -n 2 -X seq", probe(config("{\"device\": \"codec_1\"}")));
        assertEquals("the card named in the config (audio.device)", written().get("reason").asText());
        assertTrue(written().get("problem").isNull());

        assertEquals("-d alsa -d hw:CODEC_1 -r 48000 -p 64 -n 2 -X seq", probe(config("{\"device\": \"USB Audio CODEC\"}")),
                "by its name in the cards file");
        assertEquals("-d alsa -d hw:Interface -r 48000 -p 64 -n 2 -X seq",
                probe(config("{\"device\": \"Focusrite Scarlett 2i2 USB at usb-0000:01:00.0-1.1, high speed\"}")),
                "by its long name");
    }

    @Test
    void aNamedCardThatIsAbsentFallsBackAndSaysSoListingTheCards() throws Exception {
        piHeadphones();
        usbCodec(1, "CODEC");
        assertEquals("-d alsa -d hw:CODEC -r 48000 -p 128 -n 3 -X seq",
                probe(config("{\"device\": \"Scarlett\", \"frames\": 128, \"periods\": 3}")));
        String problem = "the card 'Scarlett' named in the config (audio.device) is not here; cards: "
                + "0 Headphones (bcm2835 Headphones, playback only), 1 CODEC (USB Audio CODEC)";
        assertEquals(problem, written().get("problem").asText());
        assertEquals("the first USB audio interface", written().get("reason").asText());
        assertEquals("jambox jack-probe: " + problem + "; using hw:CODEC (USB Audio CODEC): the first USB audio "
                + "interface; 48000 Hz, 128 frames x 3\n", stderr());

        assertEquals("-d alsa -d hw:CODEC -r 48000 -p 64 -n 2 -X seq", probe(config("{\"device\": \"Headphones\"}")),
                "a named card that cannot record is passed over");
        assertTrue(written().get("problem").asText().startsWith(
                "the card 'Headphones' named in the config (audio.device) cannot record; cards: "), written().toString());
    }

    /** The low-latency option: audio.frames 32 reaches jackd as 32 x 2 and the box through the file. */
    @Test
    void thirtyTwoFramesReachJackdAndTheFile() throws Exception {
        usbCodec(1, "CODEC");
        assertEquals("-d alsa -d hw:CODEC -r 48000 -p 32 -n 2 -X seq", probe(config("{\"frames\": 32}")));
        assertEquals(List.of(48000, 32, 2), List.of(written().get("sampleRate").asInt(), written().get("frames").asInt(),
                written().get("periods").asInt()));
        assertEquals("jambox jack-probe: hw:CODEC (USB Audio CODEC): the first USB audio interface; 48000 Hz, 32 frames x 2\n",
                stderr());
    }

    /**
     * What jambox-jack does, on a machine with no card: jackd started with the probe's line runs at
     * the config's 32 frames and 48 kHz (jack_bufsize and jack_samplerate ask the running server).
     */
    @Test
    void aJackdStartedWithTheProbesLineRunsAtTheConfigsThirtyTwoFrames() throws Exception {
        Assumptions.assumeTrue(JackdProcess.installed(), "jackd is not installed (apt-get install jackd2)");
        String line = probe(config("{\"frames\": 32}"));
        assertEquals("-d dummy -r 48000 -p 32", line);
        try (JackdProcess jackd = new JackdProcess(List.of(line.split(" ")))) {
            jackd.start();
            assertEquals("32", jackd.tool(List.of("jack_bufsize")).strip());
            assertEquals("48000", jackd.tool(List.of("jack_samplerate")).strip());
        }
    }

    @Test
    void aPeriodTheBoxIsNotTestedAtIsAConfigErrorAndJackdGetsTheDefault() throws Exception {
        usbCodec(1, "CODEC");
        assertEquals("-d alsa -d hw:CODEC -r 48000 -p 64 -n 2 -X seq", probe(config("{\"frames\": 48}")));
        assertTrue(stderr().startsWith("jambox jack-probe: " + dir.resolve("jambox.json") + ": audio.frames: expected "
                + "32, 64 or 128 frames per period, found 48 (probing with the built-in audio settings)\n"), stderr());
    }

    @Test
    void aNamedCardAbsentAndNoOtherIsTheDummyWithBothProblems() throws Exception {
        assertEquals(DUMMY, probe(config("{\"device\": \"CODEC\"}")));
        assertEquals("the card 'CODEC' named in the config (audio.device) is not here; cards: none; "
                + CardProbe.NO_INTERFACE, written().get("problem").asText());
    }

    @Test
    void aUsbDongleThatCannotRecordIsNotAnInterface() throws Exception {
        piHeadphones();
        card(1, "Dongle", "USB-Audio - USB Headphone Dongle", "Generic USB Headphone Dongle at usb-0000:01:00.0-1.2",
                true, "pcm0p");
        card(2, "sndrpihifiberry", "RPi-simple - snd_rpi_hifiberry_dacplusadc", "snd_rpi_hifiberry_dacplusadc",
                false, "pcm0p", "pcm0c");
        assertEquals("-d alsa -d hw:sndrpihifiberry -r 48000 -p 64 -n 2 -X seq", probe(config("{}")));
    }

    @Test
    void aCardWhoseIdIsNoAlsaIdNeverReachesJackdsCommandLine() throws Exception {
        card(0, "x;reboot", USB_CODEC, "a damaged tree", true, "pcm0p", "pcm0c");
        assertEquals(DUMMY, probe(config("{\"device\": \"x;reboot\"}")));
        assertEquals("the card 'x;reboot' named in the config (audio.device) is not here; cards: none; "
                + CardProbe.NO_INTERFACE, written().get("problem").asText());
    }

    @Test
    void aCardNumberInTheConfigIsAConfigErrorAndTheProbeStillPrintsALine() throws Exception {
        usbCodec(1, "CODEC");
        assertEquals("-d alsa -d hw:CODEC -r 48000 -p 64 -n 2 -X seq", probe(config("{\"device\": \"1\", \"frames\": 128}")));
        Path f = dir.resolve("jambox.json");
        List<String> lines = stderr().lines().toList();
        assertEquals(2, lines.size(), stderr());
        assertEquals("jambox jack-probe: " + f + ": audio.device: \"1\" is a card number, and card numbers change "
                + "between boots; give the card's name (its id in /proc/asound/cards, such as CODEC) "
                + "(probing with the built-in audio settings)", lines.get(0));
    }

    @Test
    void aBadOrMissingConfigStillProbesWithTheDefaults() throws Exception {
        usbCodec(0, "CODEC");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"version\": 1, \"audio\": {\"device\": \"CODEC\",");
        assertEquals("-d alsa -d hw:CODEC -r 48000 -p 64 -n 2 -X seq", probe(broken));
        assertTrue(stderr().lines().findFirst().orElseThrow().startsWith("jambox jack-probe: " + broken
                + ": not valid JSON: "), stderr());
        assertEquals("-d alsa -d hw:CODEC -r 48000 -p 64 -n 2 -X seq", probe(dir.resolve("absent.json")));
        assertTrue(stderr().startsWith("jambox jack-probe: " + dir.resolve("absent.json") + ": no such file"), stderr());
    }

    @Test
    void badUsageIsTheOnlyFailure() {
        for (List<String> args : List.of(List.of("--asound"), List.of("--card", "CODEC"), List.of("--out", "a", "--out", "b"))) {
            err.reset();
            assertEquals(2, JackProbeCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)), args.toString());
            assertEquals(JackProbeCommand.USAGE + "\n", stderr());
        }
        assertEquals(0, out.size(), "nothing for jackd");
    }
}
