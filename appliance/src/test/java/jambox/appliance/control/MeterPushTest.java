package jambox.appliance.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import jambox.appliance.app.Appliance;
import jambox.appliance.app.DefaultBoard;
import jambox.appliance.audio.LoopedInput;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.preset.LastState;
import jambox.appliance.preset.PresetStore;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;

/**
 * The meters push over a real WebSocket from a running (simulated-clock) box whose input the test
 * changes while it plays: the pre-pedal and self-monitor levels, and the clip flags.
 */
class MeterPushTest {
    private static final int RATE = 48_000;

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    /** Input 1, looped by the box; the test writes into it to change what the box hears. */
    private final float[] input = new float[RATE];
    private Appliance box;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private TestPage start() throws Exception {
        box = Appliance.start(ApplianceConfig.DEFAULT, DefaultBoard.load(),
                new SimulatedBackend(RATE, 64, true, Long.MAX_VALUE, LoopedInput.firstInput(input), null));
        open.add(box);
        ControlService control = new ControlService(box, new ControlService.Options(new StreamConfig("localhost", 7891,
                "jam", "template secret", "me", List.of("guitar", "voice"), Codec.PCM16, 64), dir.resolve("recordings"),
                PresetStore.open(dir.resolve("presets")), new LastState(dir)));
        open.add(control);
        ControlServer server = ControlServer.start(control, new ControlServer.Settings("127.0.0.1", 0, null));
        open.add(server);
        TestPage p = new TestPage(server.address().getPort());
        open.add(p);
        p.awaitType("state");
        return p;
    }

    private void play(double amplitude, boolean square) {
        for (int i = 0; i < RATE; i++) {
            double s = Math.sin(2 * Math.PI * 1000 * i / RATE);
            input[i] = (float) (amplitude * (square ? Math.signum(s) : s));
        }
    }

    private static boolean meters(JsonNode m) {
        return m.path("type").asText().equals("meters");
    }

    /** The meters push after {@code count} more of them (the levels have had time to settle). */
    private static JsonNode after(TestPage p, int count) throws InterruptedException {
        JsonNode m = null;
        for (int i = 0; i < count; i++) {
            m = p.await(MeterPushTest::meters);
        }
        return m;
    }

    @Test
    void thePushCarriesTheInputBeforeThePedalsAndTheSelfMonitorAfterItsLevel() throws Exception {
        play(0.1, false); // -20 dBFS
        TestPage p = start();
        JsonAssert.ok(p.command("{\"v\":1,\"cmd\":\"mixer.input\",\"channel\":0,\"gainDb\":-10}"));
        JsonAssert.ok(p.command("{\"v\":1,\"cmd\":\"mixer.self\",\"channel\":0,\"gainDb\":-6}"));
        JsonNode m = after(p, 40); // 2 s: the glides are done, the old peaks have fallen away
        System.out.println("meters push, -20 dBFS sine, input gain -10 dB, self level -6 dB: " + m);
        assertEquals(2, m.get("pre").size());
        assertEquals(2, m.get("self").size());
        assertEquals(-20.0, m.get("pre").get(0).asDouble(), 0.15, "pre: what the interface delivers");
        assertTrue(m.get("pre").get(1).isNull(), "the silent input is null");
        assertEquals(m.get("in").get(0).asDouble() - 6, m.get("self").get(0).asDouble(), 0.25,
                "self: the post-pedal signal 6 dB down with its level");
        JsonAssert.ok(p.command("{\"v\":1,\"cmd\":\"mixer.input\",\"channel\":0,\"gainDb\":-30}"));
        JsonNode down = after(p, 40);
        System.out.println("input gain -30 dB: " + down);
        assertEquals(-20.0, down.get("pre").get(0).asDouble(), 0.15, "the input gain is after pre");
        assertTrue(down.get("in").get(0).asDouble() < m.get("in").get(0).asDouble() - 3, "and before the pedals");
        assertFalse(m.has("clip"), "nothing clipped: no clip key " + m);
        for (String key : new String[] {"in", "out", "members"}) {
            assertTrue(m.has(key), "the earlier keys stay: " + key);
        }
    }

    @Test
    void aClipIsFlaggedForHalfASecondAndOnlyOnTheMeterThatClipped() throws Exception {
        play(0.1, false);
        TestPage p = start();
        JsonAssert.ok(p.command("{\"v\":1,\"cmd\":\"mixer.input\",\"channel\":0,\"gainDb\":-20}"));
        JsonAssert.ok(p.command("{\"v\":1,\"cmd\":\"mixer.master\",\"gainDb\":-20}"));
        assertFalse(after(p, 20).has("clip"));
        play(1.0, true); // a full-scale square: the ADC clips
        JsonNode first = p.await(m -> meters(m) && m.has("clip"));
        System.out.println("first push after the input clipped: " + first);
        assertTrue(first.get("clip").path("pre-0").asBoolean(), first.toString());
        assertEquals(1, first.get("clip").size(), "only the pre meter clipped (-20 dB after it): " + first);
        assertEquals(0.0, first.get("pre").get(0).asDouble(), 0.05, "full scale");
        play(0, false);
        long quietAt = System.nanoTime();
        JsonNode cleared = p.await(m -> meters(m) && !m.has("clip"));
        double ms = (System.nanoTime() - quietAt) / 1e6;
        System.out.printf("clip flag gone %.0f ms after the input went quiet: %s%n", ms, cleared);
        assertTrue(ms >= 300, "the flag is held for half a second, gone after " + ms + " ms");
        assertTrue(cleared.get("pre").get(0).isNull() || cleared.get("pre").get(0).asDouble() < -5, cleared.toString());
        assertFalse(after(p, 20).has("clip"), "and stays gone: the count was cleared by the read");
    }
}
