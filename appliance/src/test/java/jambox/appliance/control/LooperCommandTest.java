package jambox.appliance.control;

import static jambox.appliance.control.CommandFixture.box;
import static jambox.appliance.control.CommandFixture.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import jambox.appliance.app.Appliance;
import jambox.dsp.pedal.Looper;

/** The looper's command as the page sends it, on the real engine over simulated audio. */
class LooperCommandTest {

    private static JsonNode looper(ControlPlane plane) {
        return plane.service().meters().get("looper");
    }

    /** The looper state the meters push shows, once it is {@code state} (the audio thread changes it a period later). */
    private static JsonNode await(ControlPlane plane, String state) throws InterruptedException {
        long end = System.nanoTime() + 3_000_000_000L;
        JsonNode l = looper(plane);
        while (System.nanoTime() < end && !state.equals(l.path("state").asText())) {
            Thread.sleep(5);
            l = looper(plane);
        }
        assertEquals(state, l.path("state").asText(), "looper: " + l);
        return l;
    }

    private static Looper running(Appliance box, int channel) {
        return (Looper) box.engine().runningBoard(channel).pedals().stream()
                .filter(p -> p instanceof Looper).findFirst().orElseThrow();
    }

    @Test
    void recordPlayAndClearFromThePageReachBothChannelsLoopersInTheSamePeriod(@TempDir Path data) throws Exception {
        try (Appliance box = box(); ControlPlane plane = ControlPlane.start(box, null, data, null)) {
            assertTrue(plane.service().state().get("looper").isNull(), "no looper on the default board");
            BadCommandException none = assertThrows(BadCommandException.class,
                    () -> command(plane, "{\"v\":1,\"cmd\":\"looper\",\"action\":\"record\"}"));
            assertEquals("there is no looper on the board: insert one first", none.getMessage());

            command(plane, "{\"v\":1,\"cmd\":\"insert\",\"channel\":0,\"index\":8,\"type\":\"looper\"}");
            JsonNode shown = plane.service().state().get("looper");
            assertEquals("empty", shown.get("state").asText(), "the state shows it: " + shown);
            assertEquals("room", shown.get("send").asText());

            command(plane, "{\"v\":1,\"cmd\":\"looper\",\"action\":\"record\"}");
            await(plane, "recording");
            Thread.sleep(400);
            command(plane, "{\"v\":1,\"cmd\":\"looper\",\"action\":\"record\"}");
            JsonNode playing = await(plane, "playing");
            System.out.println("looper after record, record: " + playing);
            assertTrue(playing.get("lengthSeconds").asDouble() > 0.3, "a loop of what was recorded: " + playing);
            assertTrue(playing.get("lengthSeconds").asDouble() < 3, "a loop of what was recorded: " + playing);
            // The default board has one chain, so each input runs a looper of its own: one loop, sample-locked.
            Looper left = running(box, 0), right = running(box, 1);
            assertTrue(left != right);
            assertEquals(left.lengthSamples(), right.lengthSamples());
            assertEquals(Looper.State.PLAYING, right.state());

            command(plane, "{\"v\":1,\"cmd\":\"looper\",\"action\":\"clear\"}");
            JsonNode cleared = await(plane, "empty");
            assertEquals(0.0, cleared.get("lengthSeconds").asDouble());
            assertEquals(0, right.lengthSamples());
        }
    }

    @Test
    void aFootswitchCanGiveEveryActionTheCommandTakes() {
        assertEquals(java.util.Arrays.stream(jambox.dsp.LoopAction.values()).map(jambox.dsp.LoopAction::id).toList(),
                jambox.surface.Target.LOOPER_ACTIONS);
    }

    @Test
    void aWrongActionOrASecondLooperOnAChainIsRefusedAndChangesNothing(@TempDir Path data) throws Exception {
        try (Appliance box = box(); ControlPlane plane = ControlPlane.start(box, null, data, null)) {
            command(plane, "{\"v\":1,\"cmd\":\"insert\",\"channel\":0,\"index\":0,\"type\":\"looper\"}");
            BadCommandException bad = assertThrows(BadCommandException.class,
                    () -> command(plane, "{\"v\":1,\"cmd\":\"looper\",\"action\":\"rewind\"}"));
            assertEquals("looper.action: no looper action 'rewind'; there are [record, overdub, play, stop, undo, clear]",
                    bad.getMessage());
            assertThrows(BadCommandException.class,
                    () -> command(plane, "{\"v\":1,\"cmd\":\"looper\",\"action\":\"record\",\"channel\":0}"));
            int pedals = box.engine().board().channel(0).size();
            BadCommandException second = assertThrows(BadCommandException.class,
                    () -> command(plane, "{\"v\":1,\"cmd\":\"insert\",\"channel\":0,\"index\":3,\"type\":\"looper\"}"));
            assertEquals("a chain holds at most 1 looper (each keeps a minute of sound in memory)", second.getMessage());
            assertEquals(pedals, box.engine().board().channel(0).size());
            assertEquals("empty", looper(plane).get("state").asText());
        }
    }
}
