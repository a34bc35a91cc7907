package jambox.appliance.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import jambox.appliance.board.BoardSpec;

/** The limiter where the engine puts it: after the master, on what goes to the headphones. */
class EngineLimiterTest {
    private static final int RATE = 48_000;
    private static final int N = 64;
    private static final BoardSpec EMPTY = new BoardSpec("empty", List.of(List.of()));

    /** The engine's output for a sine at {@code db} dBFS on input 1 (on the left), the input gain jumping +20 dB halfway. */
    private static float[][] play(Engine engine, double db, boolean step) {
        engine.format(RATE, N);
        engine.mixer().self(0).setPan(-1); // hard left is unity: the output is the input's level
        engine.mixer().self(1).setMute(true);
        float[][] in = {new float[N], new float[N]};
        float[][] out = {new float[N], new float[N]};
        float[][] all = new float[2][RATE];
        double a = Math.pow(10, db / 20);
        for (int k = 0; k < RATE / N; k++) {
            if (step && k == RATE / N / 2) {
                engine.setInputGainDb(0, 20);
            }
            for (int i = 0; i < N; i++) {
                in[0][i] = (float) (a * Math.sin(2 * Math.PI * 441 * (k * N + i) / RATE));
            }
            engine.period(in, out, N);
            for (int c = 0; c < 2; c++) {
                System.arraycopy(out[c], 0, all[c], k * N, N);
            }
        }
        return all;
    }

    @Test
    void aTwentyDbJumpAtTheInputWithTheMasterUpStaysUnderZeroDbTruePeakAtTheOutput() {
        Engine engine = new Engine(EMPTY);
        engine.mixer().setMasterDb(12);
        float[][] out = play(engine, -12, true);
        double limited = TruePeak.dbtp(out, 0, RATE - TruePeak.HALF);
        engine = new Engine(EMPTY);
        engine.limiter().setOn(false);
        engine.mixer().setMasterDb(12);
        double unlimited = TruePeak.dbtp(play(engine, -12, true), 0, RATE - TruePeak.HALF);
        System.out.printf("engine, -12 dBFS sine, master +12 dB, input +20 dB halfway: %.2f dBTP out with the"
                + " limiter, %.2f dBTP without%n", limited, unlimited);
        assertTrue(unlimited > 15, "without it the output goes far over: " + unlimited);
        assertTrue(limited < 0, "true peak out " + limited);
    }

    @Test
    void underTheCeilingTheEngineSoundsTheSameWithItAsWithoutOnlyLater() {
        Engine on = new Engine(EMPTY);
        float[][] with = play(on, -3, false);
        Engine off = new Engine(EMPTY);
        off.limiter().setOn(false);
        float[][] without = play(off, -3, false);
        int d = on.limiter().lookaheadSamples();
        double worst = 0;
        for (int c = 0; c < 2; c++) {
            for (int i = d; i < RATE; i++) {
                worst = Math.max(worst, Math.abs(with[c][i] - without[c][i - d]));
            }
        }
        System.out.printf("engine, -3 dBFS sine (%.2f dBTP out): with the limiter = without it %d samples earlier,"
                + " largest difference %.3g%n", TruePeak.dbtp(without, 0, RATE - TruePeak.HALF), d, worst);
        assertEquals(0.0, worst, 1e-6);
    }
}
