package jambox.appliance.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import jambox.appliance.board.BoardSpec;

/**
 * The click's beat line on a frame clock, with periods run by hand: a frame time misread once (a
 * late JACK cycle reads the next cycle's) does not move it; frames the box really missed move the
 * beat on by them, so it stays on the same frames of the clock.
 */
class ClickClockTest {
    private static final int RATE = 48_000;
    private static final int N = 64;

    private final Engine engine = new Engine(new BoardSpec("empty", List.of(List.of())));
    private final float[][] in = {new float[N], new float[N]};
    private final float[][] out = {new float[N], new float[N]};
    private long reported;
    /** The next beat as the line says, and its number in the bar, after the last period. */
    private double beat;
    private int inBar;

    ClickClockTest() {
        engine.format(RATE, N);
        engine.click().setBpm(120); // 24000 frames a beat
        engine.click().clockOn(() -> reported, (line, next, frames) -> {
            beat = line.beatFrame();
            inBar = line.inBar();
        });
    }

    private void period(long frame) {
        reported = frame;
        engine.period(in, out, N);
    }

    /** Where the line puts beat 1 of the bar: the next beat, less the beats before it in the bar. */
    private double downbeat() {
        return beat - inBar * 24_000.0;
    }

    @Test
    void aFrameTimeMisreadOnceDoesNotMoveTheBeat() {
        long frame = 1_000_000;
        for (int k = 0; k < 100; k++, frame += N) {
            period(frame);
        }
        double grid = downbeat() % 24_000;
        period(frame + N); // a late cycle reads the next one's time...
        frame += N;
        assertEquals(grid, downbeat() % 24_000, 1e-6, "...and the line stays");
        for (int k = 0; k < 10; k++, frame += N) {
            period(frame);
            assertEquals(grid, downbeat() % 24_000, 1e-6);
        }
    }

    @Test
    void framesTheBoxMissedMoveTheBeatOnByThem() {
        long frame = 1_000_000;
        for (int k = 0; k < 100; k++, frame += N) {
            period(frame);
        }
        double grid = downbeat() % 24_000;
        frame += 3 * N + 17; // an xrun: jackd's clock moved on by the time it lost, not by whole periods
        for (int k = 0; k < 20; k++, frame += N) {
            period(frame);
        }
        assertEquals(grid, downbeat() % 24_000, 1e-6, "the beat is where it was on the clock");
        // A clock that begins again (a new JACK server) is taken as it is.
        for (int k = 0; k < 5; k++) {
            period(64L * k);
        }
        assertTrue(beat > 4 * N && beat < 4 * N + 24_000 + RATE / 100, "the beat goes on from the new clock's frames: " + beat);
    }
}
