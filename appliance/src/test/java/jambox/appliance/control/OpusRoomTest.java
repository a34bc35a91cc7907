package jambox.appliance.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import jambox.appliance.app.Appliance;
import jambox.appliance.audio.AudioBackend;
import jambox.appliance.audio.Capture;
import jambox.appliance.audio.LoopedInput;
import jambox.appliance.audio.Signals;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.config.ApplianceConfig;
import jambox.stream.JitterStats;
import jambox.appliance.stream.RoomMembers;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;
import jambox.protocol.Opus;
import jambox.room.RoomConfig;
import jambox.room.RoomServer;
import jambox.room.ServerConfig;

/**
 * A room with an Opus member and a PCM member: the real room server in-process, real UDP on
 * loopback, two boxes on paced simulated audio. Ann sends a 440 Hz tone in Opus, Bob 660 Hz in
 * PCM16; each must hear the other's tone at its frequency.
 */
class OpusRoomTest {
    private static final int RATE = 48_000;
    private static final BoardSpec EMPTY = new BoardSpec("empty", List.of(List.of()));
    private static final String SECRET = "opus room secret";
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    static float[][] tone(double hz) {
        // A whole number of cycles in the loop: 440 and 660 Hz both fit a second.
        float[][] t = {new float[RATE], new float[RATE]};
        for (int i = 0; i < RATE; i++) {
            t[0][i] = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / RATE));
            t[1][i] = t[0][i];
        }
        return t;
    }

    static Appliance box(List<AutoCloseable> open, int port, String name, Codec codec, AudioBackend backend)
            throws Exception {
        ApplianceConfig config = new ApplianceConfig(ApplianceConfig.Audio.DEFAULT, null,
                new StreamConfig("127.0.0.1", port, "jam", SECRET, name, List.of("left", "right"), codec,
                        codec == Codec.OPUS ? Opus.FRAMES : 64), ApplianceConfig.Jitter.DEFAULT);
        Appliance a = Appliance.start(config, EMPTY, backend);
        open.add(a);
        a.engine().mixer().self(0).setMute(true); // each hears only the other
        a.engine().mixer().self(1).setMute(true);
        return a;
    }

    static RoomServer server(List<AutoCloseable> open) throws Exception {
        RoomServer server = RoomServer.start(ServerConfig.defaults().withPort(0).withStatusPort(0),
                List.of(new RoomConfig("jam", SECRET, 16)));
        open.add(server);
        return server;
    }

    @Test
    void anOpusMemberAndAPcmMemberHearEachOthersTone() throws Exception {
        RoomServer server = server(open);
        int port = server.address().getPort();
        int seconds = 8;
        Capture annHears = new Capture(RATE * seconds);
        Capture bobHears = new Capture(RATE * seconds);
        SimulatedBackend annAudio = new SimulatedBackend(RATE, 64, true, Long.MAX_VALUE, new LoopedInput(tone(440)),
                annHears);
        SimulatedBackend bobAudio = new SimulatedBackend(RATE, 64, true, Long.MAX_VALUE, new LoopedInput(tone(660)),
                bobHears);
        Appliance ann = box(open, port, "Ann", Codec.OPUS, annAudio);
        Appliance bob = box(open, port, "Bob", Codec.PCM16, bobAudio);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while ((annHears.frames() < RATE * seconds || bobHears.frames() < RATE * seconds)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        System.out.println("Ann: " + ann.status());
        System.out.println("Bob: " + bob.status());
        assertTrue(ann.stream().joined() && bob.stream().joined(), ann.status() + "\n" + bob.status());
        // The last 3 s: long after both joined and the buffers settled.
        float[] bobGot = Arrays.copyOfRange(bobHears.audio()[0], RATE * (seconds - 3), RATE * seconds);
        float[] annGot = Arrays.copyOfRange(annHears.audio()[0], RATE * (seconds - 3), RATE * seconds);
        double opusHz = medianFrequency(bobGot);
        double pcmHz = medianFrequency(annGot);
        double opusDb = Signals.rmsDb(bobGot);
        double pcmDb = Signals.rmsDb(annGot);
        JitterStats annAtBob = stats(bob, "Ann");
        JitterStats bobAtAnn = stats(ann, "Bob");
        System.out.printf("Bob hears Ann's Opus at %.2f Hz, %.2f dB (%s); Ann hears Bob's PCM16 at %.2f Hz, %.2f dB (%s)%n",
                opusHz, opusDb, annAtBob, pcmHz, pcmDb, bobAtAnn);
        assertEquals(440, opusHz, 3, "Ann's tone at Bob, through Opus");
        assertEquals(660, pcmHz, 3, "Bob's tone at Ann, in PCM16");
        // 0.3 amplitude is -13.5 dB rms; the pan law and a few concealed packets move it a little.
        assertEquals(pcmDb, opusDb, 3, "the two arrive at about the same level");
        assertTrue(annAtBob.received > 400 * 3, "Opus packets at Bob: " + annAtBob);

        // Bob's latency for Ann counts her codec; Ann's page says what sending Opus adds.
        JsonNode bobLatency = StateJson.latency(bob, null);
        JsonNode annAtBobLatency = bobLatency.get("members").get(0);
        assertEquals(2.5, annAtBobLatency.get("codecMs").asDouble(), 1e-9);
        assertEquals(0.0, StateJson.latency(ann, null).get("members").get(0).get("codecMs").asDouble(), 1e-9);
        assertEquals("OPUS", StateJson.latency(ann, null).get("sendCodec").asText());
        assertEquals(2.5, StateJson.latency(ann, null).get("sendCodecMs").asDouble(), 1e-9);
        assertEquals(0.0, bobLatency.get("sendCodecMs").asDouble(), 1e-9);
        assertTrue(ann.status().contains("sending Opus 128 kbit/s (+2.5 ms for the others)"), ann.status());
        assertTrue(!bob.status().contains("sending Opus"), bob.status());
    }

    /**
     * The median of the frequencies of twelve quarter seconds: on a loaded machine a stretch may
     * hold a concealed packet or a skip, which moves the zero crossings of that stretch only.
     */
    private static double medianFrequency(float[] x) {
        int n = RATE / 4;
        double[] f = new double[x.length / n];
        for (int i = 0; i < f.length; i++) {
            f[i] = Signals.frequency(Arrays.copyOfRange(x, i * n, (i + 1) * n), RATE);
        }
        Arrays.sort(f);
        return f[f.length / 2];
    }

    private static JitterStats stats(Appliance box, String name) {
        return box.members().members().stream().filter(m -> m.name().equals(name)).findFirst()
                .map(RoomMembers.Member::stats).orElseThrow();
    }
}
