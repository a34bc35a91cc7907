package jambox.dsp;

import static jambox.dsp.Signals.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import jambox.dsp.pedal.Cabinet;
import jambox.dsp.pedal.Distortion;
import jambox.dsp.pedal.Overdrive;
import jambox.dsp.unit.Oversampler;

/**
 * Each pedal's reported latency against the delay measured through the real pedal.
 *
 * <p>A pedal's latency is its pure delay: what is left of its phase once the phase a
 * minimum-phase filter with the same magnitude response would have is taken away. A cabinet's
 * low-passes smear an impulse over a few samples as a real speaker does, but that is not
 * latency; an oversampler's linear-phase filters shift everything by a fixed time, and that is.
 */
class LatencyTest {
    private static final int N = 4096;

    /** The pedal's impulse response to a small impulse (small, so that clippers stay linear). */
    static double[] impulseResponse(Pedal p, double amplitude) {
        float[] in = new float[N];
        in[0] = (float) amplitude;
        float[] out = run(p, in);
        double[] h = new double[N];
        for (int i = 0; i < N; i++) {
            h[i] = out[i] / amplitude;
        }
        return h;
    }

    /** Forward (sign -1) or inverse (sign +1, unscaled) DFT, in place; plain O(N^2), tests only. */
    static void dft(double[] re, double[] im, int sign) {
        int n = re.length;
        double[] cos = new double[n], sin = new double[n];
        for (int k = 0; k < n; k++) {
            cos[k] = Math.cos(2 * Math.PI * k / n);
            sin[k] = Math.sin(2 * Math.PI * k / n);
        }
        double[] r = new double[n], s = new double[n];
        for (int k = 0; k < n; k++) {
            double a = 0, b = 0;
            for (int t = 0, idx = 0; t < n; t++, idx = (idx + k) % n) {
                a += re[t] * cos[idx] - sign * im[t] * sin[idx];
                b += im[t] * cos[idx] + sign * re[t] * sin[idx];
            }
            r[k] = a;
            s[k] = b;
        }
        System.arraycopy(r, 0, re, 0, n);
        System.arraycopy(s, 0, im, 0, n);
    }

    /**
     * The pure delay of an impulse response, in samples: the slope of its excess phase (its phase
     * minus the minimum phase that its magnitude implies, by the folded real cepstrum) fitted over
     * 200 Hz .. 4 kHz, where every pedal passes sound.
     */
    static double excessDelay(double[] h) {
        int n = h.length;
        double[] re = h.clone(), im = new double[n];
        dft(re, im, -1);
        double peak = 0;
        double[] mag = new double[n];
        for (int k = 0; k < n; k++) {
            mag[k] = Math.hypot(re[k], im[k]);
            peak = Math.max(peak, mag[k]);
        }
        // Zeros on the unit circle (a DC blocker, a low-pass's zero at Nyquist) have no finite log.
        double[] cre = new double[n], cim = new double[n];
        for (int k = 0; k < n; k++) {
            cre[k] = Math.log(Math.max(mag[k], 1e-9 * peak));
        }
        dft(cre, cim, 1);
        for (int t = 0; t < n; t++) {
            double w = t == 0 || t == n / 2 ? 1 : (t < n / 2 ? 2 : 0);
            cre[t] = cre[t] * w / n;
            cim[t] = 0;
        }
        dft(cre, cim, -1);
        // cim now holds the minimum phase; the excess phase is arg(H) minus it, unwrapped upwards from 200 Hz.
        int from = (int) Math.round(200.0 / FS * n), to = (int) Math.round(4000.0 / FS * n);
        double prev = 0, offset = 0;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int k = from; k <= to; k++) {
            double phase = Math.atan2(im[k], re[k]) - cim[k];
            if (k > from) {
                double d = phase + offset - prev;
                offset -= 2 * Math.PI * Math.round(d / (2 * Math.PI));
            }
            double unwrapped = phase + offset;
            prev = unwrapped;
            double w = 2 * Math.PI * k / n;
            sx += w;
            sy += unwrapped;
            sxx += w * w;
            sxy += w * unwrapped;
        }
        int m = to - from + 1;
        double slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
        return -slope;
    }

    /** Where the cross-correlation of input and output peaks, interpolated between samples (a parabola through the top three). */
    static double correlationDelay(Pedal p, float[] in) {
        float[] out = run(p, in);
        int skip = (int) (0.25 * FS);
        double[] xc = new double[129];
        for (int lag = 0; lag < xc.length; lag++) {
            double s = 0;
            for (int i = skip; i < in.length - lag; i++) {
                s += in[i] * (double) out[i + lag];
            }
            xc[lag] = s;
        }
        int best = 0;
        for (int lag = 1; lag < xc.length; lag++) {
            if (xc[lag] > xc[best]) {
                best = lag;
            }
        }
        if (best == 0 || best == xc.length - 1) {
            return best;
        }
        double a = xc[best - 1], b = xc[best], c = xc[best + 1];
        return best + 0.5 * (a - c) / (a - 2 * b + c);
    }

    static float[] noise(double amplitude, double seconds, long seed) {
        Random r = new Random(seed);
        float[] x = new float[(int) (seconds * FS)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (amplitude * (2 * r.nextDouble() - 1));
        }
        return x;
    }

    /**
     * Measured by the excess phase of a small impulse's response: time-invariant, no gate to shut it out.
     * The ir pedal's default response is the cabinet pedal's 2x12 measured, minimum-phase as the
     * cabinet is: its low-passes would move a correlation peak by samples that are smear, not delay.
     */
    private static final Set<String> BY_IMPULSE = Set.of("overdrive", "distortion", "amp", "compressor", "boost", "eq", "cabinet",
            "ir", "flanger", "phaser", "tremolo", "wah");
    /**
     * Measured by the cross-correlation of noise in and out: the gate would shut out a lone
     * impulse, and a chorus's, delay's or reverb's echo is a second arrival, not a minimum-phase
     * smear, so the excess phase is not defined for them; the correlation finds the dry arrival.
     * The octave's voices are new frequencies, not a filtered input, so no impulse response
     * describes them; noise through its dry path and voices correlates with the dry path.
     */
    private static final Set<String> BY_CORRELATION = Set.of("octave", "gate", "chorus", "delay", "reverb", "looper", "tuner");

    static double measure(PedalType t) {
        if (BY_IMPULSE.contains(t.id())) {
            return excessDelay(impulseResponse(pedal(t), 1e-4));
        }
        return correlationDelay(pedal(t), noise(0.1, 1.0, 7));
    }

    @Test
    void oversamplerDelaysByItsReportedLatency() {
        Oversampler os = new Oversampler(BLOCK);
        float[] in = new float[N];
        in[0] = 1;
        float[] h = runBlocks(in, (b, n) -> {
            os.up(b, n);
            os.down(b, n);
        });
        // Linear phase: the response is symmetric about its delay, so its centroid is the delay at every frequency.
        double sum = 0, moment = 0;
        for (int i = 0; i < N; i++) {
            sum += h[i];
            moment += i * (double) h[i];
        }
        assertEquals(Oversampler.LATENCY_SAMPLES, moment / sum, 0.01);
        assertEquals(15.0, Oversampler.LATENCY_SAMPLES);
        int peak = 0;
        for (int i = 0; i < N; i++) {
            peak = Math.abs(h[i]) > Math.abs(h[peak]) ? i : peak;
        }
        assertEquals(15, peak);
    }

    @Test
    void everyPedalDelaysByItsReportedLatencyWithinASample() {
        for (PedalType t : Catalog.ALL) {
            assertTrue(BY_IMPULSE.contains(t.id()) || BY_CORRELATION.contains(t.id()), t.id() + " has no latency measurement");
            double measured = measure(t);
            assertEquals(t.latencySamples(), measured, 1.0, t.id() + ": reports " + t.latencySamples() + ", measured " + measured);
            assertEquals(t.latencySamples(), pedal(t).latencySamples());
        }
    }

    @Test
    void drivesReportTheirOversamplersDelayAndTheCabinetNone() {
        assertEquals(Oversampler.LATENCY_SAMPLES, Overdrive.TYPE.latencySamples());
        assertEquals(Oversampler.LATENCY_SAMPLES, Distortion.TYPE.latencySamples());
        assertEquals(0.0, Cabinet.TYPE.latencySamples());
        // Not a smear: a cabinet's low-passes move the correlation peak ~6 samples, and its excess phase is still ~0.
        assertEquals(0.0, measure(Cabinet.TYPE), 0.5);
        assertTrue(correlationDelay(pedal(Cabinet.TYPE), noise(0.1, 1.0, 7)) > 3);
    }

    /** Two overdrives: a distortion alone measures 15.4, so two of those would not sum within one sample. */
    @Test
    void boardSumsItsEngagedPedals() {
        Board board = new Board(FS, BLOCK);
        board.add(board.create(Overdrive.TYPE));
        board.add(board.create(Cabinet.TYPE));
        board.add(board.create(Overdrive.TYPE));
        assertEquals(2 * Oversampler.LATENCY_SAMPLES, board.latencySamples());
        assertEquals(board.latencySamples(), excessDelay(boardResponse(board)), 1.0);

        board.get(2).setBypassed(true);
        assertEquals(Oversampler.LATENCY_SAMPLES, board.latencySamples());
        assertEquals(board.latencySamples(), excessDelay(boardResponse(board)), 1.0);
    }

    /** The board's response to a small impulse, after its bypass fades have settled. */
    private static double[] boardResponse(Board board) {
        runBlocks(new float[(int) (FS * 0.1)], board::process);
        float[] in = new float[N];
        in[0] = 1e-4f;
        float[] out = runBlocks(in, board::process);
        double[] h = new double[N];
        for (int i = 0; i < N; i++) {
            h[i] = out[i] / 1e-4;
        }
        return h;
    }
}
