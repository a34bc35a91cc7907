package jambox.appliance.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jambox.appliance.audio.Capture;
import jambox.appliance.audio.LoopedInput;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.board.PedalSpec;
import jambox.dsp.LoopAction;

/**
 * The looper's {@code send} on the real engine over simulated audio: a loop kept local is in the
 * headphones and never in what goes to the room; one sent to the room is in both.
 */
class LooperSendTest {
    private static final int RATE = 48_000;
    private static final int TAKE = RATE / 2;

    private static double peak(float[] x, int from, int to) {
        double p = 0;
        for (int i = from; i < Math.min(to, x.length); i++) {
            p = Math.max(p, Math.abs(x[i]));
        }
        return p;
    }

    @ParameterizedTest(name = "send {0}")
    @ValueSource(strings = {"local", "room"})
    void aLocalLoopIsHeardInTheHeadphonesAndNeverSentToTheRoom(String send) throws Exception {
        int sendIndex = jambox.dsp.pedal.Looper.TYPE.param("send").choiceIndex(send);
        Engine engine = new Engine(new BoardSpec("loop", List.of(List.of(
                new PedalSpec("looper", false, Map.of("send", (double) sendIndex))))));
        int frames = 2 * RATE;
        float[] guitar = new float[frames];
        for (int i = 0; i < TAKE + 480; i++) { // the take, and the few ms the seam blends in
            guitar[i] = (float) (0.3 * Math.sin(2 * Math.PI * 441 * i / RATE));
        }
        float[] room = new float[frames];
        long[] sent = new long[1];
        // The uplink runs on the audio thread right after the boards: what it posts is taken the next
        // period, so the take ends exactly on a period edge, half a second in.
        engine.setUplink((audio, n) -> {
            System.arraycopy(audio[0], 0, room, (int) sent[0], Math.min(n, frames - (int) sent[0]));
            sent[0] += n;
            if (sent[0] == TAKE) {
                engine.transport().cue().post(LoopAction.RECORD);
            }
        });
        assertTrue(engine.transport().cue().post(LoopAction.RECORD)); // recording from the first period
        Capture capture = new Capture(frames);
        SimulatedBackend backend = new SimulatedBackend(RATE, 64, false, frames / 64,
                new LoopedInput(new float[][] {guitar, new float[frames]}), capture);
        backend.start(engine);
        assertTrue(backend.awaitFinished(60, TimeUnit.SECONDS));
        backend.close();
        float[] ears = capture.audio()[0];

        int after = TAKE + 2 * 480; // the guitar has stopped; only the loop can sound
        double toRoom = peak(room, after, frames), toEars = peak(ears, after, frames);
        System.out.printf("looper send %s: after the take, peak %.4f to the room, %.4f in the headphones%n", send, toRoom, toEars);
        assertEquals(frames, sent[0]);
        assertTrue(peak(room, 0, TAKE) > 0.29, "the playing itself goes to the room either way");
        assertTrue(toEars > 0.2, "the loop plays in the headphones: " + toEars);
        if (send.equals("local")) {
            assertEquals(0.0, toRoom, "not one sample of a local loop reaches the room");
        } else {
            assertTrue(toRoom > 0.29, "a loop sent to the room is in it: " + toRoom);
        }
    }
}
