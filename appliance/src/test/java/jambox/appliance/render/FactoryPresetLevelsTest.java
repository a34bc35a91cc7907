package jambox.appliance.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import jambox.appliance.board.BoardSpec;
import jambox.appliance.preset.FactoryPresets;
import jambox.appliance.sim.Riff;

/**
 * The demo riff through every chain of every factory preset, offline as the box plays it (no
 * limiter: the presets must not lean on it): integrated loudness within 2 dB of each other, and
 * not one sample at or over full scale, tails included.
 */
class FactoryPresetLevelsTest {
    private static final float RATE = 48_000f;
    /** The demo's riff: 8 s at 100 bpm, as {@code jambox demo --out} renders it. */
    private static final float[] RIFF = Riff.render(RATE, 8, 100);
    /** Long enough for the longest reverb (Ambient's, 6.5 s) to fall far. */
    private static final double TAIL = 8;

    private record Level(String chain, double lufs, double peakDb, int clipped) {
    }

    @Test
    void everyFactoryPresetIsWithinTwoDbOfTheOthersAndNoneClips() {
        List<Level> levels = new ArrayList<>();
        for (BoardSpec preset : FactoryPresets.boards()) {
            int chains = preset.channels().size();
            float[][] in = new float[chains][];
            for (int c = 0; c < chains; c++) {
                in[c] = RIFF;
            }
            float[][] out = Render.render(in, RATE, preset, TAIL);
            for (int c = 0; c < chains; c++) {
                int clipped = 0;
                for (float v : out[c]) {
                    if (Math.abs(v) >= 1f) {
                        clipped++;
                    }
                }
                String name = preset.name() + (chains > 1 ? " (chain " + (c + 1) + ")" : "");
                levels.add(new Level(name, Loudness.integrated(new float[][] {out[c]}, RATE),
                        Render.peakDb(new float[][] {out[c]}), clipped));
            }
        }
        double loudest = levels.stream().mapToDouble(Level::lufs).max().orElseThrow();
        double quietest = levels.stream().mapToDouble(Level::lufs).min().orElseThrow();
        System.out.printf(Locale.ROOT, "the riff alone: %.1f LUFS, peak %.1f dBFS%n",
                Loudness.integrated(new float[][] {RIFF}, RATE), Render.peakDb(new float[][] {RIFF}));
        for (Level l : levels) {
            System.out.printf(Locale.ROOT, "%-28s %6.1f LUFS  peak %5.1f dBFS  %d clipped%n", l.chain(), l.lufs(),
                    l.peakDb(), l.clipped());
        }
        System.out.printf(Locale.ROOT, "spread %.1f dB%n", loudest - quietest);
        for (Level l : levels) {
            assertEquals(0, l.clipped(), l.chain() + " clips");
        }
        assertTrue(loudest - quietest <= 4, "the factory presets span " + (loudest - quietest) + " dB: " + levels);
        double middle = (loudest + quietest) / 2;
        for (Level l : levels) {
            assertEquals(middle, l.lufs(), 2, l.chain() + " against the middle of the presets");
        }
    }
}
