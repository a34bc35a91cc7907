package jambox.appliance.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.appliance.app.Appliance;
import jambox.appliance.app.DefaultBoard;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.board.BoardFile;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;

/** The control side as the service starts it: the board a player leaves is the board the box comes back with. */
class ControlPlaneTest {
    private static final StreamConfig TEMPLATE = new StreamConfig("localhost", 7891, "jam", "template secret", "me",
            List.of("guitar", "voice"), Codec.PCM16, 64);

    private static Appliance box() throws Exception {
        return Appliance.start(ApplianceConfig.DEFAULT, DefaultBoard.load(),
                new SimulatedBackend(48_000, 64, true, Long.MAX_VALUE, null, null));
    }

    @Test
    void theLastBoardIsSavedAndComesBackAtTheNextStart(@TempDir Path data) throws Exception {
        try (Appliance box = box();
             ControlPlane plane = ControlPlane.start(box, TEMPLATE, data, new ControlServer.Settings("127.0.0.1", 0, null));
             TestPage page = new TestPage(Integer.parseInt(plane.url().replaceAll(".*:([0-9]+)/$", "$1")))) {
            page.awaitType("state");
            JsonAssert.ok(page.command("{\"v\":1,\"cmd\":\"insert\",\"channel\":0,\"index\":0,\"type\":\"tremolo\"}"));
            JsonAssert.ok(page.command("{\"v\":1,\"cmd\":\"set\",\"channel\":0,\"index\":0,\"param\":\"rate\",\"value\":7}"));
        } // closing writes what is pending
        Path saved = data.resolve("last-board.json");
        assertTrue(Files.exists(saved), "autosaved");
        assertEquals("tremolo", BoardFile.read(saved).channel(0).get(0).type());
        try (Appliance box = box(); ControlPlane plane = ControlPlane.start(box, TEMPLATE, data, null)) {
            assertEquals("tremolo", box.engine().board().channel(0).get(0).type());
            assertEquals(7.0, box.engine().runningBoard(0).get(0).get("rate"), 1e-9, "restored into the running board");
        }
    }

    @Test
    void aCorruptLastBoardIsSetAsideAndTheBoxStartsWithItsOwn(@TempDir Path data) throws Exception {
        Files.writeString(data.resolve("last-board.json"), "{\"version\": 1, \"channels\": [{\"pedals\": [{\"type\": \"fuzz");
        try (Appliance box = box(); ControlPlane plane = ControlPlane.start(box, TEMPLATE, data, null)) {
            assertEquals(DefaultBoard.load(), box.engine().board());
        }
        assertTrue(Files.exists(data.resolve("last-board.json.bad")), "kept for whoever wants to look");
    }
}
