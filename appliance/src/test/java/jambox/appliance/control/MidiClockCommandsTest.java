package jambox.appliance.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.appliance.app.Appliance;
import jambox.common.midi.MidiPorts;

/**
 * {@code midi.clock} through the real command service on a running box (simulated audio, whose MIDI
 * out is looped to its MIDI in at the frames played): settings read, checked, kept; and an
 * incoming clock, when followed, setting the box's tempo and running its metronome.
 */
class MidiClockCommandsTest {
    @TempDir
    Path data;

    private static JsonNode clock(ControlPlane plane, String fields) throws Exception {
        return CommandFixture.command(plane, "{\"v\":1,\"cmd\":\"midi.clock\"" + fields + "}").get("clock");
    }

    @Test
    void settingsAreCheckedWholeKeptAndReadBack() throws Exception {
        try (Appliance box = CommandFixture.box(); ControlPlane plane = ControlPlane.start(box, CommandFixture.TEMPLATE, data, null)) {
            JsonNode c = clock(plane, "");
            assertTrue(c.get("send").asBoolean());
            assertEquals("room", c.get("follow").asText());
            assertFalse(c.get("sending").asBoolean(), "the metronome is off: no clock");
            assertTrue(c.get("incomingBpm").isNull());

            BadCommandException e = assertThrows(BadCommandException.class, () -> clock(plane, ",\"send\":false,\"follow\":\"sideways\""));
            assertEquals("midi.clock.follow: \"sideways\" is not one of room, midi-in", e.getMessage());
            e = assertThrows(BadCommandException.class, () -> clock(plane, ",\"send\":\"no\""));
            assertTrue(e.getMessage().startsWith("midi.clock.send: expected true or false"), e.getMessage());
            e = assertThrows(BadCommandException.class, () -> clock(plane, ",\"tempo\":120"));
            assertTrue(e.getMessage().contains("tempo"), e.getMessage());
            assertTrue(clock(plane, "").get("send").asBoolean(), "a refused change changes nothing");
            assertFalse(Files.exists(data.resolve("midi-clock.json")));

            c = clock(plane, ",\"send\":false,\"follow\":\"midi-in\"");
            assertFalse(c.get("send").asBoolean());
            assertEquals("midi-in", c.get("follow").asText());
            assertEquals("{\"version\": 1, \"send\": false, \"follow\": \"midi-in\"}",
                    Files.readString(data.resolve("midi-clock.json")).strip());
        }
        try (Appliance box = CommandFixture.box(); ControlPlane plane = ControlPlane.start(box, CommandFixture.TEMPLATE, data, null)) {
            JsonNode c = clock(plane, "");
            assertFalse(c.get("send").asBoolean(), "kept");
            assertEquals("midi-in", c.get("follow").asText());
        }
        Files.writeString(data.resolve("midi-clock.json"), "{\"version\": 1, \"send\": 3}");
        try (Appliance box = CommandFixture.box(); ControlPlane plane = ControlPlane.start(box, CommandFixture.TEMPLATE, data, null)) {
            JsonNode c = clock(plane, "");
            assertTrue(c.get("send").asBoolean(), "a bad file: the defaults");
            assertEquals("room", c.get("follow").asText());
        }
    }

    /**
     * Following midi-in: start and 12 beats of ticks at exact frames of 97.5 BPM sent into the box's
     * MIDI in set its tempo to 97.5 and run its metronome, through the same commands the page uses;
     * stop stops it. The box sends no clock of its own meanwhile, so its own ticks, looped back, cannot
     * be taken for the incoming clock: every event that came in is one sent here.
     */
    @Test
    void anIncomingClockSetsTheTempoAndRunsTheMetronome() throws Exception {
        try (Appliance box = CommandFixture.box(); ControlPlane plane = ControlPlane.start(box, CommandFixture.TEMPLATE, data, null)) {
            clock(plane, ",\"follow\":\"midi-in\"");
            ControlService control = plane.service();
            assertEquals(120, control.tempoBpm(), 1e-9);
            MidiPorts midi = box.backend().midi();
            waitFor("periods", () -> midi.frameTime() > 0);
            double t = 60.0 * 48_000 / 97.5 / 24;
            long base = midi.frameTime() + 4800;
            int sent = 0;
            assertTrue(midi.send(base, 0xFA));
            sent++;
            for (int k = 0; k < 24 * 12; k++) {
                assertTrue(midi.send(Math.round(base + k * t), 0xF8), "queued");
                sent++;
            }
            waitFor("the tempo", () -> Math.abs(control.tempoBpm() - 97.5) < 0.1,
                    () -> control.tempoBpm() + " " + midi.counters() + " " + midi.frameTime() + " vs " + base);
            waitFor("the metronome on", () -> control.state().at("/tempo/on").asBoolean());
            assertTrue(midi.send(MidiPorts.NOW, 0xFC));
            sent++;
            waitFor("the metronome off", () -> !control.state().at("/tempo/on").asBoolean());
            assertEquals(97.5, control.tempoBpm(), 0.1);
            JsonNode c = clock(plane, "");
            assertEquals(97.5, c.get("incomingBpm").asDouble(), 0.1);
            assertFalse(c.get("sending").asBoolean());
            Thread.sleep(200);
            assertEquals(sent, midi.counters().received(), "nothing came in but what was sent here: " + midi.counters());
        }
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        waitFor(what, condition, () -> "");
    }

    private static void waitFor(String what, BooleanSupplier condition, java.util.function.Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what + " " + state.get());
            }
            Thread.sleep(5);
        }
    }
}
