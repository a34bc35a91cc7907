package jambox.dsp.pedal;

import java.util.List;

import jambox.dsp.Param;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;
import jambox.dsp.PedalType;

/** A clean boost: gain and nothing else. */
public final class Boost extends Pedal {
    public static final PedalType TYPE = new PedalType("boost", "Clean boost",
            "Raises (or lowers) the level without colouring it: push the next pedal harder, or lift a solo.",
            "Ours. TarsosDSP's GainProcessor hard-clips at +-1, which a boost in front of a drive must not do.",
            List.of(ParamSpec.db("gain", "Gain", -12, 24, 6)),
            Boost::new);

    private final Param gain = param("gain");

    private Boost() {
        super(TYPE);
    }

    @Override
    protected void onPrepare(float sampleRate, int maxBlock) {
    }

    @Override
    protected void reset() {
    }

    @Override
    protected void processBlock(float[] buf, int n) {
        gain.applyDbGain(buf, n);
    }
}
