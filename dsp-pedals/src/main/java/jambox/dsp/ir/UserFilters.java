package jambox.dsp.ir;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import jambox.dsp.unit.Convolver;

/**
 * One pedal's view of the box's {@link IrBank}: every user slot's response as a convolution
 * filter at the pedal's rate, kept current off the audio thread.
 *
 * <p>A single daemon thread, {@value #THREAD_NAME}, looks at every live instance's bank every
 * {@value #POLL_MILLIS} ms; when the bank's version has moved it resamples and partitions the
 * slots that changed and publishes a new array through one volatile write. The audio thread only
 * reads that array: it never waits for an upload and never builds anything. An instance that
 * its pedal has dropped is let go (the thread holds it weakly).
 */
public final class UserFilters {
    static final String THREAD_NAME = "jambox-ir";
    static final long POLL_MILLIS = 20;

    private final IrBank bank;
    private final float sampleRate;
    private final int maxTaps;
    /** Per slot, the filter, or null for an empty slot. Replaced whole, never written into. */
    private volatile Convolver.Filter[] filters = new Convolver.Filter[IrBank.USER_SLOTS];
    private volatile int publishedVersion;
    /** What each filter was built from: only the worker (and the constructor) touch it. */
    private final ImpulseResponse[] builtFrom = new ImpulseResponse[IrBank.USER_SLOTS];

    /**
     * Filters for {@code bank}'s slots at {@code sampleRate}, at most {@code maxTaps} long,
     * built now for the slots already full and kept current from then on. Off the audio thread.
     */
    public static UserFilters watch(IrBank bank, float sampleRate, int maxTaps) {
        UserFilters f = new UserFilters(bank, sampleRate, maxTaps);
        f.refresh();
        Worker.register(f);
        return f;
    }

    private UserFilters(IrBank bank, float sampleRate, int maxTaps) {
        this.bank = bank;
        this.sampleRate = sampleRate;
        this.maxTaps = maxTaps;
        this.publishedVersion = bank.version() - 1;
    }

    /** The filter for user slot {@code slot} (0-based), or null if it is empty. Audio thread: one volatile read. */
    public Convolver.Filter filter(int slot) {
        return filters[slot];
    }

    /** True once every change to the bank so far has been built and published. Any thread. */
    public boolean current() {
        return publishedVersion == bank.version();
    }

    /**
     * The response as one mono channel at {@code sampleRate}, at most {@code maxTaps} long,
     * {@link #trim trimmed}, with unit energy. A stereo response is the mean of its channels: a board is one input channel and
     * does not know which, and the mean keeps both microphones of a two-mic capture.
     */
    public static float[] prepare(ImpulseResponse ir, float sampleRate, int maxTaps) {
        float[][] ch = ir.channels();
        float[] mono = new float[ir.length()];
        for (float[] c : ch) {
            for (int i = 0; i < mono.length; i++) {
                mono[i] += c[i] / ch.length;
            }
        }
        float[] h = trim(Resampler.resample(mono, ir.sampleRate(), sampleRate, maxTaps));
        normalise(h);
        return h;
    }

    /** The tail energy a response may lose to {@link #trim}: -120 dB of the whole. */
    static final double TRIM_ENERGY = 1e-12;

    /**
     * {@code h} without the end of its tail that holds less than {@link #TRIM_ENERGY} of its
     * energy: a file padded with near-silence (or a filter rung down past -120 dB) costs no
     * partitions for it, and the convolution changes by less than -120 dB of its output for any
     * input whose spectrum is flat. Returns {@code h} itself when nothing is cut.
     */
    public static float[] trim(float[] h) {
        double total = 0;
        for (float v : h) {
            total += (double) v * v;
        }
        double tail = 0;
        int keep = h.length;
        while (keep > 1) {
            double e = tail + (double) h[keep - 1] * h[keep - 1];
            if (e > TRIM_ENERGY * total) {
                break;
            }
            tail = e;
            keep--;
        }
        return keep == h.length ? h : java.util.Arrays.copyOf(h, keep);
    }

    /**
     * Scales {@code h} to unit energy: white noise keeps its power through it, so responses
     * recorded hot or quiet sound alike and a switch between them does not jump in level. A
     * delta stays a delta; an all-zero response stays silent.
     */
    public static void normalise(float[] h) {
        double e = 0;
        for (float v : h) {
            e += (double) v * v;
        }
        if (e > 0) {
            float g = (float) (1 / Math.sqrt(e));
            for (int i = 0; i < h.length; i++) {
                h[i] *= g;
            }
        }
    }

    /** Rebuilds what changed since the last look; the worker's thread (or the constructor's caller). */
    private void refresh() {
        int v = bank.version();
        if (v == publishedVersion) {
            return;
        }
        Convolver.Filter[] next = filters.clone();
        for (int s = 0; s < IrBank.USER_SLOTS; s++) {
            ImpulseResponse ir = bank.user(s);
            if (ir != builtFrom[s]) {
                builtFrom[s] = ir;
                next[s] = ir == null ? null : build(ir);
            }
        }
        filters = next;
        publishedVersion = v;
    }

    private Convolver.Filter build(ImpulseResponse ir) {
        try {
            return Convolver.filter(ir.name(), prepare(ir, sampleRate, maxTaps));
        } catch (RuntimeException e) {
            // The upload path has checked the file, so this is a bug; the slot plays dry rather
            // than stopping every other slot's updates.
            System.err.println(THREAD_NAME + ": could not prepare " + ir.name() + ": " + e);
            return null;
        }
    }

    /** The one thread that keeps every live instance current. */
    private static final class Worker implements Runnable {
        private static final List<WeakReference<UserFilters>> WATCHED = new ArrayList<>();
        private static Thread thread;

        static synchronized void register(UserFilters f) {
            WATCHED.add(new WeakReference<>(f));
            if (thread == null) {
                thread = new Thread(new Worker(), THREAD_NAME);
                thread.setDaemon(true);
                thread.setPriority(Thread.MIN_PRIORITY);
                thread.start();
            }
        }

        private static synchronized List<UserFilters> live() {
            List<UserFilters> out = new ArrayList<>(WATCHED.size());
            WATCHED.removeIf(r -> {
                UserFilters f = r.get();
                if (f != null) {
                    out.add(f);
                }
                return f == null;
            });
            return out;
        }

        @Override
        public void run() {
            while (true) {
                for (UserFilters f : live()) {
                    f.refresh();
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
            }
        }
    }
}
