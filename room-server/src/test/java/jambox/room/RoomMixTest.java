package jambox.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;

import jambox.common.MixLaw;
import jambox.protocol.message.MixStrips;
import jambox.protocol.message.Routing;
import org.junit.jupiter.api.Test;

/**
 * The server's mix-minus measured: every member sends its own tones (one frequency per member and
 * channel, each a whole number of cycles in the measuring window, so a single-bin DFT reads its
 * level exactly), and each listener's two sides are read back tone by tone.
 */
class RoomMixTest {
    private static final int RATE = 48000;
    private static final int BLOCK = 64;
    /** 4,800 frames = 75 blocks: 10 Hz bins, every tone below on a bin. */
    private static final int WINDOW = 4800;
    /** After a change, gains are within -80 dB of their targets in about 9 time constants: wait 300 ms. */
    private static final int SETTLE_BLOCKS = RATE * 3 / 10 / BLOCK;
    private static final double AMPLITUDE = 0.1;
    /** Below this, a tone is absent: far under anything audible or any PCM's noise floor. */
    private static final double ABSENT_DB = -120;

    private static double freq(int slot, int channel) {
        return 200 + 100 * (2 * slot + channel);
    }

    /** Runs the mix over {@code blocks} blocks from frame {@code from}, every member playing its tones. */
    private static float[][][] play(RoomMix mix, int members, long from, int blocks) {
        float[][][] heard = new float[members][2][blocks * BLOCK];
        for (int b = 0; b < blocks; b++) {
            for (int s = 0; s < members; s++) {
                for (int c = 0; c < 2; c++) {
                    float[] in = mix.input(s, c);
                    double w = 2 * Math.PI * freq(s, c) / RATE;
                    for (int i = 0; i < BLOCK; i++) {
                        in[i] = (float) (AMPLITUDE * Math.sin(w * (from + (long) b * BLOCK + i)));
                    }
                }
            }
            mix.mix(BLOCK);
            for (int l = 0; l < members; l++) {
                for (int side = 0; side < 2; side++) {
                    System.arraycopy(mix.output(l, side), 0, heard[l][side], b * BLOCK, BLOCK);
                }
            }
        }
        return heard;
    }

    /** The amplitude of the tone at {@code f} (on a bin of the window) in dB re 1. */
    private static double levelDb(float[] x, double f) {
        double re = 0;
        double im = 0;
        double w = 2 * Math.PI * f / RATE;
        for (int i = 0; i < x.length; i++) {
            re += x[i] * Math.cos(w * i);
            im -= x[i] * Math.sin(w * i);
        }
        return 20 * Math.log10(2 * Math.hypot(re, im) / x.length);
    }

    private static float[][][] settleAndMeasure(RoomMix mix, int members) {
        play(mix, members, 0, SETTLE_BLOCKS);
        return play(mix, members, (long) SETTLE_BLOCKS * BLOCK, WINDOW / BLOCK);
    }

    /** What a tone through a strip at {@code db} and {@code pan} reads on {@code side}, in dB. */
    private static double expectedDb(double db, double pan, int side) {
        double theta = (pan + 1) * Math.PI / 4;
        return 20 * Math.log10(AMPLITUDE) + db + 20 * Math.log10(side == 0 ? Math.cos(theta) : Math.sin(theta));
    }

    private static RoomMix room(int members) {
        RoomMix mix = new RoomMix(members, BLOCK, RATE);
        mix.setPresent((1L << members) - 1);
        return mix;
    }

    @Test
    void eachListenerHearsEveryoneElseAtTheirLevelsAndNeverItself() {
        int n = 4;
        RoomMix mix = room(n);
        for (int l = 0; l < n; l++) {
            for (int s = 0; s < n; s++) {
                for (int c = 0; c < 2; c++) {
                    mix.setStrip(l, s, c, -(l + s + c), false, 0); // a different fader for every strip
                }
            }
        }
        float[][][] heard = settleAndMeasure(mix, n);
        double worstOwn = -Double.MAX_VALUE;
        double bestOwn = 0;
        double worstError = 0;
        for (int l = 0; l < n; l++) {
            for (int side = 0; side < 2; side++) {
                for (int s = 0; s < n; s++) {
                    for (int c = 0; c < 2; c++) {
                        double got = levelDb(heard[l][side], freq(s, c));
                        if (s == l) {
                            worstOwn = Math.max(worstOwn, got);
                            bestOwn = Math.min(bestOwn, got);
                        } else {
                            worstError = Math.max(worstError, Math.abs(got - expectedDb(-(l + s + c), 0, side)));
                        }
                    }
                }
            }
        }
        System.out.printf("own tone in own mix: %.1f .. %.1f dB; others within %.5f dB of expected%n",
                bestOwn, worstOwn, worstError);
        assertTrue(worstOwn < ABSENT_DB, "own sound in own mix at " + worstOwn + " dB");
        assertTrue(worstError < 0.01, "a member off its expected level by " + worstError + " dB");
    }

    @Test
    void muteGainAndPanAreEachMeasuredOnTheirSide() {
        RoomMix mix = room(4);
        mix.setStrip(0, 1, 0, 0, false, -1);   // hard left
        mix.setStrip(0, 1, 1, -3, false, 0.5); // right of centre
        mix.setStrip(0, 2, 0, 0, true, 0);     // muted
        mix.setStrip(0, 2, 1, 6, false, 0);    // boosted
        mix.setStrip(0, 3, 0, -20, false, 1);  // hard right, down
        mix.setStrip(0, 3, 1, -120, false, 0); // fader at the bottom: silence
        float[][] zero = settleAndMeasure(mix, 4)[0];

        assertEquals(expectedDb(0, -1, 0), levelDb(zero[0], freq(1, 0)), 0.01, "hard left, left side");
        assertTrue(levelDb(zero[1], freq(1, 0)) < ABSENT_DB, "hard left leaves the right side silent");
        for (int side = 0; side < 2; side++) {
            assertEquals(expectedDb(-3, 0.5, side), levelDb(zero[side], freq(1, 1)), 0.01, "pan 0.5, side " + side);
            assertTrue(levelDb(zero[side], freq(2, 0)) < ABSENT_DB, "muted, side " + side);
            assertEquals(expectedDb(6, 0, side), levelDb(zero[side], freq(2, 1)), 0.01, "+6 dB, side " + side);
            assertTrue(levelDb(zero[side], freq(3, 1)) < ABSENT_DB, "-120 dB is silence, side " + side);
        }
        assertEquals(expectedDb(-20, 1, 1), levelDb(zero[1], freq(3, 0)), 0.01, "-20 dB hard right");
        assertTrue(levelDb(zero[0], freq(3, 0)) < ABSENT_DB, "hard right leaves the left side silent");
        // Member 1's mix is untouched by member 0's faders: everyone else at 0 dB, centre.
        float[][] one = play(mix, 4, (long) (SETTLE_BLOCKS + WINDOW / BLOCK) * BLOCK, WINDOW / BLOCK)[1];
        assertEquals(expectedDb(0, 0, 0), levelDb(one[0], freq(2, 0)), 0.01);
        assertEquals(expectedDb(0, 0, 1), levelDb(one[1], freq(3, 1)), 0.01);
    }

    @Test
    void theRoutingDecidesWhoIsInWhoseMixAsForwardingWould() {
        // Member 1 (slot 0) listens only to member 3; member 2 (slot 1) sends only to member 1.
        Routing[] routings = {
                new Routing(false, Routing.bit(3), true, 0),
                new Routing(true, 0, false, Routing.bit(1)),
                Routing.ALL,
                Routing.ALL};
        RoomMix mix = room(4);
        long[] expected = {0b0100, 0b1101, 0b1001, 0b0101};
        for (int l = 0; l < 4; l++) {
            assertEquals(expected[l], RoomMix.heard(routings, l), "slots heard by slot " + l);
            mix.setHeard(l, RoomMix.heard(routings, l));
        }
        float[][][] heard = settleAndMeasure(mix, 4);
        for (int l = 0; l < 4; l++) {
            for (int s = 0; s < 4; s++) {
                for (int side = 0; side < 2; side++) {
                    double got = levelDb(heard[l][side], freq(s, 0));
                    if ((expected[l] & (1L << s)) != 0) {
                        assertEquals(expectedDb(0, 0, side), got, 0.01, "slot " + l + " hears slot " + s);
                    } else {
                        assertTrue(got < ABSENT_DB, "slot " + l + " must not hear slot " + s + ": " + got + " dB");
                    }
                }
            }
        }
    }

    /**
     * The largest step between neighbouring samples of member 0's mix while member 1 plays a
     * constant 0.5 (whose own steps are 0) and member 0's strip for it goes through a fader throw,
     * a mute and unmute, a pan across, and a routing out and back, each change mid-stream.
     */
    private static double largestStep(double glideSeconds) {
        RoomMix mix = new RoomMix(2, BLOCK, RATE, glideSeconds);
        mix.setPresent(0b11);
        Runnable[] changes = {
                () -> mix.setStrip(0, 1, 0, 12, false, 0),
                () -> mix.setStrip(0, 1, 0, -40, false, 0),
                () -> mix.setStrip(0, 1, 0, 0, false, 0),
                () -> mix.setStrip(0, 1, 0, 0, true, 0),
                () -> mix.setStrip(0, 1, 0, 0, false, 0),
                () -> mix.setStrip(0, 1, 0, 0, false, -1),
                () -> mix.setStrip(0, 1, 0, 0, false, 1),
                () -> mix.setHeard(0, 0),
                () -> mix.setHeard(0, 0b10)};
        float[] last = {0.5f * (float) Math.cos(Math.PI / 4), 0.5f * (float) Math.sin(Math.PI / 4)};
        double largest = 0;
        for (Runnable change : changes) {
            change.run();
            for (int b = 0; b < 40; b++) {
                Arrays.fill(mix.input(1, 0), 0.5f);
                mix.mix(BLOCK);
                for (int side = 0; side < 2; side++) {
                    float[] o = mix.output(0, side);
                    for (int i = 0; i < BLOCK; i++) {
                        largest = Math.max(largest, Math.abs(o[i] - last[side]));
                        last[side] = o[i];
                    }
                }
            }
        }
        return largest;
    }

    /**
     * With the glide's time constant at 0, each change still ramps across one 64-frame block
     * (1.3 ms): even that short a fade steps several times over the bar, so the bar catches a
     * strip without its glide.
     */
    @Test
    void noChangeClicksAndWithoutTheGlideEveryOneWould() {
        double bar = 0.008; // on a constant 0.5: the steepest slope of a -6 dBFS sine at 120 Hz
        double glided = largestStep(MixLaw.GLIDE_SECONDS);
        double jumped = largestStep(0);
        System.out.printf("largest sample-to-sample step: %.5f with the glide, %.5f without%n", glided, jumped);
        assertTrue(glided < bar, "a change clicked: a step of " + glided);
        assertTrue(jumped > 2 * bar, "without the glide the measure must catch the change: " + jumped);
    }

    @Test
    void mixingAllocatesNothingPerBlockEvenWhileSettingsChange() {
        int n = 16;
        RoomMix mix = room(n);
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < 2; c++) {
                Arrays.fill(mix.input(s, c), 0.01f * (s + 1));
            }
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] windows = new long[5];
        for (int w = -3; w < windows.length; w++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int b = 0; b < 2000; b++) {
                mix.setStrip(b % n, (b / n) % n, b % 2, -(b % 30), b % 7 == 0, (b % 21 - 10) / 10.0);
                mix.setHeard(b % n, b % 5 == 0 ? 0 : -1L);
                mix.mix(BLOCK);
            }
            long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            if (w >= 0) {
                windows[w] = bytes;
            }
        }
        assertTrue(Arrays.stream(windows).anyMatch(b -> b == 0),
                "one window of 2000 blocks with exactly 0 bytes: " + Arrays.toString(windows));
    }

    @Test
    void aMixTableReplacesAllOfAListenersStripsAndABadOneChangesNothing() {
        RoomMix mix = room(4);
        mix.setStrip(0, 3, 1, -30, true, 0); // not in the table below: back to 0 dB, centred
        mix.setStrips(0, new MixStrips(List.of(MixStrips.Strip.of(2, 0, -10, false, -1),
                MixStrips.Strip.of(3, 1, 6, false, 0.5))));
        float[][] zero = settleAndMeasure(mix, 4)[0];
        assertEquals(expectedDb(-10, -1, 0), levelDb(zero[0], freq(1, 0)), 0.01, "member 2's left channel");
        assertTrue(levelDb(zero[1], freq(1, 0)) < ABSENT_DB, "member 2's left channel, hard left");
        for (int side = 0; side < 2; side++) {
            assertEquals(expectedDb(6, 0.5, side), levelDb(zero[side], freq(2, 1)), 0.01, "member 3's right channel");
            assertEquals(expectedDb(0, 0, side), levelDb(zero[side], freq(3, 1)), 0.01, "member 4's, not listed");
        }
        assertThrows(IllegalArgumentException.class, () -> mix.setStrips(0,
                new MixStrips(List.of(MixStrips.Strip.of(2, 0, 0, false, 0), MixStrips.Strip.of(5, 0, 0, false, 0)))),
                "member 5 in a room of 4");
        zero = play(mix, 4, (long) (SETTLE_BLOCKS + WINDOW / BLOCK) * BLOCK, SETTLE_BLOCKS + WINDOW / BLOCK)[0];
        float[] last = Arrays.copyOfRange(zero[0], SETTLE_BLOCKS * BLOCK, zero[0].length);
        assertEquals(expectedDb(-10, -1, 0), levelDb(last, freq(1, 0)), 0.01, "the refused table changed nothing");
    }

    @Test
    void badSettingsAreRefusedAndChangeNothing() {
        RoomMix mix = room(2);
        mix.setStrip(0, 1, 0, -6, false, 0);
        assertThrows(IllegalArgumentException.class, () -> mix.setStrip(0, 1, 0, 13, false, 0));
        assertThrows(IllegalArgumentException.class, () -> mix.setStrip(0, 1, 0, Double.NaN, false, 0));
        assertThrows(IllegalArgumentException.class, () -> mix.setStrip(0, 1, 0, 0, false, 1.5));
        assertThrows(IllegalArgumentException.class, () -> mix.setStrip(0, 2, 0, 0, false, 0));
        assertThrows(IllegalArgumentException.class, () -> mix.setStrip(0, 1, 2, 0, false, 0));
        assertThrows(IllegalArgumentException.class, () -> mix.mix(BLOCK + 1));
        assertThrows(IllegalArgumentException.class, () -> new RoomMix(65, BLOCK, RATE));
        float[][] zero = settleAndMeasure(mix, 2)[0];
        assertEquals(expectedDb(-6, 0, 0), levelDb(zero[0], freq(1, 0)), 0.01, "the last good setting holds");
    }
}
