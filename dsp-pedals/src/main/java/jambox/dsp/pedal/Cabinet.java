package jambox.dsp.pedal;

import java.util.List;

import jambox.dsp.Param;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;
import jambox.dsp.PedalType;
import jambox.dsp.Smoothed;
import jambox.dsp.unit.Biquad;
import jambox.dsp.unit.FastMath;

/**
 * A speaker cabinet as heard through a close microphone: the speaker's low resonance, the
 * box's low-mid character, the cone's presence peak and its steep fall above a few kHz.
 * Each voicing is a fixed cascade of RBJ biquads.
 */
public final class Cabinet extends Pedal {
    /** Sections per voicing: {kind, Hz, Q, dB} with kind 0 high-pass, 1 peak, 2 low-pass. */
    private static final double[][][] VOICINGS = {
            // 1x12 open back: lighter low end, open mids, bright.
            {{0, 90, 0.7, 0}, {1, 120, 1.2, 2}, {1, 450, 1.0, -2}, {1, 3000, 1.3, 5}, {2, 6200, 0.9, 0}, {2, 7200, 0.6, 0}, {2, 7800, 0.55, 0}},
            // 2x12 open back: fuller, a little darker.
            {{0, 75, 0.8, 0}, {1, 110, 1.3, 3.5}, {1, 500, 1.0, -3}, {1, 2100, 1.4, 3.5}, {2, 5000, 0.9, 0}, {2, 6200, 0.6, 0}, {2, 6500, 0.55, 0}},
            // 4x12 closed back: deep thump, low-mid push, scooped mids, darkest top.
            {{0, 65, 0.9, 0}, {1, 100, 1.5, 5}, {1, 250, 1.0, 2}, {1, 700, 0.9, -4}, {2, 4200, 0.9, 0}, {2, 5000, 0.6, 0}, {2, 5400, 0.55, 0}},
    };
    private static final int SECTIONS = 7;
    static final double CROSSFADE_SECONDS = 0.02;

    public static final PedalType TYPE = new PedalType("cabinet", "Cabinet",
            "The speaker box after the amp: without it a drive sounds like fizz, with it like a guitar amp.",
            "Ours: each voicing is a cascade of " + SECTIONS + " RBJ biquads (high-pass, resonance and presence peaks, "
                    + "steep low-pass) modelled on the published responses of typical 12-inch guitar speakers; the ir pedal "
                    + "ships these voicings measured as impulse responses. Changing the voicing crossfades between the old and new cascades.",
            List.of(ParamSpec.choice("voicing", "Voicing", 1, "1x12", "2x12", "4x12"),
                    ParamSpec.db("level", "Level", -12, 12, 0)),
            Cabinet::new);

    private final Param voicing = param("voicing");
    private final Param level = param("level");
    private final Biquad[][] cascades = new Biquad[2][SECTIONS];
    private final int[] voicingOf = new int[2];
    private float[] incoming = new float[0];
    private int active;
    /** From the active cascade (0) to the one being faded in (1). */
    private final Smoothed fade = Smoothed.crossfade(Smoothed.Style.CROSSFADE_LINEAR, CROSSFADE_SECONDS);

    private Cabinet() {
        super(TYPE);
        for (Biquad[] cascade : cascades) {
            for (int i = 0; i < SECTIONS; i++) {
                cascade[i] = new Biquad();
            }
        }
    }

    @Override
    protected void onPrepare(float sampleRate, int maxBlock) {
        incoming = new float[maxBlock];
        fade.prepare(sampleRate);
    }

    @Override
    protected void reset() {
        active = 0;
        fade.reset(1f);
        design(0, (int) voicing.target());
    }

    private void design(int slot, int v) {
        voicingOf[slot] = v;
        for (int i = 0; i < SECTIONS; i++) {
            double[] s = VOICINGS[v][i];
            Biquad b = cascades[slot][i];
            b.reset();
            if (s[0] == 0) {
                b.setHighpass(sampleRate, s[1], s[2]);
            } else if (s[0] == 1) {
                b.setPeaking(sampleRate, s[1], s[2], s[3]);
            } else {
                b.setLowpass(sampleRate, s[1], s[2]);
            }
        }
    }

    private void filter(int slot, float[] buf, int n) {
        Biquad.cascade(cascades[slot], buf, n);
    }

    @Override
    protected void processBlock(float[] buf, int n) {
        int wanted = (int) voicing.target();
        if (!fade.isSmoothing() && wanted != voicingOf[active]) {
            // Design work is a few dozen cos/sin calls, once per change.
            design(active ^ 1, wanted);
            fade.startFade();
        }
        if (fade.current() < 1f) {
            System.arraycopy(buf, 0, incoming, 0, n);
            filter(active, buf, n);
            filter(active ^ 1, incoming, n);
            for (int i = 0; i < n; i++) {
                fade.next();
                buf[i] += (incoming[i] - buf[i]) * fade.fadeIn(); // the linear pair, one multiply
            }
            if (fade.current() >= 1f) {
                active ^= 1;
            }
        } else {
            filter(active, buf, n);
        }
        level.applyDbGain(buf, n);
    }
}
