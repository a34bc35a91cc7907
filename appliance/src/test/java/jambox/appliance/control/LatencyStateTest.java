package jambox.appliance.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import jambox.appliance.app.Appliance;
import jambox.appliance.audio.AudioInterface;
import jambox.appliance.audio.LoopedInput;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.board.PedalSpec;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.preset.LastState;
import jambox.appliance.preset.PresetStore;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;
import jambox.room.RoomConfig;
import jambox.room.RoomServer;
import jambox.room.ServerConfig;

/** A member's mouth-to-ear estimate in the stats push, from two boxes in a real room. */
class LatencyStateTest {
    private static final int RATE = 48_000;

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Appliance box(int port, String name, BoardSpec board) throws Exception {
        float[][] tone = {new float[RATE], new float[RATE]};
        for (int i = 0; i < RATE; i++) {
            tone[0][i] = (float) (0.3 * Math.sin(2 * Math.PI * 330 * i / RATE));
        }
        ApplianceConfig config = new ApplianceConfig(ApplianceConfig.Audio.DEFAULT, null,
                new StreamConfig("127.0.0.1", port, "jam", "latency room secret", name, List.of("guitar", "voice"),
                        Codec.PCM16, 64), new ApplianceConfig.Jitter(false, 6));
        Appliance a = Appliance.start(config, board,
                new SimulatedBackend(RATE, 64, true, Long.MAX_VALUE, new LoopedInput(tone), null));
        open.add(a);
        return a;
    }

    @Test
    void eachMembersMouthToEarIsBothCardsTheNetworkAndOurJitterBuffer() throws Exception {
        RoomServer server = RoomServer.start(ServerConfig.defaults().withPort(0).withStatusPort(0),
                List.of(new RoomConfig("jam", "latency room secret", 16)));
        open.add(server);
        int port = server.address().getPort();
        BoardSpec empty = new BoardSpec("empty", List.of(List.of()));
        BoardSpec drives = new BoardSpec("drives", List.of(List.of(
                new PedalSpec("overdrive", false, java.util.Map.of()), new PedalSpec("distortion", false, java.util.Map.of()))));
        box(port, "Ann", empty);
        Appliance bob = box(port, "Bob", drives);
        ControlService control = new ControlService(bob, new ControlService.Options(null, dir.resolve("recordings"),
                PresetStore.open(dir.resolve("presets")), new LastState(dir)));
        open.add(control);
        control.setAudioInterface(new AudioInterface("alsa", "CODEC", "USB Audio CODEC", "usb", "the only card", null,
                RATE, 64, 2));

        JsonNode stats = null;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            stats = control.stats();
            // Once the buffer has primed to its target: while it fills, its depth moves a packet a period.
            if (stats.at("/latency/members").size() == 1 && !stats.at("/latency/members/0/mouthToEarMs").isNull()
                    && stats.at("/members/0/depth").asInt() >= stats.at("/members/0/target").asInt()) {
                break;
            }
            Thread.sleep(100);
        }
        JsonNode l = stats.get("latency");
        assertEquals(1, l.get("members").size(), stats.toString());
        JsonNode ann = l.at("/members/0");
        System.out.println("stats: " + stats);
        double card = l.get("soundCardMs").asDouble();
        assertEquals(2.667, card, 1e-9, "2 periods of 64 frames at 48 kHz");
        // Bob's board: two oversampled drives, 15 samples each, on both inputs.
        assertEquals(30.0, l.at("/boardSamples/0").asDouble(), 1e-9);
        // The safety limiter's lookahead, on by default, counts on the way to the headphones.
        assertEquals(bob.engine().limiter().lookaheadSamples(), l.get("limiterSamples").asInt());
        assertEquals(card + 0.625 + l.get("limiterMs").asDouble() + card, l.get("inputToOutputMs").asDouble(), 0.002);
        double network = ann.get("networkMs").asDouble();
        assertTrue(network > 0, ann.toString());
        assertEquals(stats.at("/room/rttMs").asDouble(), network, 0.5, "one way = our round trip to the server");
        // The same depth as the stats' own, read a moment apart: within a packet, and the 0.001 ms to
        // which the latency's figures are rounded (a packet apart failed once at 1.334 ms: 6.667 - 5.333).
        assertEquals(stats.at("/members/0/depthMs").asDouble(), ann.get("jitterBufferMs").asDouble(),
                64 * 1000.0 / RATE + 0.001);
        assertEquals(card + network + ann.get("jitterBufferMs").asDouble() + l.get("limiterMs").asDouble() + card,
                ann.get("mouthToEarMs").asDouble(), 0.002);
    }
}
