package jambox.dsp.pedal;

import java.util.List;

import jambox.dsp.Param;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;
import jambox.dsp.PedalType;
import jambox.dsp.unit.OctaveBand;
import jambox.dsp.unit.OnePole;

/**
 * A polyphonic octave: an octave down and an octave up, mixed with the dry signal.
 *
 * <p>A flip-flop divider on the whole signal (the classic analog octave) follows whichever
 * zero crossings the sum of all the strings makes, so a chord turns into a sputter. Here the
 * input is first split by a bank of third-octave band-passes over the guitar's fundamentals,
 * narrow enough that two notes a major third apart land in different bands, and each band
 * divides (and rectifies) only its own partial ({@link OctaveBand}). All the filters are
 * minimum-phase IIRs: no pure delay, only the build-up of the narrow bands, which telling two
 * notes a third apart needs (their difference is a few tens of Hz). Narrower bands would
 * separate closer notes and take longer to speak; wider ones the reverse.
 *
 * <p>A partial between two band centres rings in both bands, and summed blindly the two halves
 * of its octave up would partly cancel. That phase depends on the filters alone, so each band's
 * up voice is given, once, the sign that puts it within a quarter cycle of its lower
 * neighbour's at the frequency between their centres. The octave down would need a watch
 * instead (each divider may lock on either of two phases), but one was tried (neighbours'
 * running correlation, inverting a band at a zero crossing) and measured no different: note
 * after note across the range, whichever phase each divider was left in, the octave down
 * stays within a few dB (OctaveTest), so it is not here.
 */
public final class Octave extends Pedal {
    private static final double LOWEST_HZ = 80;
    private static final int BANDS = 13;
    /** A third-octave band-pass: its -3 dB points a third of an octave apart. */
    private static final double BAND_Q = 4.32;
    /** The bank's voices come out quieter than the partial they came from: these bring them to about its level (measured). */
    private static final float DOWN_CALIBRATION = 1.56f;
    private static final float UP_CALIBRATION = 1.64f;

    public static final PedalType TYPE = new PedalType("octave", "Octave",
            "An octave below and an octave above what you play, chords included, blended with your dry signal.",
            "Ours: " + BANDS + " third-octave RBJ band-passes from " + (int) LOWEST_HZ + " Hz split the input so each holds about "
                    + "one partial; each band's own signal, sign-flipped at each upward zero crossing, gives its octave down, "
                    + "rectified its octave up, both band-limited again (one divider on the whole signal would garble a chord). "
                    + "All filters are minimum-phase IIRs: no pure delay, but the narrow bands take a few ms to speak "
                    + "(5-6 ms at 220 Hz, 2.5-3 ms at 440 Hz, 10-12 ms at 110 Hz).",
            List.of(ParamSpec.linear("down", "Octave down", "%", 0, 100, 80),
                    ParamSpec.linear("up", "Octave up", "%", 0, 100, 0),
                    ParamSpec.linear("dry", "Dry", "%", 0, 100, 100),
                    ParamSpec.linear("tone", "Tone", "%", 0, 100, 60)),
            Octave::new);

    private final Param down = param("down");
    private final Param up = param("up");
    private final Param dry = param("dry");
    private final Param tone = param("tone");
    private final OctaveBand[] bands = new OctaveBand[BANDS];
    private final float[] upPolarity = new float[BANDS];
    private float toneA, toneState;

    private Octave() {
        super(TYPE);
        for (int k = 0; k < BANDS; k++) {
            bands[k] = new OctaveBand();
        }
    }

    /** Centre of band {@code k}: a third of an octave apart from {@link #LOWEST_HZ}. */
    private static double centreHz(int k) {
        return LOWEST_HZ * Math.pow(2, k / 3.0);
    }

    @Override
    protected void onPrepare(float sampleRate, int maxBlock) {
        for (int k = 0; k < BANDS; k++) {
            bands[k].design(sampleRate, centreHz(k), BAND_Q);
        }
        upPolarity[0] = 1f;
        for (int k = 1; k < BANDS; k++) {
            double between = Math.sqrt(centreHz(k - 1) * centreHz(k));
            double apart = bands[k].upPhase(sampleRate, between) - bands[k - 1].upPhase(sampleRate, between);
            upPolarity[k] = Math.cos(apart) >= 0 ? upPolarity[k - 1] : -upPolarity[k - 1];
        }
    }

    @Override
    protected void reset() {
        for (int k = 0; k < BANDS; k++) {
            bands[k].reset();
            bands[k].setUpPolarity(upPolarity[k]);
        }
        toneState = 0f;
        retune();
    }

    /** Tone 0..100 % puts the octaves' low-pass from 300 Hz to 6 kHz, even steps in pitch. */
    private void retune() {
        toneA = OnePole.coefficient(sampleRate, 300 * Math.pow(20, tone.current() / 100.0));
    }

    @Override
    protected void processBlock(float[] buf, int n) {
        if (tone.moving()) {
            tone.advance(n);
            retune();
        }
        down.latch();
        up.latch();
        dry.latch();
        float t = toneA, ts = toneState;
        for (int i = 0; i < n; i++) {
            float x = buf[i];
            float sumDown = 0f, sumUp = 0f;
            for (OctaveBand b : bands) {
                b.process(x);
                sumDown += b.down();
                sumUp += b.up();
            }
            float wet = down.next() * (0.01f * DOWN_CALIBRATION) * sumDown + up.next() * (0.01f * UP_CALIBRATION) * sumUp;
            ts += (wet - ts) * t;
            buf[i] = dry.next() * 0.01f * x + ts;
        }
        toneState = (ts + 1e-18f) - 1e-18f;
        down.settle();
        up.settle();
        dry.settle();
        for (OctaveBand b : bands) {
            b.flush();
        }
    }
}
