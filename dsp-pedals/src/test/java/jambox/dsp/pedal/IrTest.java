package jambox.dsp.pedal;

import static jambox.dsp.Signals.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;

import org.junit.jupiter.api.Test;

import jambox.dsp.Board;
import jambox.dsp.Pedal;
import jambox.dsp.ir.ImpulseResponse;
import jambox.dsp.ir.UserFilters;

class IrTest {

    private static float[] noise(double seconds, long seed) {
        Random r = new Random(seed);
        float[] x = new float[(int) (seconds * FS)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.3 * r.nextGaussian());
        }
        return x;
    }

    /** Error energy over the reference's, in dB, over [from, to). */
    private static double errorDb(float[] got, double[] want, int from, int to) {
        double e = 0, s = 0;
        for (int i = from; i < to; i++) {
            e += (got[i] - want[i]) * (got[i] - want[i]);
            s += want[i] * want[i];
        }
        return 10 * Math.log10(Math.max(e, 1e-300) / s);
    }

    private static double[] widen(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i];
        }
        return y;
    }

    /** A pedal on a board whose bank holds {@code ir} in user slot 1, chosen. */
    private static Pedal withUpload(ImpulseResponse ir) {
        Board board = new Board(FS, BLOCK);
        board.irs().setUser(0, ir);
        Pedal p = board.create(Ir.TYPE);
        p.set("ir", Ir.FIRST_USER);
        return p;
    }

    private static void awaitPrepared(Pedal p) throws InterruptedException {
        for (int i = 0; i < 500 && !((Ir) p).uploadsPrepared(); i++) {
            Thread.sleep(10);
        }
        assertTrue(((Ir) p).uploadsPrepared(), "the upload was not prepared within 5 s");
    }

    private static ImpulseResponse mono(String name, float[] h) {
        return new ImpulseResponse(name, (int) FS, new float[][] {h});
    }

    @Test
    void aDeltaResponseLeavesTheSignalUnchangedWithNoDelay() {
        float[] delta = new float[(int) (0.2 * FS)];
        delta[0] = 0.5f; // unit energy once normalised: a quiet delta plays at unity
        float[] x = noise(1.0, 1);
        float[] y = run(withUpload(mono("delta", delta)), x);
        double db = errorDb(y, widen(x), 0, x.length);
        System.out.println("ir pedal, delta response: error " + db + " dB");
        assertTrue(db < -120, db + " dB");
    }

    @Test
    void aRandom200MsResponseMatchesDirectConvolution() {
        Random r = new Random(2);
        float[] h = new float[(int) (0.2 * FS)];
        for (int i = 0; i < h.length; i++) {
            h[i] = (float) (r.nextGaussian() * Math.exp(-4.0 * i / h.length));
        }
        float[] x = noise(0.6, 3);
        float[] y = run(withUpload(mono("random", h)), x);
        float[] played = UserFilters.prepare(mono("random", h), FS, (int) (0.5 * FS));
        double db = errorDb(y, convolve(x, played), 0, x.length);
        System.out.println("ir pedal, random 200 ms response: error " + db + " dB");
        assertTrue(db < -100, db + " dB");
    }

    @Test
    void blockSizesOneSeventeenAndSixtyFourGiveTheSameOutput() {
        float[] x = noise(0.5, 4);
        float[][] outs = new float[3][];
        int[] sizes = {1, 17, 64};
        for (int s = 0; s < sizes.length; s++) {
            Pedal p = pedal(Ir.TYPE);
            p.set("ir", IrResponses.NAMES.indexOf("2x12 room"));
            p.set("mix", 70);
            float[] out = new float[x.length];
            float[] block = new float[sizes[s]];
            for (int at = 0; at < x.length; at += sizes[s]) {
                int n = Math.min(sizes[s], x.length - at);
                System.arraycopy(x, at, block, 0, n);
                p.run(block, n);
                System.arraycopy(block, 0, out, at, n);
            }
            outs[s] = out;
        }
        assertArrayEquals(outs[2], outs[0]);
        assertArrayEquals(outs[2], outs[1]);
    }

    @Test
    void anEmptyUserSlotPassesTheSignalDry() {
        Pedal p = pedal(Ir.TYPE);
        p.set("ir", Ir.FIRST_USER + 3);
        float[] x = pluck(110, 0.5);
        assertArrayEquals(x, run(p, x));
    }

    /**
     * From one response to another while a note plays: no sample steps further from the last than
     * the steady sound through either response does; once the fade is over the output is, sample for
     * sample, what the new response alone gives (both lanes heard the same input all along).
     */
    @Test
    void switchingResponsesCrossfades() {
        float[] x = concat(pluck(82.4, 1.0), pluck(196, 1.0));
        int at = 400 * BLOCK;
        int from = IrResponses.NAMES.indexOf("1x12 open"), to = IrResponses.NAMES.indexOf("2x12 room");
        Pedal p = pedal(Ir.TYPE);
        p.set("ir", from);
        float[] out = runBlocks(x, p::run, start -> {
            if (start == at) {
                p.set("ir", to);
            }
        });
        Pedal a = pedal(Ir.TYPE), b = pedal(Ir.TYPE);
        a.set("ir", from);
        b.set("ir", to);
        float[] before = run(a, x), after = run(b, x);
        int fadeEnd = at + (int) Math.ceil(Ir.CROSSFADE_SECONDS * FS) + BLOCK;
        double steady = Math.max(maxStep(before, at - 4800, fadeEnd), maxStep(after, at - 4800, fadeEnd));
        double seen = maxStep(out, at, fadeEnd);
        System.out.printf("ir switch: largest step %.5f during the fade, %.5f in the steady sounds%n", seen, steady);
        assertTrue(seen <= 1.05 * steady, "step " + seen + " against " + steady);
        // Mid-fade the output is neither response alone.
        int mid = at + (int) (Ir.CROSSFADE_SECONDS * FS / 2);
        assertNotEquals(before[mid], out[mid]);
        assertNotEquals(after[mid], out[mid]);
        for (int i = fadeEnd; i < x.length; i++) {
            assertEquals(after[i], out[i], 1e-6, "sample " + i);
        }
    }

    /** An upload into the slot in use reaches a running pedal (prepared off the audio thread) through a crossfade. */
    @Test
    void aNewUploadInTheChosenSlotIsPickedUpWhilePlaying() throws InterruptedException {
        float[] delta = {1};
        Board board = new Board(FS, BLOCK);
        board.irs().setUser(2, mono("delta", delta));
        Pedal p = board.create(Ir.TYPE);
        p.set("ir", Ir.FIRST_USER + 2);
        float[] x = noise(0.5, 5);
        assertArrayEquals(x, run(p, x));

        float[] h = new float[2000];
        h[100] = 1; // a 100-sample echo, nothing else
        board.irs().setUser(2, mono("echo", h));
        awaitPrepared(p);
        float[] y = run(p, x);
        int settled = (int) (Ir.CROSSFADE_SECONDS * FS) + BLOCK;
        for (int i = settled; i < x.length; i++) {
            assertEquals(x[i - 100], y[i], 1e-6, "sample " + i);
        }
        assertTrue(maxStep(y, 0, settled) <= 1.05 * maxStep(x, 0, x.length));
    }

    /** A response recorded at 44.1 kHz plays at the board's 48 kHz: a 10 ms echo stays 10 ms. */
    @Test
    void anUploadAtAnotherRateIsResampledToTheBoards() {
        float[] h = new float[4410];
        h[441] = 1;
        Pedal p = withUpload(new ImpulseResponse("echo at 44.1", 44100, new float[][] {h}));
        float[] in = new float[4800];
        in[100] = 1;
        float[] out = run(p, in);
        int peak = 0;
        for (int i = 0; i < out.length; i++) {
            peak = Math.abs(out[i]) > Math.abs(out[peak]) ? i : peak;
        }
        assertEquals(100 + 480, peak);
        // Band-limited to 95 % of 22.05 kHz the echo is a narrow sinc, not a lone sample: at unit
        // energy its centre holds about 0.94.
        assertEquals(0.94, out[peak], 0.02);
    }

    @Test
    void aSilentUploadIsSilence() {
        float[] out = run(withUpload(mono("nothing", new float[480])), pluck(110, 0.3));
        assertEquals(0.0, peak(out));
    }

    @Test
    void aStereoResponsePlaysAsTheMeanOfItsChannels() {
        float[] left = new float[64], right = new float[64];
        left[0] = 1;
        right[10] = 1;
        float[] h = UserFilters.prepare(new ImpulseResponse("pair", (int) FS, new float[][] {left, right}), FS, 24000);
        assertEquals(Math.sqrt(0.5), h[0], 1e-6);
        assertEquals(Math.sqrt(0.5), h[10], 1e-6);
    }

    /** The shipped cabinets are the cabinet pedal itself, measured: the same sound up to their unit-energy gain. */
    @Test
    void theShippedCabinetsSoundAsTheCabinetPedal() {
        float[] x = pluck(110, 1.0);
        String[] voicings = {"1x12", "2x12", "4x12"};
        for (int v = 0; v < 3; v++) {
            Pedal cab = pedal(Cabinet.TYPE);
            cab.set("voicing", v);
            Pedal ir = pedal(Ir.TYPE);
            ir.set("ir", v);
            float[] want = run(cab, x), got = run(ir, x);
            double dot = 0, ww = 0;
            for (int i = 0; i < x.length; i++) {
                dot += (double) want[i] * got[i];
                ww += (double) want[i] * want[i];
            }
            double g = dot / ww;
            double[] scaled = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                scaled[i] = g * want[i];
            }
            double db = errorDb(got, scaled, 0, x.length);
            // Not closer: the cabinet's float biquads at 65-120 Hz round at -70..-80 dB of the
            // signal (1x12 -69, 2x12 -79, 4x12 -82 dB here), while the convolution itself is within
            // -140 dB of a double direct convolution with the measured response.
            assertTrue(db < -60, voicings[v] + ": " + db + " dB from the cabinet pedal");
        }
    }

    @Test
    void theShippedResponsesAreCabinetsAndDiffer() {
        for (int i = 0; i < IrResponses.NAMES.size(); i++) {
            Pedal p = pedal(Ir.TYPE);
            p.set("ir", i);
            double mid = gainDbAt(p, 1000, 0.1);
            Pedal q = pedal(Ir.TYPE);
            q.set("ir", i);
            double top = gainDbAt(q, 12000, 0.1);
            assertTrue(top < mid - 25, IrResponses.NAMES.get(i) + ": 12 kHz only " + (mid - top) + " dB under 1 kHz");
        }
        float[] offAxis = IrResponses.response(3, FS), onAxis = IrResponses.response(2, FS);
        assertNotEquals(offAxis[10], onAxis[10]);
        assertTrue(IrResponses.response(4, FS).length > 0.35 * FS, "the room rings for its RT60");
        assertTrue(IrResponses.response(1, FS).length < IrResponses.CABINET_SECONDS * FS, "a cabinet rung down is trimmed");
    }

    @Test
    void levelIsInDbAndMixBlendsTheDrySignal() {
        Pedal flat = pedal(Ir.TYPE);
        double wet = gainDbAt(flat, 1000, 0.1);
        Pedal quiet = pedal(Ir.TYPE);
        quiet.set("level", -9);
        assertEquals(wet - 9, gainDbAt(quiet, 1000, 0.1), 0.05);
        Pedal dry = pedal(Ir.TYPE);
        dry.set("mix", 0);
        float[] x = pluck(110, 0.3);
        assertArrayEquals(x, run(dry, x));
    }
}
