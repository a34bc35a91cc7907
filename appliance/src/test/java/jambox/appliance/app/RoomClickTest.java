package jambox.appliance.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import jambox.appliance.audio.Capture;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;
import jambox.room.RoomConfig;
import jambox.room.RoomServer;
import jambox.room.ServerConfig;

/** Two boxes (paced simulated audio) in a room whose metronome runs: both click on the room's beats, together. */
class RoomClickTest {
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
        ApplianceConfig config = new ApplianceConfig(ApplianceConfig.Audio.DEFAULT, null,
                new StreamConfig("127.0.0.1", port, "jam", "click secret", name, List.of("guitar", "voice"),
                        Codec.PCM16, 64), new ApplianceConfig.Jitter(false, 6));
        Appliance a = Appliance.start(config, EMPTY, backend);
        open.add(a);
        a.engine().mixer().self(0).setMute(true);
        a.engine().mixer().self(1).setMute(true);
        a.engine().click().setLevelDb(-6);
        a.engine().click().setAccentDb(6);
        a.engine().click().setOn(true);
        return a;
    }

    /** Each click's first sample above silence after 10 ms of it, as the due time of that sample (ns). */
    private static List<long[]> clicks(float[] x, long startNanos, int from) {
        List<long[]> at = new ArrayList<>();
        for (int i = from; i < x.length - 600; i++) {
            if (Math.abs(x[i]) > 1e-6f) {
                float peak = 0;
                for (int k = i; k < i + 600; k++) {
                    peak = Math.max(peak, Math.abs(x[k]));
                }
                at.add(new long[] {startNanos + Math.round(i * 1e9 / RATE), peak > 0.4f ? 1 : 0});
                i += RATE / 100 + 600;
                while (i < x.length && Math.abs(x[i]) > 1e-6f) {
                    i++;
                }
            }
        }
        return at;
    }

    @Test
    void bothBoxesClickOnTheRoomsBeatAndAccentTheSameBeat() throws Exception {
        RoomServer server = RoomServer.start(ServerConfig.defaults().withPort(0).withStatusPort(0),
                List.of(new RoomConfig("jam", "click secret", 16)));
        open.add(server);
        int port = server.address().getPort();
        int seconds = 10;
        Capture aOut = new Capture(RATE * seconds);
        Capture bOut = new Capture(RATE * seconds);
        SimulatedBackend aAudio = new SimulatedBackend(RATE, 64, true, Long.MAX_VALUE, null, aOut);
        SimulatedBackend bAudio = new SimulatedBackend(RATE, 64, true, Long.MAX_VALUE, null, bOut);
        Appliance a = box(port, "Ann", aAudio);
        Appliance b = box(port, "Bob", bAudio);
        b.engine().click().setBpm(97); // its own tempo, until the room's takes over
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!(a.stream().joined() && b.stream().joined()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(a.stream().joined() && b.stream().joined(), a.status() + "\n" + b.status());
        a.stream().setTempo(150_000, 3); // Ann starts the room's metronome: 150 bpm, 3 beats a bar
        deadline = System.nanoTime() + 30_000_000_000L;
        while ((aOut.frames() < RATE * seconds || bOut.frames() < RATE * seconds) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(3, b.stream().roomBeatsPerBar());
        assertEquals(150_000, b.stream().roomTempo());

        // The last 4 s: long after the first BEAT has moved both clicks onto the room's.
        List<long[]> ann = clicks(aOut.audio()[0], aAudio.startNanos(), RATE * (seconds - 4));
        List<long[]> bob = clicks(bOut.audio()[0], bAudio.startNanos(), RATE * (seconds - 4));
        assertTrue(ann.size() >= 8 && bob.size() >= 8, ann.size() + " and " + bob.size() + " clicks");
        List<Double> apart = new ArrayList<>();
        int accents = 0;
        int mismatched = 0;
        for (long[] click : ann) {
            long[] nearest = bob.stream().min((x, y) -> Long.compare(Math.abs(x[0] - click[0]), Math.abs(y[0] - click[0])))
                    .orElseThrow();
            if (Math.abs(nearest[0] - click[0]) < 100_000_000L) {
                apart.add((nearest[0] - click[0]) / 1e6);
                mismatched += click[1] == nearest[1] ? 0 : 1;
                accents += (int) (click[1] & nearest[1]);
            }
        }
        List<Double> spacing = new ArrayList<>();
        for (int k = 1; k < bob.size(); k++) {
            spacing.add((bob.get(k)[0] - bob.get(k - 1)[0]) / 1e6);
        }
        double worst = apart.stream().mapToDouble(Math::abs).max().orElseThrow();
        System.out.println("room click: Bob after Ann by " + apart + " ms (worst " + worst + " ms); Bob's beats "
                + spacing + " ms apart; " + accents + " accents in common, " + mismatched + " beats accented by one only;"
                + " Ann's accents " + ann.stream().map(c -> c[1]).toList() + ", Bob's " + bob.stream().map(c -> c[1]).toList());
        assertEquals(0, mismatched, "Ann and Bob accent the same beats");
        assertTrue(apart.size() >= ann.size() - 1, "every click of Ann's has Bob's beside it");
        assertTrue(accents >= 2, "the bar of 3: beat 1 every third click");
        double median = spacing.stream().sorted().toList().get(spacing.size() / 2);
        assertEquals(400, median, 1, "Bob plays the room's 150 bpm, not his own 97");
        assertTrue(worst <= 10, "together to within 10 ms on a loaded VM's paced clocks: " + worst);
    }
}
