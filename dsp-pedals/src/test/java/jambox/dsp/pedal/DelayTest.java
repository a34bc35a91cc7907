package jambox.dsp.pedal;

import static jambox.dsp.Signals.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import jambox.dsp.Pedal;
import jambox.dsp.Transport;

class DelayTest {

    private static Pedal delay(double ms, double feedback, double mix, double tone) {
        Pedal p = pedal(Delay.TYPE);
        p.set("time", ms);
        p.set("feedback", feedback);
        p.set("mix", mix);
        p.set("tone", tone);
        return p;
    }

    /** Where the echo of an impulse peaks, to a fraction of a sample (parabola through the top three). */
    private static double echoPosition(float[] out, int from) {
        int best = from;
        for (int i = from; i < out.length; i++) {
            if (Math.abs(out[i]) > Math.abs(out[best])) {
                best = i;
            }
        }
        double a = out[best - 1], b = out[best], c = out[best + 1];
        return best + 0.5 * (a - c) / (a - 2 * b + c);
    }

    @Test
    void theEchoLandsAtTheSetTimeWithinOneSample() {
        for (double ms : new double[] {10, 123.45, 380, 1000.01, 2000}) {
            float[] in = new float[(int) ((ms / 1000 + 0.2) * FS)];
            int at = 1000;
            in[at] = 1f;
            float[] out = run(delay(ms, 0, 100, 20000), in);
            double expected = at + ms / 1000 * FS;
            double seen = echoPosition(out, at + 2);
            assertEquals(expected, seen, 1.0, "echo of a " + ms + " ms delay");
        }
    }

    @Test
    void eachRepeatIsTheFeedbackTimesTheOneBefore() {
        for (double fb : new double[] {25, 50, 80}) {
            float[] burst = sine(1000, 0.5, 0.05);
            float[] in = concat(burst, silence(1.2));
            float[] out = run(delay(200, fb, 100, 20000), in);
            double previous = Double.NaN;
            for (int k = 1; k <= 4; k++) {
                double t = 0.2 * k;
                double level = amplitudeAt(slice(out, t + 0.01, t + 0.04), 1000);
                if (k > 1) {
                    assertEquals(fb / 100, level / previous, 0.01, "repeat " + k + " at feedback " + fb + " %");
                }
                previous = level;
            }
        }
    }

    @Test
    void toneDarkensTheRepeats() {
        float[] in = concat(sine(4000, 0.5, 0.05), silence(0.5));
        float[] open = run(delay(200, 0, 100, 20000), in);
        float[] dark = run(delay(200, 0, 100, 1000), in);
        double drop = db(amplitudeAt(slice(dark, 0.21, 0.24), 4000) / amplitudeAt(slice(open, 0.21, 0.24), 4000));
        // A one-pole low-pass at 1 kHz is about 12 dB down at 4 kHz.
        assertEquals(-12.3, drop, 1.0);
    }

    @Test
    void changingTheTimeWhilePlayingDoesNotClick() {
        Pedal d = delay(100, 40, 50, 8000);
        float[] in = sine(220, 0.3, 3.0);
        float[] out = runBlocks(in, d::run, at -> {
            if (at == 750 * BLOCK) {
                d.set("time", 900);
            } else if (at == 1500 * BLOCK) {
                d.set("time", 37);
            }
        });
        // The loudest the wet and dry can add up to is 0.3 * (1 + 1 / (1 - 0.4)); a 220 Hz sine of that size:
        double allowed = 0.3 * (1 + 1 / 0.6) * 2 * Math.sin(Math.PI * 220 / FS);
        assertTrue(maxStep(out, 1, out.length) <= allowed, "largest step " + maxStep(out, 1, out.length) + " allowed " + allowed);
    }

    /** 1/8. at 120 bpm is 375 ms whatever the knob says; without a tempo the knob rules again. */
    @Test
    void syncedTheEchoFallsOnTheNoteValueOfTheTempo() {
        Transport t = new Transport();
        t.set(120, 4, 0);
        Pedal p = pedal(Delay.TYPE, t);
        p.set("time", 1000);
        p.set("feedback", 0);
        p.set("mix", 100);
        p.set("tone", 20000);
        p.set("sync", Delay.TYPE.param("sync").choiceIndex("1/8."));
        float[] in = new float[(int) (1.2 * FS)];
        in[1000] = 1f;
        double seen = echoPosition(run(p, in), 1002);
        System.out.printf("delay synced 1/8. at 120 bpm: echo %.2f ms after the click%n", (seen - 1000) / FS * 1000);
        assertEquals(1000 + 0.375 * FS, seen, 1.0);

        t.set(90, 4, 0); // 1/8. at 90 bpm: 500 ms
        float[] again = run(p, in);
        assertEquals(1000 + 0.5 * FS, echoPosition(again, 1002), 1.0);

        t.clear();
        float[] free = run(p, new float[(int) (1.2 * FS)]); // let the old echoes go
        free = run(p, in);
        assertEquals(1000 + 1.0 * FS, echoPosition(free, 1002), 1.0, "no tempo: the time knob's 1000 ms");
    }
}
