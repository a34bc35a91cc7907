package jambox.appliance.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.appliance.audio.AudioInterface;
import jambox.appliance.audio.CardProbe;
import jambox.common.AtomicFiles;

/** The box following the probe's file as jambox-jack rewrites it. */
class AudioInterfaceWatchTest {
    static final AudioInterface DUMMY = new AudioInterface("dummy", null, null, "none",
            "no card here can record: JACK runs on its dummy driver", CardProbe.NO_INTERFACE, 48_000, 64, 2);
    static final AudioInterface CODEC = new AudioInterface("alsa", "CODEC", "USB Audio CODEC", "usb",
            "the first USB audio interface", null, 48_000, 64, 2);

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logged, true, StandardCharsets.UTF_8);

    private List<String> lines() {
        return logged.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void eachNewChoiceIsSaidOnceAMalformedFileChangesNothingAndNoFileSaysNothing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audio-interface.json");
        List<AudioInterface> heard = new CopyOnWriteArrayList<>();
        try (AudioInterfaceWatch watch = AudioInterfaceWatch.start(file, log, heard::add, 20)) {
            Thread.sleep(200);
            assertNull(watch.current());
            assertEquals(List.of(), lines(), "no file: a laptop, nothing to say");
            assertEquals(List.of(), heard);

            AtomicFiles.write(file, DUMMY.toJson());
            waitFor("the dummy read", () -> watch.current() != null);
            assertEquals(DUMMY, watch.current());
            assertEquals(List.of("jambox: audio interface: " + CardProbe.NO_INTERFACE + "; JACK runs on its dummy"
                    + " driver (48000 Hz, 64 frames) so the box still starts"), lines());

            AtomicFiles.write(file, DUMMY.toJson()); // JACK restarted, the same choice: nothing new to say
            Thread.sleep(200);
            assertEquals(1, lines().size(), lines().toString());

            // Atomically, as the probe writes: a plain write truncates first, and a look between the
            // truncation and the bytes would (rightly) report an empty file instead.
            AtomicFiles.write(file, "{\"version\": 1, \"driver\": \"alsa\", ".getBytes(StandardCharsets.UTF_8));
            waitFor("the malformed file reported", () -> lines().size() == 2);
            assertTrue(lines().get(1).startsWith("jambox: " + file + ": not valid JSON: "), lines().get(1));
            assertTrue(lines().get(1).endsWith(" (the audio interface stays as it was)"), lines().get(1));
            AtomicFiles.write(file, new String(CODEC.toJson(), StandardCharsets.UTF_8).replace("\"CODEC\"", "\"x;reboot\"")
                    .getBytes(StandardCharsets.UTF_8));
            waitFor("the bad card id reported", () -> lines().size() == 3);
            assertEquals("jambox: " + file + ": card: 'x;reboot' is not an ALSA card id (the audio interface stays as"
                    + " it was)", lines().get(2));
            assertEquals(DUMMY, watch.current(), "nothing changed");

            AtomicFiles.write(file, CODEC.toJson()); // a card plugged in: JACK restarted on it
            waitFor("the card read", () -> CODEC.equals(watch.current()));
            assertEquals("jambox: audio interface: hw:CODEC (USB Audio CODEC): the first USB audio interface;"
                    + " 48000 Hz, 64 frames x 2", lines().get(3));

            Files.delete(file); // jambox-jack stopped
            waitFor("the file gone", () -> watch.current() == null);
            assertEquals(4, lines().size());
            assertEquals(List.of(DUMMY, CODEC), heard.subList(0, 2));
            assertNull(heard.get(2));
        }
        System.out.println(String.join("\n", lines()));
    }

    @Test
    void theFileIsTheProbesUnlessAPropertyOrTheEnvironmentSaysOtherwise() {
        String before = System.getProperty(AudioInterfaceWatch.PROPERTY);
        try {
            System.clearProperty(AudioInterfaceWatch.PROPERTY);
            if (System.getenv(AudioInterfaceWatch.VARIABLE) == null) {
                assertEquals(Path.of("/run/jambox/audio-interface.json"), AudioInterfaceWatch.file());
            }
            System.setProperty(AudioInterfaceWatch.PROPERTY, "/tmp/elsewhere.json");
            assertEquals(Path.of("/tmp/elsewhere.json"), AudioInterfaceWatch.file());
        } finally {
            if (before == null) {
                System.clearProperty(AudioInterfaceWatch.PROPERTY);
            } else {
                System.setProperty(AudioInterfaceWatch.PROPERTY, before);
            }
        }
    }
}
