package jambox.appliance.control;

import static jambox.appliance.control.CommandFixture.JSON;
import static jambox.appliance.control.CommandFixture.TEMPLATE;
import static jambox.appliance.control.CommandFixture.box;
import static jambox.appliance.control.CommandFixture.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import jambox.appliance.app.Appliance;
import jambox.appliance.preset.LastState;

/** The metronome's commands as the page sends them: checked whole, applied, and kept across a restart. */
class MetronomeTest {
    private static JsonNode tempo(ControlPlane plane) throws Exception {
        return command(plane, "{\"v\":1,\"cmd\":\"state\"}").at("/state/tempo");
    }

    @Test
    void tempoBarLevelAccentAndOnAreOnDiskAndComeBackAtTheNextStart(@TempDir Path data) throws Exception {
        try (Appliance box = box();
             ControlPlane plane = ControlPlane.start(box, TEMPLATE, data, new ControlServer.Settings("127.0.0.1", 0, null));
             TestPage page = new TestPage(Integer.parseInt(plane.url().replaceAll(".*:([0-9]+)/$", "$1")))) {
            page.awaitType("state");
            JsonAssert.ok(page.command("{\"v\":1,\"cmd\":\"tempo\",\"bpm\":96.5}"));
            JsonAssert.ok(page.command("{\"v\":1,\"cmd\":\"metronome\",\"on\":true,\"beatsPerBar\":7,\"levelDb\":-20}"));
            JsonAssert.ok(page.command("{\"v\":1,\"cmd\":\"metronome\",\"accentDb\":9}"));
            JsonNode shown = page.command("{\"v\":1,\"cmd\":\"state\"}").at("/state/tempo");
            assertEquals(9, shown.get("accentDb").asDouble(), "the page sees it: " + shown);
            assertEquals(7, shown.get("beatsPerBar").asInt());
        } // closing writes what is pending
        Path saved = data.resolve(LastState.METRONOME_FILE);
        JsonNode file = JSON.readTree(saved.toFile());
        System.out.println(saved + ": " + file);
        assertEquals(96.5, file.get("bpm").asDouble());
        assertEquals(7, file.get("beatsPerBar").asInt());
        assertEquals(-20, file.get("levelDb").asDouble());
        assertEquals(9, file.get("accentDb").asDouble());
        assertTrue(file.get("on").asBoolean());

        try (Appliance box = box(); ControlPlane plane = ControlPlane.start(box, TEMPLATE, data, null)) {
            JsonNode t = tempo(plane);
            assertEquals(96.5, t.get("bpm").asDouble());
            assertEquals(7, t.get("beatsPerBar").asInt());
            assertEquals(-20, t.get("levelDb").asDouble());
            assertEquals(9, t.get("accentDb").asDouble());
            assertTrue(t.get("on").asBoolean());
            assertFalse(t.get("room").asBoolean());
            assertTrue(box.engine().click().on(), "and the click runs again");
            // It is heard: the output meter sees the -20 dBFS accent within a bar of 7 at 96.5 bpm.
            long end = System.nanoTime() + 6_000_000_000L;
            float peak = 0;
            while (System.nanoTime() < end && peak < 0.05f) {
                peak = Math.max(peak, box.engine().outputMeter(0).peak());
                Thread.sleep(20);
            }
            assertTrue(peak > 0.05f && peak < 0.2f, "the restored click sounds at its level: peak " + peak);
        }
    }

    @Test
    void aTakeWithACountInBeginsOnTheDownbeatAfterOneBar(@TempDir Path data) throws Exception {
        try (Appliance box = box(); ControlPlane plane = ControlPlane.start(box, TEMPLATE, data, null)) {
            box.engine().mixer().self(0).setMute(true);
            box.engine().mixer().self(1).setMute(true);
            command(plane, "{\"v\":1,\"cmd\":\"tempo\",\"bpm\":240}"); // a bar of 4 is one second
            command(plane, "{\"v\":1,\"cmd\":\"metronome\",\"on\":true,\"levelDb\":-6,\"accentDb\":6}");
            Thread.sleep(300);
            long asked = System.nanoTime();
            command(plane, "{\"v\":1,\"cmd\":\"record\",\"on\":true,\"countIn\":true}");
            Thread.sleep(2500);
            command(plane, "{\"v\":1,\"cmd\":\"record\",\"on\":false}");
            double held = (System.nanoTime() - asked) / 1e9;
            Path take = Path.of(command(plane, "{\"v\":1,\"cmd\":\"state\"}").at("/state/lastRecording").asText());
            float[] mix = jambox.appliance.render.Wav.read(take.resolve("mix.wav")).channels()[0];
            int onset = 0;
            while (onset < mix.length && Math.abs(mix[onset]) <= 1e-6f) {
                onset++;
            }
            float accent = 0;
            for (int i = onset; i < Math.min(mix.length, onset + 600); i++) {
                accent = Math.max(accent, Math.abs(mix[i]));
            }
            double seconds = mix.length / 48_000.0;
            System.out.printf("count-in take: %.3f s recorded of %.3f s asked; first click at sample %d, %.2f dBFS%n",
                    seconds, held, onset, 20 * Math.log10(accent));
            assertTrue(onset <= 64, "the take's first period holds the downbeat: sample " + onset);
            assertEquals(-6, 20 * Math.log10(accent), 0.1, "and it is beat 1, accented");
            assertTrue(seconds < held - 0.75 && seconds > held - 2.3,
                    "the count-in (the rest of this bar and one more, at most two seconds) was not recorded: " + seconds);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"cmd\":\"metronome\",\"beatsPerBar\":13}                | metronome.beatsPerBar: expected a whole number 1 .. 12, found 13",
            "{\"cmd\":\"metronome\",\"beatsPerBar\":0}                 | metronome.beatsPerBar: expected a whole number 1 .. 12, found 0",
            "{\"cmd\":\"metronome\",\"beatsPerBar\":4.0}               | metronome.beatsPerBar: expected a whole number 1 .. 12, found 4.0",
            "{\"cmd\":\"metronome\",\"on\":true,\"levelDb\":3}         | metronome.levelDb: 3.0 is outside -60 .. 0 dBFS",
            "{\"cmd\":\"metronome\",\"on\":true,\"levelDb\":-61}       | metronome.levelDb: -61.0 is outside -60 .. 0 dBFS",
            "{\"cmd\":\"metronome\",\"on\":true,\"accentDb\":12.5}     | metronome.accentDb: 12.5 is outside 0 .. 12 dB",
            "{\"cmd\":\"metronome\",\"on\":\"yes\"}                    | metronome.on: expected true or false, found \"yes\"",
            "{\"cmd\":\"metronome\",\"on\":true,\"bpm\":100}           | metronome takes no field 'bpm'",
            "{\"cmd\":\"metronome\"}                                   | nothing to change: give on, beatsPerBar, levelDb or accentDb",
            "{\"cmd\":\"tempo\",\"bpm\":19.9}                          | tempo 19.9 bpm is outside 20 .. 400",
            "{\"cmd\":\"record\",\"on\":false,\"countIn\":true}         | record.countIn goes with \"on\": true",
            "{\"cmd\":\"record\",\"on\":true,\"countIn\":1}            | record.countIn: expected true or false, found 1",
    })
    void aBadCommandIsRefusedInWordsAndChangesNothing(String command, String error, @TempDir Path data) throws Exception {
        try (Appliance box = box(); ControlPlane plane = ControlPlane.start(box, TEMPLATE, data, null)) {
            JsonNode before = tempo(plane);
            String json = "{\"v\":1," + command.substring(1);
            BadCommandException e = assertThrows(BadCommandException.class, () -> command(plane, json));
            System.out.println(json + " -> " + e.getMessage());
            assertTrue(e.getMessage().startsWith(error), e.getMessage());
            assertEquals(before, tempo(plane), "the metronome is as it was");
            assertFalse(box.engine().click().on(), "the click did not start");
            assertFalse(command(plane, "{\"v\":1,\"cmd\":\"state\"}").at("/state/recording").asBoolean(), "no take began");
        }
        assertFalse(Files.exists(data.resolve(LastState.METRONOME_FILE)), "nothing was saved");
    }

    @Test
    void aBadMetronomeFileIsReportedAndTheDefaultsHold(@TempDir Path data) throws Exception {
        Files.writeString(data.resolve(LastState.METRONOME_FILE),
                "{\"bpm\": 900, \"beatsPerBar\": 4, \"levelDb\": -12, \"accentDb\": 6, \"on\": true}");
        List<String> problems = new java.util.ArrayList<>();
        try (LastState last = new LastState(data, problems::add)) {
            assertTrue(last.restoreMetronome().isEmpty());
        }
        assertEquals(List.of(data.toAbsolutePath().resolve(LastState.METRONOME_FILE)
                + ": tempo 900.0 bpm is outside 20 .. 400; the metronome starts from its defaults"), problems);
        try (Appliance box = box(); ControlPlane plane = ControlPlane.start(box, TEMPLATE, data, null)) {
            assertEquals(120, tempo(plane).get("bpm").asDouble());
            assertFalse(box.engine().click().on());
        }
    }
}
