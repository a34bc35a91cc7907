package jambox.appliance.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;

import jambox.dsp.Smoothed;
import jambox.room.RoomMix;
import org.junit.jupiter.api.Test;

/**
 * The box's strip and the server's mix are one law: the same settings, changed at the same
 * periods, give the same samples, bit for bit. And the strip, now written on {@code MixLaw}, still
 * gives exactly what it gave when it glided with two {@link Smoothed} values of its own.
 */
class StripMatchesRoomMixTest {
    private static final int RATE = 48000;
    private static final int BLOCK = 64;
    private static final int BLOCKS_PER_STEP = 30;

    /** One setting for a strip, applied alike to the box's strip, the server's and the old law. */
    private record Setting(double db, boolean mute, double pan) {
    }

    private static final Setting[] SETTINGS = {
            new Setting(-6, false, 0), new Setting(12, false, -0.3), new Setting(-40, false, 1),
            new Setting(-40, true, 1), new Setting(3, false, -1), new Setting(-120, false, 0.25),
            new Setting(0, false, 0.7), new Setting(0, true, 0.7), new Setting(0, false, 0)};

    /** A test signal with no quiet stretch: a chord of three tones and a little fixed noise. */
    private static void signal(float[] x, long from) {
        for (int i = 0; i < BLOCK; i++) {
            long t = from + i;
            double v = 0.3 * Math.sin(2 * Math.PI * 110 * t / RATE) + 0.2 * Math.sin(2 * Math.PI * 1234.5 * t / RATE)
                    + 0.1 * Math.sin(2 * Math.PI * 7000 * t / RATE) + 0.05 * (((t * 2654435761L) >>> 7 & 1023) / 512.0 - 1);
            x[i] = (float) v;
        }
    }

    /** Plays the settings through one strip: {@code apply} sets it, {@code block} mixes a block into out. */
    private interface StripUnderTest {
        void apply(Setting s);

        void block(float[] src, float[] outL, float[] outR);
    }

    private static float[][] run(StripUnderTest strip) {
        int total = SETTINGS.length * BLOCKS_PER_STEP * BLOCK;
        float[][] heard = new float[2][total];
        float[] src = new float[BLOCK];
        float[] l = new float[BLOCK];
        float[] r = new float[BLOCK];
        int b = 0;
        for (Setting s : SETTINGS) {
            strip.apply(s);
            for (int k = 0; k < BLOCKS_PER_STEP; k++, b++) {
                signal(src, (long) b * BLOCK);
                java.util.Arrays.fill(l, 0f);
                java.util.Arrays.fill(r, 0f);
                strip.block(src, l, r);
                System.arraycopy(l, 0, heard[0], b * BLOCK, BLOCK);
                System.arraycopy(r, 0, heard[1], b * BLOCK, BLOCK);
            }
        }
        return heard;
    }

    private static StripUnderTest box() {
        Strip strip = new Strip(0);
        strip.format(RATE);
        return new StripUnderTest() {
            public void apply(Setting s) {
                strip.setGainDb(s.db());
                strip.setMute(s.mute());
                strip.setPan(s.pan());
            }

            public void block(float[] src, float[] outL, float[] outR) {
                strip.mixInto(src, outL, outR, BLOCK);
            }
        };
    }

    /** Listener slot 0 hears slot 1's channel 0; slot 1's channel 1 and slot 0's own input stay silent. */
    private static StripUnderTest server() {
        RoomMix mix = new RoomMix(2, BLOCK, RATE);
        mix.setPresent(0b11);
        return new StripUnderTest() {
            public void apply(Setting s) {
                mix.setStrip(0, 1, 0, s.db(), s.mute(), s.pan());
            }

            public void block(float[] src, float[] outL, float[] outR) {
                System.arraycopy(src, 0, mix.input(1, 0), 0, BLOCK);
                mix.mix(BLOCK);
                System.arraycopy(mix.output(0, 0), 0, outL, 0, BLOCK);
                System.arraycopy(mix.output(0, 1), 0, outR, 0, BLOCK);
            }
        };
    }

    /** The strip as it was before MixLaw: two exponential Smoothed values at 10 ms and its own targets. */
    private static StripUnderTest before() {
        Smoothed left = Smoothed.exponential(0.010, (float) Math.cos(Math.PI / 4));
        Smoothed right = Smoothed.exponential(0.010, (float) Math.sin(Math.PI / 4));
        left.prepare(RATE);
        right.prepare(RATE);
        Consumer<Setting> retarget = s -> {
            float g = s.mute() ? 0f : s.db() <= -120 ? 0f : (float) Math.pow(10, s.db() / 20);
            double theta = (s.pan() + 1) * Math.PI / 4;
            left.setTarget((float) (g * Math.cos(theta)));
            right.setTarget((float) (g * Math.sin(theta)));
        };
        return new StripUnderTest() {
            public void apply(Setting s) {
                retarget.accept(s);
            }

            public void block(float[] src, float[] outL, float[] outR) {
                float l0 = left.current();
                float r0 = right.current();
                float l1 = left.next(BLOCK);
                float r1 = right.next(BLOCK);
                float dl = (l1 - l0) / BLOCK;
                float dr = (r1 - r0) / BLOCK;
                for (int i = 0; i < BLOCK; i++) {
                    outL[i] += src[i] * (l0 + dl * (i + 1));
                    outR[i] += src[i] * (r0 + dr * (i + 1));
                }
            }
        };
    }

    private static void assertSameSamples(float[][] want, float[][] got, String what) {
        int differ = 0;
        int sounding = 0;
        for (int side = 0; side < 2; side++) {
            for (int i = 0; i < want[side].length; i++) {
                if (Float.floatToIntBits(want[side][i] + 0f) != Float.floatToIntBits(got[side][i] + 0f)) {
                    differ++;
                }
                if (i > 0 && want[side][i] != 0f) {
                    sounding++;
                }
            }
        }
        assertTrue(sounding > want[0].length, "the run must carry sound to compare");
        assertEquals(0, differ, what + ": samples that differ");
    }

    @Test
    void theBoxStripAndTheServerMixGiveIdenticalSamples() {
        assertSameSamples(run(box()), run(server()), "box strip vs server mix");
    }

    @Test
    void theStripOnTheSharedLawSoundsExactlyAsItDidBefore() {
        assertSameSamples(run(before()), run(box()), "old strip vs new strip");
    }
}
