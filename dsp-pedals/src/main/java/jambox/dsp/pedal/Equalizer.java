package jambox.dsp.pedal;

import java.util.List;

import jambox.dsp.Param;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;
import jambox.dsp.PedalType;
import jambox.dsp.unit.Svf;

/** A three-band tone stack: low shelf, sweepable mid peak, high shelf. */
public final class Equalizer extends Pedal {
    static final double BASS_HZ = 120;
    static final double TREBLE_HZ = 3200;
    static final double MID_Q = 0.9;
    /** Shelf Q of 1/sqrt(2): the cookbook's slope S = 1, the steepest shelf without a bump. */
    static final double SHELF_Q = Math.sqrt(0.5);
    /** Samples between coefficient updates while a knob glides. */
    private static final int RETUNE = 8;

    public static final PedalType TYPE = new PedalType("eq", "3-band EQ",
            "Bass and treble shelves and a sweepable mid: scoop for metal, push the mids to cut through a band.",
            "Ours: the RBJ cookbook's low shelf (" + (int) BASS_HZ + " Hz), peaking mid and high shelf (" + (int) TREBLE_HZ
                    + " Hz) responses, run as trapezoidal state-variable filters so that sweeping a knob never clicks. "
                    + "TarsosDSP's IIR filters have no shelf or peaking types and allocate on every change.",
            List.of(ParamSpec.db("bass", "Bass", -15, 15, 0),
                    ParamSpec.db("mid", "Mid", -15, 15, 0),
                    ParamSpec.log("midFreq", "Mid frequency", "Hz", 200, 5000, 800),
                    ParamSpec.db("treble", "Treble", -15, 15, 0)),
            Equalizer::new);

    private final Param bass = param("bass");
    private final Param mid = param("mid");
    private final Param midFreq = param("midFreq");
    private final Param treble = param("treble");
    private final Svf low = new Svf();
    private final Svf peak = new Svf();
    private final Svf high = new Svf();
    private final Svf[] bands = {low, peak, high};

    private Equalizer() {
        super(TYPE);
    }

    @Override
    protected void onPrepare(float sampleRate, int maxBlock) {
    }

    @Override
    protected void reset() {
        low.reset();
        peak.reset();
        high.reset();
        design();
        low.settle();
        peak.settle();
        high.settle();
    }

    @Override
    protected void processBlock(float[] buf, int n) {
        // Retune every few samples while a knob glides; settled, the cost is nil.
        if (bass.moving() || mid.moving() || midFreq.moving() || treble.moving()) {
            for (int at = 0; at < n; at += RETUNE) {
                int len = Math.min(RETUNE, n - at);
                bass.advance(len);
                mid.advance(len);
                midFreq.advance(len);
                treble.advance(len);
                design();
                low.process(buf, at, len);
                peak.process(buf, at, len);
                high.process(buf, at, len);
            }
            return;
        }
        Svf.cascade(bands, buf, n);
    }

    private void design() {
        low.setLowShelf(sampleRate, BASS_HZ, SHELF_Q, bass.current());
        peak.setBell(sampleRate, midFreq.current(), MID_Q, mid.current());
        high.setHighShelf(sampleRate, TREBLE_HZ, SHELF_Q, treble.current());
    }
}
