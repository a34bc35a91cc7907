package jambox.dsp.pedal;

import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import jambox.dsp.Pedal;
import jambox.dsp.ir.UserFilters;
import jambox.dsp.unit.Biquad;
import jambox.dsp.unit.Convolver;

/**
 * The impulse responses that ship with the {@code ir} pedal, made by the project itself (none
 * can be downloaded and redistributed here): the {@link Cabinet} pedal's three voicings measured
 * as impulse responses, and two variants synthesized from them. All are computed from code at the
 * board's rate, deterministically, once per rate, and shared by every pedal at that rate.
 */
final class IrResponses {
    static final List<String> NAMES = List.of("1x12 open", "2x12 open", "4x12 closed", "4x12 off-axis", "2x12 room");
    /** A cabinet's biquads have rung down past -120 dB by then (their slowest pole: ~5 ms). */
    static final double CABINET_SECONDS = 0.1;
    static final double ROOM_SECONDS = 0.4;
    private static final ConcurrentHashMap<Float, List<Convolver.Filter>> BY_RATE = new ConcurrentHashMap<>();

    private IrResponses() {
    }

    /** The shipped responses as filters at {@code sampleRate}, in {@link #NAMES} order. Off the audio thread. */
    static List<Convolver.Filter> filters(float sampleRate) {
        return BY_RATE.computeIfAbsent(sampleRate, IrResponses::build);
    }

    private static List<Convolver.Filter> build(float fs) {
        Convolver.Filter[] out = new Convolver.Filter[NAMES.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Convolver.filter(NAMES.get(i), response(i, fs));
        }
        return List.of(out);
    }

    /** Shipped response {@code index} at {@code fs}: faded at its end, trimmed past -120 dB, unit energy. */
    static float[] response(int index, float fs) {
        float[] h = switch (index) {
            case 0, 1, 2 -> cabinet(index, fs, impulse(CABINET_SECONDS, fs));
            case 3 -> offAxis(fs);
            case 4 -> cabinet(1, fs, room(fs));
            default -> throw new IllegalArgumentException("no shipped response " + index);
        };
        fadeOut(h);
        h = UserFilters.trim(h);
        UserFilters.normalise(h);
        return h;
    }

    private static float[] impulse(double seconds, float fs) {
        float[] x = new float[(int) Math.round(seconds * fs)];
        x[0] = 1;
        return x;
    }

    /** {@code x} played through the cabinet pedal at voicing {@code voicing}: a measurement, not a copy of its tables. */
    private static float[] cabinet(int voicing, float fs, float[] x) {
        Pedal cab = Cabinet.TYPE.create();
        cab.prepare(fs, Convolver.PARTITION);
        cab.set("voicing", voicing);
        float[] y = x.clone();
        float[] block = new float[Convolver.PARTITION];
        for (int at = 0; at < y.length; at += block.length) {
            int n = Math.min(block.length, y.length - at);
            System.arraycopy(y, at, block, 0, n);
            cab.run(block, n);
            System.arraycopy(block, 0, y, at, n);
        }
        return y;
    }

    /**
     * The 4x12 with the microphone turned about 45 degrees off the cone's axis (synthesized, not
     * measured): the cone's beaming top falls away (a second-order low-pass at 2.5 kHz) and a
     * little upper-mid edge goes with it.
     */
    private static float[] offAxis(float fs) {
        float[] h = cabinet(2, fs, impulse(CABINET_SECONDS, fs));
        Biquad lp = new Biquad().setLowpass(fs, 2500, 0.6);
        Biquad dip = new Biquad().setPeaking(fs, 1800, 1.0, -3);
        lp.process(h, h.length);
        dip.process(h, h.length);
        return h;
    }

    /**
     * A small live room (synthesized): the direct sound, six early reflections from walls a few
     * metres away, then a diffuse tail of decaying noise (RT60 0.35 s) starting at 12 ms, some
     * 9 dB under the direct sound in energy. Fixed seed: the same response on every box.
     */
    private static float[] room(float fs) {
        float[] x = new float[(int) Math.round(ROOM_SECONDS * fs)];
        x[0] = 1;
        double[][] early = {{3.1, 0.55}, {4.7, -0.42}, {6.3, 0.35}, {8.9, 0.3}, {11.2, -0.24}, {13.8, 0.2}};
        for (double[] r : early) {
            x[(int) Math.round(r[0] * 1e-3 * fs)] += (float) r[1];
        }
        Random rnd = new Random(20);
        int start = (int) Math.round(0.012 * fs);
        double decay = Math.log(1000) / (0.35 * fs); // -60 dB in 0.35 s
        // Air and walls soak up the highs as the tail goes on: a one-pole low-pass that closes with time.
        double lp = 0;
        double amplitude = 0.01 * Math.sqrt(48000.0 / fs);
        for (int i = start; i < x.length; i++) {
            double t = (i - start) / (double) fs;
            double a = Math.exp(-2 * Math.PI * (6000 * Math.exp(-t / 0.15) + 1500) / fs);
            lp = (1 - a) * rnd.nextGaussian() + a * lp;
            x[i] += (float) (amplitude * Math.exp(-decay * (i - start)) * lp / Math.sqrt((1 - a) / (1 + a)));
        }
        return x;
    }

    /** A half-cosine over the last tenth: no edge where the response is cut. */
    private static void fadeOut(float[] h) {
        int n = h.length / 10;
        for (int i = 0; i < n; i++) {
            h[h.length - n + i] *= (float) (0.5 + 0.5 * Math.cos(Math.PI * (i + 1) / n));
        }
    }
}
