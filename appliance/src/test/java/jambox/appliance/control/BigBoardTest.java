package jambox.appliance.control;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import jambox.appliance.app.Appliance;
import jambox.appliance.app.DefaultBoard;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.board.Boards;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;

/**
 * A board bigger than a chain holds, by every way a preset comes in, is refused before any pedal is
 * made, and the box plays on as it was: same board, same preset name.
 */
class BigBoardTest {
    private static final StreamConfig TEMPLATE = new StreamConfig("localhost", 7891, "jam", "template secret", "me",
            List.of("guitar", "voice"), Codec.PCM16, 64);

    @TempDir
    Path data;

    private static JsonNode command(String json) throws Exception {
        return ControlService.JSON.readTree(json);
    }

    @Test
    void aStoredPresetOrAnImportOfTooManyPedalsIsRefusedAndNothingChanges() throws Exception {
        try (Appliance box = Appliance.start(ApplianceConfig.DEFAULT, DefaultBoard.load(),
                new SimulatedBackend(48_000, 64, true, Long.MAX_VALUE, null, null));
             ControlPlane plane = ControlPlane.start(box, TEMPLATE, data, null)) {
            ControlService control = plane.service();
            control.handle(command("{\"v\":1,\"cmd\":\"preset.load\",\"name\":\"Crunch\"}"));
            BoardSpec before = box.engine().board();
            int running = box.engine().runningBoard(0).size();
            assertEquals("Crunch", control.state().get("preset").asText());

            // Files someone put in the preset folder by hand (or an older box wrote).
            Files.writeString(data.resolve("presets/seventeen.json"), Boards.ofDelays("Seventeen", 17));
            Files.writeString(data.resolve("presets/echoes.json"), Boards.ofDelays("Echoes", 3000));
            for (String name : List.of("Seventeen", "Echoes")) {
                BadCommandException e = assertThrows(BadCommandException.class,
                        () -> control.handle(command("{\"v\":1,\"cmd\":\"preset.load\",\"name\":\"" + name + "\"}")));
                assertEquals("there is no preset named '" + name + "'", e.getMessage(),
                        "a file that is not a preset is listed as a problem, never loaded");
                assertSame(before, box.engine().board(), "the board is as it was");
                assertEquals(running, box.engine().runningBoard(0).size(), "the running chain too");
                assertEquals("Crunch", control.state().get("preset").asText(), "and so is the preset's name");
            }
            JsonNode problems = control.handle(command("{\"v\":1,\"cmd\":\"preset.list\"}")).get("problems");
            assertTrue(problems.toString().contains("channels[0].pedals: 3000 pedals; a chain holds at most 16"),
                    problems.toString());

            String shared = Boards.ofDelays("Shared", 3000);
            BadCommandException e = assertThrows(BadCommandException.class,
                    () -> control.handle(command("{\"v\":1,\"cmd\":\"preset.import\",\"preset\":" + shared + "}")));
            assertEquals("not a preset: channels[0].pedals: 3000 pedals; a chain holds at most 16", e.getMessage());
            assertFalse(control.handle(command("{\"v\":1,\"cmd\":\"preset.list\"}")).get("presets").toString()
                    .contains("Shared"), "nothing was saved");
            assertSame(before, box.engine().board());
            assertEquals("Crunch", control.state().get("preset").asText());
        }
    }

    @Test
    void anAutosavedBoardOfTooManyPedalsIsSetAsideAndTheBoxStartsWithItsOwn() throws Exception {
        Files.writeString(data.resolve("last-board.json"), Boards.ofDelays("Echoes", 3000));
        try (Appliance box = Appliance.start(ApplianceConfig.DEFAULT, DefaultBoard.load(),
                new SimulatedBackend(48_000, 64, true, Long.MAX_VALUE, null, null));
             ControlPlane plane = ControlPlane.start(box, TEMPLATE, data, null)) {
            assertEquals(DefaultBoard.load(), box.engine().board());
        }
        assertTrue(Files.exists(data.resolve("last-board.json.bad")));
    }
}
