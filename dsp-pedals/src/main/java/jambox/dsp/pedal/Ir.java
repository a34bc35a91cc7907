package jambox.dsp.pedal;

import java.util.ArrayList;
import java.util.List;

import jambox.dsp.Param;
import jambox.dsp.ParamSpec;
import jambox.dsp.Pedal;
import jambox.dsp.PedalType;
import jambox.dsp.Smoothed;
import jambox.dsp.ir.ImpulseResponse;
import jambox.dsp.ir.IrBank;
import jambox.dsp.ir.UserFilters;
import jambox.dsp.unit.Convolver;

/**
 * A cabinet (or any space) as an impulse response: the signal convolved with a recorded or
 * computed response, at no added latency. The shipped responses are computed when the pedal is
 * prepared; uploads reach it through the box's {@link IrBank}, prepared off the audio thread by
 * {@link UserFilters}. Changing the response, or a new upload into the chosen slot, crossfades
 * between the two convolutions.
 */
public final class Ir extends Pedal {
    static final double CROSSFADE_SECONDS = 0.02;

    private static List<String> choices() {
        List<String> c = new ArrayList<>(IrResponses.NAMES);
        for (int s = 1; s <= IrBank.USER_SLOTS; s++) {
            c.add("user " + s);
        }
        return c;
    }

    /** Index of the first user slot among the choices. */
    static final int FIRST_USER = IrResponses.NAMES.size();

    public static final PedalType TYPE = new PedalType("ir", "Cabinet IR",
            "A speaker cabinet (or a room) from an impulse response: one of the shipped ones or one you "
                    + "uploaded. An empty user slot passes the signal dry.",
            "Ours: uniformly partitioned FFT convolution (partitions of 64, the first as a direct FIR, so "
                    + "no latency at any block size) with our own real FFT. Uploads of any rate are resampled "
                    + "(Kaiser-windowed sinc), cut at " + ImpulseResponse.MAX_SECONDS + " s or where less than -120 dB "
                    + "of their energy is left, and scaled to unit energy off the audio thread; a stereo response plays as the mean of its channels, since a "
                    + "board is one input channel and the mean keeps both microphones of a two-mic capture. The "
                    + "shipped responses are the project's own: the cabinet pedal's three voicings measured as "
                    + "impulse responses, the 4x12 heard off-axis, and the 2x12 in a small room (synthesized). "
                    + "Changing the response crossfades between two convolutions of the same input.",
            List.of(ParamSpec.choice("ir", "Response", 1, choices().toArray(String[]::new)),
                    ParamSpec.linear("mix", "Mix", "%", 0, 100, 100),
                    ParamSpec.db("level", "Level", -24, 12, 0)),
            Ir::new);

    private static final Convolver.Filter DRY = Convolver.filter("dry", new float[] {1});

    private final Param response = param("ir");
    private final Param mix = param("mix");
    private final Param level = param("level");
    private List<Convolver.Filter> shipped = List.of();
    private UserFilters user;
    private Convolver convolver;
    private float[] dry = new float[0];
    /** Per convolver lane, its output this block. */
    private final float[][] lanes = new float[2][0];
    private int active;
    /** From the active lane (0) to the one being faded in (1). */
    private final Smoothed fade = Smoothed.crossfade(Smoothed.Style.CROSSFADE_LINEAR, CROSSFADE_SECONDS);

    private Ir() {
        super(TYPE);
    }

    @Override
    protected void onPrepare(float sampleRate, int maxBlock) {
        int maxTaps = (int) Math.floor(ImpulseResponse.MAX_SECONDS * sampleRate);
        shipped = IrResponses.filters(sampleRate);
        user = UserFilters.watch(irs(), sampleRate, maxTaps);
        convolver = new Convolver(maxTaps);
        dry = new float[maxBlock];
        lanes[0] = new float[maxBlock];
        lanes[1] = new float[maxBlock];
        fade.prepare(sampleRate);
    }

    /** True once the latest upload has been prepared for this pedal (tests wait on it). Any thread. */
    boolean uploadsPrepared() {
        return user.current();
    }

    /** The filter the choice asks for now: one volatile read for a user slot. Audio thread. */
    private Convolver.Filter wanted() {
        int c = (int) response.target();
        if (c < FIRST_USER) {
            return shipped.get(c);
        }
        Convolver.Filter f = user.filter(c - FIRST_USER);
        return f == null ? DRY : f;
    }

    @Override
    protected void reset() {
        active = 0;
        fade.reset(1f);
        convolver.reset();
        convolver.select(0, wanted());
    }

    @Override
    protected void processBlock(float[] buf, int n) {
        Convolver.Filter wanted = wanted();
        if (!fade.isSmoothing() && wanted != convolver.filterOn(active)) {
            convolver.select(active ^ 1, wanted);
            fade.startFade();
        }
        System.arraycopy(buf, 0, dry, 0, n);
        float[] out = lanes[active];
        if (fade.current() < 1f) {
            float[] incoming = lanes[active ^ 1];
            convolver.process(dry, n, active == 0 ? out : incoming, active == 0 ? incoming : out);
            for (int i = 0; i < n; i++) {
                fade.next();
                out[i] += (incoming[i] - out[i]) * fade.fadeIn();
            }
            if (fade.current() >= 1f) {
                active ^= 1;
            }
        } else {
            convolver.process(dry, n, active == 0 ? out : null, active == 0 ? null : out);
        }
        float m = mix.latch();
        if (!mix.moving() && m == 100f) {
            System.arraycopy(out, 0, buf, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                float w = mix.next() * 0.01f;
                buf[i] = dry[i] + (out[i] - dry[i]) * w;
            }
            mix.settle();
        }
        level.applyDbGain(buf, n);
    }
}
