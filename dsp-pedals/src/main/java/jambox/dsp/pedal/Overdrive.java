package jambox.dsp.pedal;

import java.util.List;

import jambox.dsp.Param;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;
import jambox.dsp.PedalType;
import jambox.dsp.unit.Clipper;
import jambox.dsp.unit.FastMath;
import jambox.dsp.unit.OnePole;
import jambox.dsp.unit.Oversampler;

/**
 * An overdrive in the manner of the green mid-hump pedals: the clean signal plus a clipped
 * copy of its high-passed (above ~720 Hz) part, so the bass stays tight and the mids sing;
 * the treble rolls off more as the drive rises, then a tone low-pass and the level.
 */
public final class Overdrive extends Pedal {
    static final double HUMP_HZ = 720;

    public static final PedalType TYPE = new PedalType("overdrive", "Overdrive",
            "A warm mid-hump drive: from a touch of hair to a singing lead, the low end stays tight.",
            "Ours (TarsosDSP has no waveshaper). Runs at 4x the rate (64-tap polyphase FIR up and down): a "
                    + (int) HUMP_HZ + " Hz high-pass into the drive gain, a soft clipper with antiderivative anti-aliasing, "
                    + "the clean signal added back, then down, a drive-dependent treble roll-off and the tone low-pass.",
            List.of(ParamSpec.db("drive", "Drive", 0, 40, 18),
                    ParamSpec.linear("tone", "Tone", "%", 0, 100, 50),
                    ParamSpec.db("level", "Level", -30, 6, -6)),
            Overdrive::new, Oversampler.LATENCY_SAMPLES);

    private final Param drive = param("drive");
    private final Param tone = param("tone");
    private final Param level = param("level");
    private Oversampler os = new Oversampler(1);
    private final Clipper clipper = new Clipper();
    private float hpA, hpState;
    private float trebleA, trebleState;
    private float toneA, toneState;

    private Overdrive() {
        super(TYPE);
    }

    @Override
    protected void onPrepare(float sampleRate, int maxBlock) {
        os = new Oversampler(maxBlock);
        hpA = OnePole.coefficient(sampleRate * Oversampler.FACTOR, HUMP_HZ);
    }



    @Override
    protected void reset() {
        os.reset();
        clipper.reset();
        hpState = trebleState = toneState = 0f;
        retune();
    }

    private void retune() {
        // The op-amp's feedback capacitor narrows the bandwidth as the drive pot opens: 12 kHz down to 5 kHz.
        trebleA = OnePole.coefficient(sampleRate, 12000 * Math.pow(5.0 / 12, drive.current() / 40.0));
        toneA = OnePole.coefficient(sampleRate, 700 * Math.pow(10, tone.current() / 100.0));
    }

    @Override
    protected void processBlock(float[] buf, int n) {
        if (drive.moving() || tone.moving()) {
            drive.advance(n);
            tone.advance(n);
            retune();
        }
        float g = FastMath.dbToGain(drive.current());
        os.up(buf, n);
        float[] x = os.high();
        float hp = hpState;
        for (int i = os.offset(), end = os.offset() + n * Oversampler.FACTOR; i < end; i++) {
            float clean = x[i];
            hp += (clean - hp) * hpA;
            x[i] = clean + 0.5f * clipper.process((clean - hp) * g);
        }
        hpState = (hp + 1e-18f) - 1e-18f;
        os.down(buf, n);
        // The roll-offs are linear: after decimation they cost a quarter and do the same.
        float tr = trebleState, tn = toneState;
        for (int i = 0; i < n; i++) {
            tr += (buf[i] - tr) * trebleA;
            tn += (tr - tn) * toneA;
            buf[i] = tn;
        }
        trebleState = (tr + 1e-18f) - 1e-18f;
        toneState = (tn + 1e-18f) - 1e-18f;
        level.applyDbGain(buf, n);
    }
}
