package jambox.appliance.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import jambox.appliance.audio.Capture;
import jambox.appliance.audio.LoopedInput;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.config.ApplianceConfig;
import jambox.stream.JitterStats;
import jambox.appliance.stream.RoomMembers;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;
import jambox.room.RoomConfig;
import jambox.room.RoomServer;
import jambox.room.ServerConfig;

/** Two boxes (simulated audio, paced) and a room server on loopback: an impulse from A's input to B's output. */
class TwoBoxesTest {
    private static final int RATE = 48_000;
    private static final BoardSpec EMPTY = new BoardSpec("empty", List.of(List.of()));
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Appliance box(int port, String name, SimulatedBackend backend) throws Exception {
        // A fixed depth of 6 packets: this test is about where the latency comes from, not how the
        // depth adapts (JitterBufferTest), and simulated clocks on a busy VM tick unevenly.
        ApplianceConfig config = new ApplianceConfig(ApplianceConfig.Audio.DEFAULT, null,
                new StreamConfig("127.0.0.1", port, "jam", "two boxes secret", name, List.of("guitar", "voice"),
                        Codec.PCM16, 64), new ApplianceConfig.Jitter(false, 6));
        Appliance a = Appliance.start(config, EMPTY, backend);
        open.add(a);
        a.engine().mixer().self(0).setMute(true);
        a.engine().mixer().self(1).setMute(true);
        return a;
    }

    @Test
    void anImpulseIntoAAppearsAtBAfterThePacketAndTheJitterBufferAndNothingElse() throws Exception {
        RoomServer server = RoomServer.start(ServerConfig.defaults().withPort(0).withStatusPort(0),
                List.of(new RoomConfig("jam", "two boxes secret", 16)));
        open.add(server);
        int port = server.address().getPort();
        float[][] clicks = {new float[RATE / 2], new float[RATE / 2]};
        clicks[0][0] = 0.9f; // one click every half second on A's first input
        int seconds = 8;
        SimulatedBackend aAudio = new SimulatedBackend(RATE, 64, true, Long.MAX_VALUE, new LoopedInput(clicks), null);
        float[][] tone = {new float[RATE], new float[RATE]};
        for (int i = 0; i < RATE; i++) {
            tone[0][i] = (float) (0.3 * Math.sin(2 * Math.PI * 330 * i / RATE));
        }
        Capture bOut = new Capture(RATE * seconds);
        SimulatedBackend bAudio = new SimulatedBackend(RATE, 64, true, Long.MAX_VALUE, new LoopedInput(tone), bOut);
        Appliance a = box(port, "Ann", aAudio);
        Appliance b = box(port, "Bob", bAudio);
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<Integer> depths = new ArrayList<>();
        while (bOut.frames() < RATE * seconds && System.nanoTime() < deadline) {
            Thread.sleep(50);
            if (bOut.frames() > RATE * 3) {
                b.members().members().stream().filter(m -> m.name().equals("Ann") && m.stats() != null).findFirst()
                        .ifPresent(m -> depths.add(m.stats().depthFrames));
            }
        }
        assertTrue(a.stream().joined() && b.stream().joined(), a.status() + "\n" + b.status());
        JitterStats atB = b.members().members().stream().filter(m -> m.name().equals("Ann")).findFirst()
                .map(RoomMembers.Member::stats).orElseThrow();
        System.out.println("A: " + a.status());
        System.out.println("B: " + b.status());
        float[] heard = bOut.audio()[0];
        // B's sample j is due at bStart + j/RATE; A's click k was due at aStart + k*RATE/2 / RATE.
        double offset = (bAudio.startNanos() - aAudio.startNanos()) * RATE / 1e9;
        List<Double> latencies = new ArrayList<>();
        for (int j = RATE * 3; j < heard.length; j++) { // after 3 s, when the buffer has settled
            if (heard[j] > 0.3f && heard[j] >= heard[j - 1] && heard[j] >= heard[j + 1 < heard.length ? j + 1 : j]) {
                double sent = j + offset;
                double click = Math.floor(sent / (RATE / 2.0)) * (RATE / 2.0);
                latencies.add(sent - click);
                j += RATE / 4;
            }
        }
        assertTrue(latencies.size() >= 8, "clicks heard at B: " + latencies.size());
        latencies.sort(Double::compare);
        double median = latencies.get(latencies.size() / 2);
        // The buffer's depth counts from the play position to the end of the newest packet, that packet
        // included: packetization (64 frames) plus the queue behind it. On simulated audio only B's safety
        // limiter adds: its lookahead.
        double depth = depths.stream().mapToInt(Integer::intValue).average().orElseThrow();
        double expected = depth + b.engine().limiter().latencySamples();
        System.out.printf("A -> B: latency %.0f samples (%.2f ms), jitter buffer %.0f frames on average (target %d),"
                + " limiter %d; all: %s%n", median, median * 1000 / RATE, depth, atB.targetFrames,
                b.engine().limiter().latencySamples(), latencies);
        assertEquals(expected, median, 64 + 16, "latency = packetization + queue (the depth), within a period");
        assertTrue(a.engine().outputMeter(0).peak() > 0.1f, "and B's tone reaches A: " + a.status());
    }
}
