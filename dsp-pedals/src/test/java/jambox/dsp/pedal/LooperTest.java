package jambox.dsp.pedal;

import static jambox.dsp.Signals.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import jambox.dsp.Board;
import jambox.dsp.LoopAction;
import jambox.dsp.Pedal;
import jambox.dsp.Transport;
import jambox.dsp.ir.IrBank;

class LooperTest {
    private static final int FADE = (int) Math.round(Looper.FADE_MS * 0.001 * FS);
    private static final int BAR_120 = 96000; // 4 beats at 120 bpm, 48 kHz: exactly 2 s

    /** A looper on a board with the box's clock, driven as the engine drives it: the clock written each period, then the board. */
    private static final class Rig {
        final Transport transport = new Transport();
        final Board board = new Board(FS, BLOCK, transport, new IrBank());
        final Looper looper = (Looper) board.create(Looper.TYPE);
        final Map<Integer, LoopAction> presses = new HashMap<>();
        double bpm;

        Rig() {
            board.add(looper);
        }

        /** Presses at the block that starts at sample {@code at} (a multiple of the block). */
        Rig press(int at, LoopAction a) {
            assertEquals(0, at % BLOCK, "presses land on period starts");
            presses.put(at, a);
            return this;
        }

        float[] run(float[] in) {
            return runBlocks(in, board::process, at -> {
                LoopAction a = presses.get(at);
                if (a != null) {
                    assertTrue(transport.cue().post(a));
                }
                if (bpm > 0) {
                    double spb = 60 * FS / bpm;
                    transport.set(bpm, 4, (at / spb) % 4);
                } else {
                    transport.clear();
                }
            });
        }
    }

    /** A tone that swells, so that no shift of it but the loop's matches itself. */
    private static float[] swellingTone(double hz, int samples) {
        float[] x = new float[samples];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.3 * (0.4 + 0.6 * i / samples) * Math.sin(2 * Math.PI * hz * i / FS));
        }
        return x;
    }

    private static float[] place(int total, int at, float[] part) {
        float[] x = new float[total];
        System.arraycopy(part, 0, x, at, Math.min(part.length, total - at));
        return x;
    }

    /** Normalised correlation of x with itself shifted by lag, over [from, from + n). */
    private static double correlation(float[] x, int from, int n, int lag) {
        double xy = 0, xx = 0, yy = 0;
        for (int i = from; i < from + n; i++) {
            xy += (double) x[i] * x[i + lag];
            xx += (double) x[i] * x[i];
            yy += (double) x[i + lag] * x[i + lag];
        }
        return xy / Math.sqrt(xx * yy);
    }

    @Test
    void aTakePlaysRoundWithThePeriodItWasRecordedAtAndTheLevelSet() {
        int start = 640, length = 72000; // 1.5 s
        Rig rig = new Rig().press(start, LoopAction.RECORD).press(start + length, LoopAction.RECORD);
        rig.looper.set("level", -6);
        // The take, and the few ms after it the seam blends in; then silence, so what comes out is the loop.
        float[] in = place(start + 5 * length, start, swellingTone(441.3, length + FADE));
        float[] out = rig.run(in);
        assertEquals(length, rig.looper.lengthSamples());
        assertEquals(Looper.State.PLAYING, rig.looper.state());

        int from = start + length + 2 * FADE;
        int best = -1;
        double bestR = -2;
        for (int lag = length / 2; lag <= 3 * length / 2; lag++) {
            double r = correlation(out, from, length, lag);
            if (r > bestR) {
                bestR = r;
                best = lag;
            }
        }
        System.out.printf("looper period: correlation peaks at lag %d (r = %.6f), recorded %d%n", best, bestR, length);
        assertEquals(length, best);
        for (int i = from; i < from + 2 * length; i++) {
            assertEquals(out[i], out[i + length], 1e-7f, "sample " + i);
        }
        // The level: each sample of the loop is the take's, 6 dB down.
        double ratio = rms(java.util.Arrays.copyOfRange(out, from, from + length - 2 * FADE))
                / rms(java.util.Arrays.copyOfRange(in, from - length, from - 2 * FADE));
        System.out.printf("looper level: %.3f dB for -6 dB%n", db(ratio));
        assertEquals(-6, db(ratio), 0.01);
    }

    @Test
    void anOverdubAddsALayerThatUndoTakesOffAndClearLeavesSilence() {
        int start = 640, length = 72000;
        int dub = start + 2 * length; // one pass played, then overdub one pass
        int undo = dub + 3 * length, clear = dub + 5 * length;
        Rig rig = new Rig().press(start, LoopAction.RECORD).press(start + length, LoopAction.RECORD)
                .press(dub, LoopAction.RECORD).press(dub + length, LoopAction.RECORD)
                .press(undo, LoopAction.UNDO).press(clear, LoopAction.CLEAR);
        float[] a = place(clear + length, start, sine(330, 0.3, (length + FADE) / FS));
        float[] b = place(clear + length, dub, sine(550, 0.2, length / FS));
        float[] in = new float[a.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = a[i] + b[i];
        }
        float[] out = rig.run(in);

        float[] played = java.util.Arrays.copyOfRange(out, start + length + 2 * FADE, dub);
        float[] layered = java.util.Arrays.copyOfRange(out, dub + length + 2 * FADE, dub + 2 * length);
        float[] undone = java.util.Arrays.copyOfRange(out, undo + length, undo + 2 * length);
        float[] cleared = java.util.Arrays.copyOfRange(out, clear + 2 * FADE, out.length);
        System.out.printf("looper overdub: 330 Hz %.4f before, %.4f layered, %.4f undone; 550 Hz %.4f layered, %.2e undone%n",
                amplitudeAt(played, 330), amplitudeAt(layered, 330), amplitudeAt(undone, 330),
                amplitudeAt(layered, 550), amplitudeAt(undone, 550));
        assertEquals(0.3, amplitudeAt(played, 330), 0.003);
        assertEquals(0.3, amplitudeAt(layered, 330), 0.003, "feedback 100 %: the first take stays as it was");
        assertEquals(0.2, amplitudeAt(layered, 550), 0.004);
        assertEquals(amplitudeAt(played, 330), amplitudeAt(undone, 330), 1e-4);
        assertTrue(amplitudeAt(undone, 550) < 0.2e-4, "the layer is gone: " + amplitudeAt(undone, 550));
        // The undo restores the take sample for sample.
        for (int i = 0; i < length - 2 * FADE; i++) {
            assertEquals(out[start + length + 2 * FADE + i], out[undo + length + 2 * FADE + i], 1e-7f);
        }
        assertEquals(0.0, peak(cleared), "clear leaves silence");
        assertEquals(Looper.State.EMPTY, rig.looper.state());
        assertEquals(0, rig.looper.lengthSamples());
    }

    @Test
    void withATempoTheTakeStartsOnABarLineAndIsWholeBars() {
        Rig rig = new Rig();
        rig.bpm = 120;
        int press = 469 * BLOCK; // 30016: in the first bar
        int second = 3450 * BLOCK; // 220800: 1.3 bars into the take
        rig.press(press, LoopAction.RECORD).press(second, LoopAction.RECORD);
        Random r = new Random(5);
        int total = 8 * BAR_120;
        float[] in = new float[total];
        for (int i = 0; i < 3 * BAR_120 + FADE; i++) {
            in[i] = (float) (0.2 * r.nextGaussian());
        }
        float[] out = rig.run(in);
        int length = rig.looper.lengthSamples();
        System.out.printf("looper at 120 bpm: length %d samples = %.4f bars%n", length, length / (double) BAR_120);
        assertEquals(2 * BAR_120, length, "1.3 bars round up to 2");

        // The loop holds the input from the bar line at 96000 on, and plays it round from the bar line at 288000.
        for (int t = 3 * BAR_120 + FADE; t < total; t++) {
            int inLoop = (t - BAR_120) % length;
            if (inLoop < FADE) {
                continue; // the seam
            }
            assertEquals(in[BAR_120 + inLoop], out[t], 1e-6f, "at " + t);
        }
    }

    @Test
    void aLateSecondPressRoundsBackToTheBarItJustPassedAndStaysOnTheBeat() {
        Rig rig = new Rig();
        rig.bpm = 120;
        int late = 2 * BAR_120 + 47 * BLOCK; // 3008 samples (1/32 bar) after the bar line
        rig.press(BLOCK, LoopAction.RECORD).press(late, LoopAction.RECORD);
        Random r = new Random(6);
        float[] in = new float[6 * BAR_120];
        for (int i = 0; i < late + FADE; i++) {
            in[i] = (float) (0.2 * r.nextGaussian());
        }
        float[] out = rig.run(in);
        assertEquals(BAR_120, rig.looper.lengthSamples());
        for (int t = late + FADE; t < out.length; t++) {
            int inLoop = (t - BAR_120) % BAR_120;
            if (inLoop < FADE) {
                continue;
            }
            assertEquals(in[BAR_120 + inLoop], out[t], 1e-6f, "at " + t);
        }
    }

    @Test
    void theSeamAndStartAndStopDoNotClick() {
        int start = 640, length = 72000, stop = start + 3 * length + 12345 / BLOCK * BLOCK;
        Rig rig = new Rig().press(start, LoopAction.RECORD).press(start + length, LoopAction.RECORD)
                .press(stop, LoopAction.STOP).press(stop + length, LoopAction.PLAY);
        double hz = 441.3; // 72000 samples hold 661.95 cycles: an unblended seam would jump
        float[] tone = sine(hz, 0.3, (length + 4 * FADE) / FS);
        for (int i = 0; i < 480; i++) { // the player's own note ends softly, so any click is the looper's
            tone[tone.length - 1 - i] *= i / 480f;
        }
        float[] in = place(stop + 3 * length, start, tone);
        float[] out = rig.run(in);

        double own = maxStep(tone, 1, tone.length);
        double rawJump = Math.abs(tone[0] - tone[length - 1]); // the loop point, were it not blended
        int seam = start + 2 * length; // a loop point on the second pass, with no input
        double seen = maxStep(out, seam - 100, seam + 2 * FADE);
        int toneEnds = start + tone.length;
        double recording = maxStep(out, 1, start + length);
        // While the note still sounds, the first pass starts under it: two tones, up to twice the step.
        double closing = maxStep(out, start + length, toneEnds);
        double after = maxStep(out, toneEnds, out.length);
        System.out.printf("looper seam: step %.5f at the loop point, %.5f recording, %.5f closing, %.5f after"
                + " (stop, play), the tone's own %.5f, an unblended seam %.5f%n", seen, recording, closing, after, own, rawJump);
        assertTrue(rawJump > 5 * own, "the test needs a seam that would click: " + rawJump);
        // The seam is a 5 ms crossfade: the moving weight may add at most (difference) / FADE to a step.
        assertTrue(seen <= own * 1.02 + 0.3 / FADE, "seam step " + seen + ", the tone's own " + own);
        // Recording, closing, the stop's fade-out and the play's fade-in: no step beyond the tone's own and a fade's.
        assertTrue(recording <= own * 1.001, "recording " + recording);
        assertTrue(closing <= 2 * own * 1.02, "closing " + closing);
        assertTrue(after <= own * 1.02 + 0.3 / FADE, "largest step " + after + ", the tone's own " + own);
        assertTrue(peak(java.util.Arrays.copyOfRange(out, stop + 2 * FADE, stop + length)) == 0, "stopped is silent");
        assertTrue(rms(java.util.Arrays.copyOfRange(out, stop + length + 2 * FADE, out.length)) > 0.1, "play starts it again");
    }

    @Test
    void aTakeThatFillsTheBufferClosesItselfAtSixtySeconds() {
        Rig rig = new Rig().press(0, LoopAction.RECORD);
        float[] in = sine(220, 0.2, 62);
        rig.run(in);
        assertEquals(Math.round(Looper.MAX_SECONDS * FS), rig.looper.lengthSamples());
        assertEquals(Looper.State.PLAYING, rig.looper.state());
    }

    @Test
    void bothChannelsTakeAnActionInTheSamePeriodEvenIfItIsPostedBetweenTheirBoards() {
        Transport transport = new Transport();
        IrBank irs = new IrBank();
        Board left = new Board(FS, BLOCK, transport, irs), right = new Board(FS, BLOCK, transport, irs);
        Looper l = (Looper) left.create(Looper.TYPE), r = (Looper) right.create(Looper.TYPE);
        left.add(l);
        right.add(r);
        float[] bl = new float[BLOCK], br = new float[BLOCK];
        for (int period = 0; period < 3000; period++) {
            transport.clear();
            for (int i = 0; i < BLOCK; i++) {
                bl[i] = br[i] = (float) Math.sin(period * 0.3 + i * 0.05);
            }
            left.process(bl, BLOCK);
            // The control thread posts while the audio thread is between the two boards.
            if (period == 100 || period == 1300 || period == 2000) {
                transport.cue().post(period == 2000 ? LoopAction.STOP : LoopAction.RECORD);
            }
            right.process(br, BLOCK);
            assertEquals(l.state(), r.state(), "period " + period);
            assertEquals(l.positionSamples(), r.positionSamples(), "period " + period);
            assertArrayEquals(bl, br, "period " + period);
        }
        assertEquals(1200 * BLOCK, l.lengthSamples());
        assertEquals(l.lengthSamples(), r.lengthSamples());
    }

    /** Empty, it is a wire: no delay, no colour (so its reported latency, 0, is right). */
    @Test
    void anEmptyLooperPassesItsInputUntouched() {
        float[] in = pluck(196, 1.0);
        assertArrayEquals(in, new Rig().run(in));
    }

    /** Record, play, overdub, undo (with its chunked copy back), stop, play, clear, with and without a tempo: 0 bytes a block. */
    @Test
    void everyActionRunsWithoutAllocating() {
        Rig rig = new Rig();
        rig.looper.set("send", 1); // local: the aside block too
        LoopAction[] cycle = {LoopAction.RECORD, LoopAction.RECORD, LoopAction.OVERDUB, LoopAction.PLAY,
                LoopAction.UNDO, LoopAction.STOP, LoopAction.PLAY, LoopAction.RECORD, LoopAction.RECORD,
                LoopAction.UNDO, LoopAction.CLEAR};
        float[] block = new float[BLOCK];
        int[] period = {0};
        Runnable periods = () -> {
            for (int k = 0; k < 6000; k++) {
                int b = period[0]++;
                if (b % 400 == 0) {
                    rig.transport.cue().post(cycle[(b / 400) % cycle.length]);
                }
                if ((b / 4400) % 2 == 1) {
                    rig.transport.set(133, 4, (b * BLOCK / (60 * FS / 133)) % 4);
                } else {
                    rig.transport.clear();
                }
                for (int i = 0; i < BLOCK; i++) {
                    block[i] = (float) (0.3 * Math.sin(b * 0.37 + i * 0.11));
                }
                rig.board.process(block, BLOCK);
            }
        };
        for (int warm = 0; warm < 6; warm++) {
            periods.run();
        }
        List<Long> windows = new java.util.ArrayList<>();
        for (int window = 0; window < 5; window++) {
            long bytes = jambox.dsp.Allocation.bytesDuring(periods);
            windows.add(bytes);
            if (bytes == 0) {
                System.out.println("looper, every action: windows of 6000 blocks allocated " + windows + " bytes");
                return;
            }
        }
        fail("the looper allocated in every window of 6000 blocks: " + windows);
    }

    /**
     * A local loop goes to the board's aside block only (the board's output, what the room gets, is
     * the dry input), and bypassing the looper fades it there like the output, without a click.
     */
    @Test
    void aLocalLoopGoesAsideAndItsBypassFadesThere() {
        Rig rig = new Rig();
        rig.looper.set("send", Looper.TYPE.param("send").choiceIndex("local"));
        int start = 640, length = 48000, bypass = start + 2 * length + 64 * 100;
        rig.press(start, LoopAction.RECORD).press(start + length, LoopAction.RECORD);
        float[] in = place(start + 4 * length, start, sine(441.3, 0.3, (length + FADE) / FS));
        float[] aside = new float[in.length];
        float[] out = runBlocks(in, (b, n) -> {
            rig.board.process(b, n);
            System.arraycopy(rig.board.aside(), 0, aside, lastStart[0], n);
        }, at -> {
            lastStart[0] = at;
            if (at == bypass) {
                rig.looper.setBypassed(true);
            }
            LoopAction a = rig.presses.get(at);
            if (a != null) {
                rig.transport.cue().post(a);
            }
            rig.transport.clear();
        });
        int after = start + length + 2 * FADE;
        assertEquals(0.0, peak(java.util.Arrays.copyOfRange(out, after, out.length)), "the room gets none of it");
        assertTrue(peak(java.util.Arrays.copyOfRange(aside, after, bypass)) > 0.29, "the headphones get the loop");
        double own = 2 * Math.PI * 441.3 / FS * 0.3;
        double step = maxStep(aside, bypass - 100, bypass + 2000);
        System.out.printf("looper local: bypass step %.5f in the aside block (the tone's own %.5f)%n", step, own);
        assertTrue(step <= own * 1.02 + 0.3 / (Pedal.FADE_SECONDS * FS), "bypass step " + step);
        assertEquals(0.0, peak(java.util.Arrays.copyOfRange(aside, bypass + 2000, aside.length)), "bypassed: silent");
    }

    private final int[] lastStart = new int[1];
}
