package jambox.appliance.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import jambox.appliance.app.Appliance;
import jambox.appliance.board.Boards;
import jambox.appliance.hardware.MidiService;
import jambox.appliance.preset.PresetStore;
import jambox.common.midi.MidiPorts;
import jambox.midi.Binding;
import jambox.midi.MidiMap;
import jambox.midi.Programs;
import jambox.midi.Source;
import jambox.surface.Target;

/**
 * MIDI through the real command service and a running box on simulated audio: learn over the
 * commands, then real MIDI bytes into the MIDI surface move the engine. The test thread is the MIDI thread.
 */
class MidiCommandsTest {
    private static final long WAIT_NANOS = 20_000_000_000L;

    @TempDir
    Path data;

    private ControlService control(Appliance box) throws Exception {
        return new ControlService(box, new ControlService.Options(CommandFixture.TEMPLATE, data.resolve("recordings"),
                PresetStore.open(data.resolve("presets")), null));
    }

    private static JsonNode command(ControlService control, String json) throws Exception {
        return control.handle(CommandFixture.JSON.readTree(json));
    }

    private static void send(MidiService midi, int... bytes) {
        byte[] message = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            message[i] = (byte) bytes[i];
        }
        midi.receive(message, 0, message.length);
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void aLearnedCcMovesTheOverdrivesDriveInTheRunningEngine() throws Exception {
        try (Appliance box = CommandFixture.box(); ControlService control = control(box)) {
            MidiService midi = MidiService.start(control, data);
            int index = Boards.indexOf(box.engine().board(), "overdrive");
            double before = box.engine().runningBoard(0).get(index).get("drive");
            assertEquals(18.0, before, 1e-9, "the default board's drive: 0.45 of its travel");

            command(control, "{\"v\":1,\"cmd\":\"midi.learn\",\"target\":{\"kind\":\"param\",\"pedal\":\"overdrive\",\"param\":\"drive\"}}");
            assertEquals(CommandFixture.JSON.readTree("{\"kind\":\"param\",\"pedal\":\"overdrive\",\"param\":\"drive\"}"),
                    command(control, "{\"v\":1,\"cmd\":\"midi.get\"}").at("/midi/learning"));
            send(midi, 0x90, 60, 100);           // a note cannot drive a parameter: learn waits on
            send(midi, 0xB2, 11, 30);            // CC 11 on channel 3: learned, and nothing else
            Path file = data.resolve("midi.json");
            waitFor("the learned map saved", () -> Files.exists(file));
            MidiMap expected = new MidiMap(List.of(Binding.of(Source.cc(11, 3), Target.param("overdrive", "drive"))), Programs.DEFAULT);
            assertEquals(expected, MidiMap.read(file));
            JsonNode got = command(control, "{\"v\":1,\"cmd\":\"midi.get\"}").get("midi");
            assertTrue(got.get("learning").isNull(), got.toString());
            assertEquals("CC 11 ch 3 = 30", got.get("last").asText());
            assertEquals(11, got.at("/map/bindings/0/cc").asInt());

            // Soft takeover: the box has the drive at 0.45 of its travel; the fader below it does nothing...
            send(midi, 0xB2, 11, 40);            // 0.31
            send(midi, 0xB2, 11, 50);            // 0.39
            send(midi, 0xB2, 11, 11);            // CC 11 on channel 1 is not bound
            Thread.sleep(200);
            assertEquals(before, box.engine().runningBoard(0).get(index).get("drive"), 1e-9, "no jump before the crossing");
            // ...until it passes through it; from then on the drive follows.
            send(midi, 0xB2, 11, 80);            // 0.63: crossed
            double crossed = 80 / 127.0 * 40;
            waitFor("drive to follow the fader to " + crossed, () ->
                    Math.abs(box.engine().runningBoard(0).get(index).get("drive") - crossed) < 1e-6);
            send(midi, 0xB2, 11, 127);
            waitFor("drive to reach 40 dB", () -> Math.abs(box.engine().runningBoard(0).get(index).get("drive") - 40) < 1e-6);
            assertEquals(40, box.engine().runningBoard(1).get(index).get("drive"), 1e-6, "both inputs' boards");
            System.out.printf("learned CC 11 ch 3: drive %.2f -> %.2f -> %.2f dB%n", before, crossed,
                    box.engine().runningBoard(0).get(index).get("drive"));
        }
    }

    /**
     * The whole path as the box runs it: the control plane wires the map to the backend's MIDI input.
     * The simulated backend loops its MIDI output back to its input on its clock, so a CC sent there
     * arrives as a controller's would: through the MIDI thread, the map, and the control thread.
     */
    @Test
    void theControlPlaneHearsTheBackendsMidiInput() throws Exception {
        try (Appliance box = CommandFixture.box();
             ControlPlane plane = ControlPlane.start(box, CommandFixture.TEMPLATE, data, null)) {
            ControlService control = plane.service();
            int index = Boards.indexOf(box.engine().board(), "overdrive");
            command(control, "{\"v\":1,\"cmd\":\"midi.learn\",\"target\":{\"kind\":\"param\",\"pedal\":\"overdrive\",\"param\":\"drive\"}}");
            box.backend().midi().send(MidiPorts.NOW, 0xB0, 7, 20);    // learned: CC 7 on channel 1
            waitFor("the learned map saved", () -> Files.exists(data.resolve("midi.json")));
            box.backend().midi().send(MidiPorts.NOW, 0xB0, 7, 30);    // below the box's 0.45: nothing yet
            box.backend().midi().send(MidiPorts.NOW, 0xB0, 7, 90);    // through it: taken over
            double expected = 90 / 127.0 * 40;
            waitFor("drive to follow CC 7 to " + expected, () ->
                    Math.abs(box.engine().runningBoard(0).get(index).get("drive") - expected) < 1e-6);
            assertEquals("CC 7 ch 1 = 90", command(control, "{\"v\":1,\"cmd\":\"midi.get\"}").at("/midi/last").asText());
        }
    }

    @Test
    void aProgramChangeLoadsThePresetOfItsNumber() throws Exception {
        try (Appliance box = CommandFixture.box(); ControlService control = control(box)) {
            MidiService midi = MidiService.start(control, data);
            JsonNode list = command(control, "{\"v\":1,\"cmd\":\"preset.list\"}").get("presets");
            assertTrue(list.size() >= 3, list.toString());
            send(midi, 0xC0, 2);
            String third = list.get(2).asText();
            waitFor("the third preset, " + third, () -> third.equals(control.snapshot().preset()));
            send(midi, 0xC4, 0);
            String first = list.get(0).asText();
            waitFor("the first preset, " + first, () -> first.equals(control.snapshot().preset()));
            send(midi, 0xC0, 127);               // past the end of the list: nothing
            Thread.sleep(200);
            assertEquals(first, control.snapshot().preset());
        }
    }

    @Test
    void aBadMapIsRefusedWithItsPlaceAndTheSavedOneStays() throws Exception {
        Path file = data.resolve("midi.json");
        MidiMap saved = new MidiMap(List.of(Binding.of(Source.note(60, 1), Target.tap())), Programs.OFF);
        saved.save(file);
        byte[] bytes = Files.readAllBytes(file);
        try (Appliance box = CommandFixture.box(); ControlService control = control(box)) {
            MidiService.start(control, data);
            assertEquals("midi.set map: bindings[0].cc: 130 is not 0..127", assertThrows(BadCommandException.class, () ->
                    command(control, "{\"v\":1,\"cmd\":\"midi.set\",\"map\":{\"version\":1,\"bindings\":[{\"cc\":130,\"target\":{\"kind\":\"master\"}}]}}"))
                    .getMessage());
            String unknown = assertThrows(BadCommandException.class, () -> command(control,
                    "{\"v\":1,\"cmd\":\"midi.set\",\"map\":{\"version\":1,\"bindings\":[{\"cc\":1,\"target\":{\"kind\":\"param\",\"pedal\":\"overdrive\",\"param\":\"fuzz\"}}]}}"))
                    .getMessage();
            assertTrue(unknown.startsWith("midi.set map: bindings[0].target: "), unknown);
            assertTrue(unknown.contains("fuzz"), unknown);
            String badTarget = assertThrows(BadCommandException.class, () -> command(control,
                    "{\"v\":1,\"cmd\":\"midi.learn\",\"target\":{\"kind\":\"talkbox\"}}")).getMessage();
            assertTrue(badTarget.startsWith("midi.learn target: kind \"talkbox\" is not one of"), badTarget);
            assertTrue(command(control, "{\"v\":1,\"cmd\":\"midi.get\"}").at("/midi/learning").isNull(), "a refused learn arms nothing");
            assertEquals(saved, MidiMap.parse(CommandFixture.JSON.writeValueAsBytes(
                    command(control, "{\"v\":1,\"cmd\":\"midi.get\"}").at("/midi/map")), "reply"), "the map in use");
            assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(file)), "the saved file untouched");

            command(control, "{\"v\":1,\"cmd\":\"midi.set\",\"map\":{\"version\":1,\"bindings\":[{\"cc\":7,\"target\":{\"kind\":\"master\"}}]}}");
            assertEquals(new MidiMap(List.of(Binding.of(Source.cc(7, Source.ANY), Target.master())), Programs.DEFAULT), MidiMap.read(file));
        }
        Files.writeString(file, "{\"version\": 1, \"bindings\": [{\"note\": 200, \"target\": {\"kind\": \"tap\"}}]}");
        try (Appliance box = CommandFixture.box(); ControlService control = control(box)) {
            MidiService.start(control, data);
            JsonNode got = command(control, "{\"v\":1,\"cmd\":\"midi.get\"}").get("midi");
            assertEquals(file + ": bindings[0].note: 200 is not 0..127", got.get("problem").asText());
            assertEquals(0, got.at("/map/bindings").size(), "a bad file is not used");
            assertTrue(Files.readString(file).contains("200"), "and not overwritten either");
        }
    }

    /**
     * Every kind of wrong MIDI command, through the command service as the page sends it: each is
     * refused with a sentence that names what is wrong, and none changes the map in use, the saved
     * file, an armed learn, or the state the pages see.
     */
    @Test
    void badMidiCommandsAreRefusedByNameAndChangeNothing() throws Exception {
        try (Appliance box = CommandFixture.box();
             ControlPlane plane = ControlPlane.start(box, CommandFixture.TEMPLATE, data, null)) {
            ControlService control = plane.service();
            command(control, "{\"v\":1,\"cmd\":\"midi.set\",\"map\":{\"version\":1,\"bindings\":[{\"cc\":11,\"channel\":1,"
                    + "\"target\":{\"kind\":\"param\",\"pedal\":\"overdrive\",\"param\":\"drive\"}}]}}");
            command(control, "{\"v\":1,\"cmd\":\"midi.learn\",\"target\":{\"kind\":\"tap\"},\"seconds\":300}");
            Path file = data.resolve("midi.json");
            byte[] saved = Files.readAllBytes(file);
            JsonNode before = control.state().get("midi");
            String[][] cases = {
                {"{\"cmd\":\"midi.learn\",\"target\":{\"kind\":\"param\",\"pedal\":\"fuzzmaster\",\"param\":\"drive\"}}", "fuzzmaster"},
                {"{\"cmd\":\"midi.learn\",\"target\":{\"kind\":\"param\",\"pedal\":\"overdrive\",\"param\":\"fuzz\"}}", "fuzz"},
                {"{\"cmd\":\"midi.learn\",\"target\":{\"kind\":\"param\",\"pedal\":\"overdrive\"}}", "param"},
                {"{\"cmd\":\"midi.learn\",\"target\":\"overdrive\"}", "must be an object"},
                {"{\"cmd\":\"midi.learn\",\"target\":{\"kind\":\"talkbox\"}}", "\"talkbox\" is not one of"},
                {"{\"cmd\":\"midi.set\",\"map\":{\"version\":1,\"bindings\":[{\"cc\":1,\"target\":{\"kind\":\"looper\",\"action\":\"record\"}}]}}", "not yet from MIDI"},
                {"{\"cmd\":\"midi.learn\",\"target\":{\"kind\":\"monitor\",\"channel\":2}}", "channel"},
                {"{\"cmd\":\"midi.learn\",\"target\":{\"kind\":\"monitor\",\"channel\":\"one\"}}", "channel"},
                {"{\"cmd\":\"midi.learn\",\"target\":{\"kind\":\"tap\",\"colour\":1}}", "colour"},
                {"{\"cmd\":\"midi.learn\",\"target\":{\"kind\":\"tap\"},\"seconds\":0}", "seconds"},
                {"{\"cmd\":\"midi.learn\",\"target\":{\"kind\":\"tap\"},\"seconds\":301}", "seconds"},
                {"{\"cmd\":\"midi.learn\",\"target\":{\"kind\":\"tap\"},\"seconds\":\"10\"}", "seconds"},
                {"{\"cmd\":\"midi.learn\",\"target\":{\"kind\":\"tap\"},\"seconds\":1.5}", "seconds"},
                {"{\"cmd\":\"midi.learn\",\"target\":{\"kind\":\"tap\"},\"cancel\":true}", "not both"},
                {"{\"cmd\":\"midi.learn\"}", "target"},
                {"{\"cmd\":\"midi.set\",\"map\":{\"version\":1,\"bindings\":[{\"cc\":11,\"channel\":17,\"target\":{\"kind\":\"master\"}}]}}", "bindings[0].channel"},
                {"{\"cmd\":\"midi.set\",\"map\":{\"version\":1,\"bindings\":[{\"cc\":128,\"target\":{\"kind\":\"master\"}}]}}", "bindings[0].cc: 128"},
                {"{\"cmd\":\"midi.set\",\"map\":{\"version\":1,\"bindings\":[{\"cc\":\"eleven\",\"target\":{\"kind\":\"master\"}}]}}", "bindings[0].cc"},
                {"{\"cmd\":\"midi.set\",\"map\":{\"version\":1,\"bindings\":[{\"note\":-1,\"target\":{\"kind\":\"tap\"}}]}}", "bindings[0].note"},
                {"{\"cmd\":\"midi.set\",\"map\":{\"version\":1,\"bindings\":[{\"cc\":1,\"target\":{\"kind\":\"param\",\"pedal\":\"fuzzmaster\",\"param\":\"drive\"}}]}}", "fuzzmaster"},
                {"{\"cmd\":\"midi.set\",\"map\":{\"version\":1,\"bindings\":[{\"cc\":4,\"range\":{\"heel\":100,\"toe\":400},\"target\":{\"kind\":\"param\",\"pedal\":\"eq\",\"param\":\"midFreq\"}}]}}",
                    "midi.set map: bindings[0].range.heel: eq.midFreq: 100 Hz is outside 200 Hz .. 5000 Hz"},
                {"{\"cmd\":\"midi.set\",\"map\":{\"version\":1,\"bindings\":[{\"cc\":4,\"range\":{\"heel\":-30,\"toe\":12},\"target\":{\"kind\":\"master\"}}]}}",
                    "midi.set map: bindings[0].range.toe: master: 12 dB is outside -60 .. 6 dB"},
                {"{\"cmd\":\"midi.set\",\"map\":{\"version\":1,\"programs\":{\"first\":128}}}", "programs"},
                {"{\"cmd\":\"midi.set\",\"map\":[1]}", "map"},
                {"{\"cmd\":\"midi.set\"}", "map"},
                {"{\"cmd\":\"midi.set\",\"map\":{\"version\":1,\"bindings\":[]},\"extra\":1}", "extra"},
                {"{\"cmd\":\"midi.get\",\"map\":{}}", "map"},
            };
            for (String[] c : cases) {
                String json = "{\"v\":1," + c[0].substring(1);
                String error = assertThrows(BadCommandException.class, () -> command(control, json), json).getMessage();
                System.out.println(c[0] + "\n  -> " + error);
                assertTrue(error.contains(c[1]), json + " -> " + error);
            }
            assertEquals(before, control.state().get("midi"), "the map, the learn armed, the last message: as they were");
            assertTrue(java.util.Arrays.equals(saved, Files.readAllBytes(file)), "midi.json untouched");
            assertEquals("tap", control.state().at("/midi/learning/kind").asText(), "the armed learn stays armed");
        }
    }

    /** The state carries the map and the learn, and a learn that binds or gives up is pushed to the pages by itself. */
    @Test
    void aLearnThatBindsOrGivesUpIsPushedToThePages() throws Exception {
        try (Appliance box = CommandFixture.box();
             ControlPlane plane = ControlPlane.start(box, CommandFixture.TEMPLATE, data, null)) {
            ControlService control = plane.service();
            java.util.concurrent.BlockingQueue<JsonNode> pushed = new java.util.concurrent.LinkedBlockingQueue<>();
            control.onChange(state -> pushed.add(state.get("midi")));
            command(control, "{\"v\":1,\"cmd\":\"midi.learn\",\"target\":{\"kind\":\"bypass\",\"pedal\":\"chorus\"},\"seconds\":1}");
            JsonNode armed = pushed.poll(5, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals("chorus", armed.at("/learning/pedal").asText(), armed.toString());
            assertEquals(1, armed.get("learnSeconds").asInt());
            long armedAt = System.nanoTime();
            JsonNode gaveUp = pushed.poll(5, java.util.concurrent.TimeUnit.SECONDS);
            double after = (System.nanoTime() - armedAt) / 1e9;
            assertTrue(gaveUp.get("learning").isNull(), gaveUp.toString());
            assertTrue(after > 0.9 && after < 3, "pushed as the learn gave up, after " + after + " s");

            command(control, "{\"v\":1,\"cmd\":\"midi.learn\",\"target\":{\"kind\":\"bypass\",\"pedal\":\"chorus\"}}");
            pushed.poll(5, java.util.concurrent.TimeUnit.SECONDS);
            box.backend().midi().send(MidiPorts.NOW, 0x99, 36, 100);       // a pad on channel 10
            JsonNode learned = pushed.poll(5, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(learned.get("learning").isNull(), learned.toString());
            assertEquals(36, learned.at("/map/bindings/0/note").asInt(), learned.toString());
            assertEquals(10, learned.at("/map/bindings/0/channel").asInt());
            assertEquals("noteOn", learned.at("/last/type").asText());
            System.out.printf("learn gave up and was pushed after %.2f s; learned: %s%n", after, learned.get("map").get("bindings"));
        }
    }
}
