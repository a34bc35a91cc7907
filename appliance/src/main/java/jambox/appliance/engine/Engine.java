package jambox.appliance.engine;

import jambox.stream.MemberSource;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

import jambox.appliance.audio.AudioBackend;
import jambox.appliance.audio.PeriodCallback;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.board.BoardSync;
import jambox.appliance.record.LocalRecorder;
import jambox.dsp.Board;
import jambox.dsp.Smoothed;
import jambox.dsp.Transport;
import jambox.dsp.ir.IrBank;
import jambox.dsp.tuner.Tuner;

/**
 * The box's main job, one period at a time on the audio thread: input gain, each channel's pedal
 * board, meters, hand-off to the network, one period from every remote member, the mix (with the
 * self-monitor taken from this same period, so it adds no latency), master, the safety
 * {@link Limiter}, output meters. Meters sit where a player can act on what they show: before the
 * input gain (the interface clipping), after the pedals, on each member, on the self-monitor after
 * its level, and on the outputs.
 *
 * <p>Everything the period touches is allocated here or in {@link #format}, never on the audio
 * thread; control threads change it through volatile fields and lock-free arrays only.
 *
 * <p>Threads: the <em>audio thread</em> is the backend's (JACK's process thread, the simulated
 * clock) and calls only {@link #period}. {@link #format} runs on whichever non-audio thread learns
 * the format (the backend's opener before the first period, JACK's notification thread on a
 * buffer size change); it builds what the new format needs and publishes it in one immutable
 * holder, which the audio thread adopts at the start of its next period. The boards are built for
 * {@link #MAX_FRAMES} frames, so a new period size needs no new boards at all; only a new sample
 * rate does. Every other public method is for control threads (any thread, unless its doc says
 * otherwise).
 */
public final class Engine implements PeriodCallback {
    /** The largest period any backend hands us (JACK allows up to 8192 frames). */
    public static final int MAX_FRAMES = 8192;
    private static final int CH = AudioBackend.CHANNELS;

    private final Mixer mixer = new Mixer();
    private final Limiter limiter = new Limiter(CH);
    private final Click click = new Click();
    /** The boards' clock: the click's beat, told before the boards run each period. */
    private final Transport transport = new Transport();
    /** The uploaded impulse responses every board's {@code ir} pedals choose from. */
    private final IrBank irs = new IrBank();
    private final Smoothed[] inputGain = {Gain.smoothed(1f), Gain.smoothed(1f)};
    private final Smoothed[] outputMute = {Gain.smoothed(1f), Gain.smoothed(1f)};
    private final Meter[] preMeters = {new Meter(Meter.INTEGER_FULL_SCALE), new Meter(Meter.INTEGER_FULL_SCALE)};
    private final Meter[] inputMeters = {new Meter(), new Meter()};
    private final Meter[] selfMeters = {new Meter(), new Meter()};
    private final Meter[] outputMeters = {new Meter(), new Meter()};
    private final Meter[] memberMeters = new Meter[Mixer.MAX_MEMBERS];
    private final AtomicReferenceArray<MemberSource> members = new AtomicReferenceArray<>(Mixer.MAX_MEMBERS);
    private volatile MemberSource roomMix;
    private final float[][] post = new float[CH][MAX_FRAMES];
    private final float[][] remote = new float[CH][MAX_FRAMES];
    /**
     * The newest format and the boards built for it. Written by {@link #format} (its thread, under
     * {@link #formatLock}); read by the audio thread, which adopts it, and by control threads.
     */
    private volatile Prepared prepared;
    /** Serialises {@link #format} calls among themselves (never taken by the audio thread). */
    private final Object formatLock = new Object();
    /**
     * Serialises board edits with a rebuild of the boards for a new rate (never taken by the audio
     * thread): an edit lands on the boards that run and on the ones about to.
     */
    private final Object boardLock = new Object();
    /** The boards the audio thread runs; written by it when it adopts a format, read by control threads. */
    private volatile Board[] boards;
    private volatile Uplink uplink = Uplink.NONE;
    private volatile LocalRecorder recorder;
    private volatile BoardSpec spec;
    private final double[] inputDb = new double[CH]; // guarded by this
    private volatile boolean tunerMute;
    private volatile Tuner tuner;
    // Written by the audio thread only (a plain volatile add: one writer), read by any thread.
    private volatile long periods;
    private volatile long silentPeriods;
    private volatile long unannouncedPeriods;
    // Audio thread only: the format it runs, and the period size its meters are set for.
    private Prepared adopted;
    private int frames;

    /** A format and the boards built for it, off the audio thread; immutable once published. */
    private record Prepared(int sampleRate, int frames, Board[] boards) {
    }

    /** Any thread; nothing runs until a backend calls {@link #format}. */
    public Engine(BoardSpec board) {
        this.spec = board;
        for (int s = 0; s < memberMeters.length; s++) {
            memberMeters[s] = new Meter(Meter.INTEGER_FULL_SCALE); // decoded PCM never reaches 1.0
        }
    }

    /** The member and self-monitor mix, for control threads to turn (any thread). */
    public Mixer mixer() {
        return mixer;
    }

    /** The safety limiter on the output, after the master; its settings from any thread. */
    public Limiter limiter() {
        return limiter;
    }

    /** The metronome, heard in this box's output only (never in the uplink); set from any thread. */
    public Click click() {
        return click;
    }

    /** The clock the boards' pedals keep time with (tempo-synced times, the looper's bars). */
    public Transport transport() {
        return transport;
    }

    /** The box's uploaded impulse responses (the page's IR uploads fill its slots). */
    public IrBank irs() {
        return irs;
    }

    /** Input {@code channel} as the audio interface delivers it, before the input gain and pedals: where the ADC clips. Read from any thread. */
    public Meter preMeter(int channel) {
        return preMeters[channel];
    }

    /** Input {@code channel} after its gain and pedals: what goes to the room. Read from any thread. */
    public Meter inputMeter(int channel) {
        return inputMeters[channel];
    }

    /** The self-monitor of input {@code channel} after its level and mute, before pan and master. Read from any thread. */
    public Meter selfMeter(int channel) {
        return selfMeters[channel];
    }

    /** The headphone outputs, after the master and the click. Read from any thread. */
    public Meter outputMeter(int channel) {
        return outputMeters[channel];
    }

    /** What member slot {@code slot} sends (its first channel), before the mixer's gain and pan. Read from any thread. */
    public Meter memberMeter(int slot) {
        return memberMeters[slot];
    }

    /** Periods run so far (silent ones included); any thread. */
    public long periods() {
        return periods;
    }

    /**
     * Periods the engine answered with silence because it could not run them: one before any
     * {@link #format}, or longer than {@link #MAX_FRAMES}. Any thread.
     */
    public long silentPeriods() {
        return silentPeriods;
    }

    /**
     * Periods of a size the newest {@link #format} did not announce: a backend that does not say,
     * or a race (jackd2 runs clients asynchronously, so the period in flight when the server stops
     * for a new size may end after the notification: one old-size period). The engine plays them
     * all the same, since its boards take any size up to {@link #MAX_FRAMES}. Any thread.
     */
    public long unannouncedPeriods() {
        return unannouncedPeriods;
    }

    /** The sample rate of the newest {@link #format}, 0 before the first; any thread. */
    public int sampleRate() {
        Prepared p = prepared;
        return p == null ? 0 : p.sampleRate();
    }

    /** Input gain of channel {@code channel} in dB (-120 .. +24), gliding; any thread. */
    public synchronized void setInputGainDb(int channel, double db) {
        Mixer.check("input gain", db, -120, 24);
        inputDb[channel] = db;
        inputGain[channel].setTarget(Gain.fromDb(db));
    }

    /** The input gain last set; any thread. */
    public synchronized double inputGainDb(int channel) {
        return inputDb[channel];
    }

    /**
     * Feeds input 1 (after its gain, before the pedals) to {@code t}, already prepared for this
     * engine's rate, or stops with null. The tuner only copies samples on the audio thread. Any thread.
     */
    public void setTuner(Tuner t) {
        tuner = t;
    }

    /**
     * While tuning: silences the player's own sound after the pedals (delay and reverb tails too),
     * to the room and in the headphones, gliding, not clicking. The room stays audible. Any thread.
     */
    public void setTunerMute(boolean mute) {
        tunerMute = mute;
        for (Smoothed g : outputMute) {
            g.setTarget(mute ? 0f : 1f);
        }
    }

    /** Whether the tuner mute is on; any thread. */
    public boolean tunerMute() {
        return tunerMute;
    }

    /** Where post-pedal audio goes each period; {@link Uplink#NONE} when not in a room. Any thread. */
    public void setUplink(Uplink u) {
        uplink = u == null ? Uplink.NONE : u;
    }

    /** Starts (or with null stops) recording the inputs and the mix; the caller closes the old one. Any thread. */
    public void setRecorder(LocalRecorder r) {
        recorder = r;
    }

    /**
     * The mix a server makes for this box in a mix room (AUDIO from member 0), played at unity:
     * the per-member strips were applied on the server and must not be applied twice. Null takes
     * it out. Any thread.
     */
    public void setRoomMix(MemberSource source) {
        roomMix = source;
    }

    /** Puts a remote member's audio in mixer slot {@code slot}, or takes it out with null. Any thread. */
    public void setMember(int slot, MemberSource source) {
        members.set(slot, source);
    }

    /** The board each channel runs (rebuilt from this spec when the sample rate changes); any thread. */
    public BoardSpec board() {
        return spec;
    }

    /**
     * Control threads, one at a time (the command service): makes {@code next} the board. The spec
     * is the truth; when audio runs, each running board follows it by the smallest edit
     * ({@link BoardSync#follow}): a changed value glides, a bypass crossfades, an inserted, removed
     * or moved pedal fades on its own, and nothing else is rebuilt. If boards for a new sample rate
     * are waiting for the audio thread to take them, they follow too.
     */
    public void changeBoard(BoardSpec next) {
        change(next, false);
    }

    /**
     * Control threads, as {@link #changeBoard}, but every pedal is made anew from {@code next} (a
     * preset loaded): the old pedals fade out and the new ones in, with no tail of the old sound.
     */
    public void loadBoard(BoardSpec next) {
        change(next, true);
    }

    private void change(BoardSpec next, boolean reload) {
        synchronized (boardLock) {
            spec = next;
            Prepared p = prepared;
            if (p == null) {
                return; // not started: format builds from the spec
            }
            edit(p.boards(), next, reload);
            Board[] running = boards;
            if (running != null && running != p.boards()) {
                edit(running, next, reload);
            }
        }
    }

    private static void edit(Board[] b, BoardSpec next, boolean reload) {
        for (int c = 0; c < CH; c++) {
            if (reload) {
                BoardSync.reload(b[c], next.channel(c));
            } else {
                BoardSync.follow(b[c], next.channel(c));
            }
        }
    }

    /**
     * The board input {@code channel} runs now (or from the next period, once a format is
     * announced), or null before the first {@link #format}. Any thread.
     */
    public Board runningBoard(int channel) {
        Prepared p = prepared;
        return p == null ? null : p.boards()[channel];
    }

    /**
     * Never the audio thread: the backend's opener before the first period, or JACK's
     * notification thread (its buffer size and sample rate callbacks), which runs while no period
     * does. Publishes the new format for the audio thread to adopt at its next period. A new
     * period size costs one small holder (the boards already take {@link #MAX_FRAMES}); a new
     * sample rate builds new boards from the spec here, where allocating is allowed.
     */
    @Override
    public void format(int rate, int n) {
        if (n < 1 || n > MAX_FRAMES || rate < 8000) {
            throw new IllegalArgumentException("cannot run " + n + " frames at " + rate + " Hz");
        }
        synchronized (formatLock) {
            Prepared p = prepared;
            if (p != null && p.sampleRate() == rate) {
                if (p.frames() != n) {
                    prepared = new Prepared(rate, n, p.boards());
                }
                return;
            }
            synchronized (boardLock) {
                prepared = new Prepared(rate, n, build(spec, rate));
            }
        }
    }

    private Board[] build(BoardSpec spec, int rate) {
        Board[] b = new Board[CH];
        for (int c = 0; c < CH; c++) {
            b[c] = spec.build(c, rate, MAX_FRAMES, transport, irs);
        }
        return b;
    }

    // ---- audio thread ----

    /**
     * Takes up a newly published format between periods: new boards if the rate changed (the
     * limiter and click start over at it), and the coefficients for the period size. Arithmetic
     * only: nothing is allocated here.
     */
    private void adopt(Prepared p, int n) {
        Prepared was = adopted;
        if (was == null || was.sampleRate() != p.sampleRate()) {
            int rate = p.sampleRate();
            limiter.format(rate);
            click.format(rate);
            for (int c = 0; c < CH; c++) {
                inputGain[c].prepare(rate);
                outputMute[c].prepare(rate);
            }
            mixer.format(rate);
        }
        if (was == null || was.boards() != p.boards()) {
            boards = p.boards();
        }
        adopted = p;
        size(n);
    }

    /** Sets what depends on the period size: the meters' ballistics (the glides count in seconds). */
    private void size(int n) {
        int rate = adopted.sampleRate();
        frames = n;
        for (int c = 0; c < CH; c++) {
            preMeters[c].format(rate, n);
            inputMeters[c].format(rate, n);
            selfMeters[c].format(rate, n);
            outputMeters[c].format(rate, n);
        }
        for (Meter m : memberMeters) {
            m.format(rate, n);
        }
    }

    /** Silence for a period the engine cannot run (see {@link #silentPeriods}); no allocation. */
    private void silence(float[][] out, int n) {
        for (float[] o : out) {
            Arrays.fill(o, 0, Math.min(Math.max(n, 0), o.length), 0f);
        }
        silentPeriods++; // single writer
        periods++;
    }

    /**
     * The audio thread only: one period. A format published since the last period is adopted
     * first; a size no format announced is played all the same (counted); before any format, or
     * beyond {@link #MAX_FRAMES}, the period is silent (counted). Never allocates, locks or waits.
     */
    @Override
    public void period(float[][] in, float[][] out, int n) {
        Prepared p = prepared;
        if (p == null || n < 1 || n > MAX_FRAMES) {
            silence(out, n);
            return;
        }
        if (p != adopted) {
            adopt(p, n);
        }
        if (n != frames) {
            size(n);
        }
        if (n != p.frames()) {
            unannouncedPeriods++; // single writer
        }
        Board[] b = boards;
        click.tell(transport);
        for (int c = 0; c < CH; c++) {
            if (c == 0) {
                Tuner t = tuner;
                if (t != null) {
                    System.arraycopy(in[0], 0, remote[0], 0, n);
                    t.run(remote[0], n);
                }
            }
            preMeters[c].measure(in[c], n);
            rampCopy(in[c], post[c], n, inputGain[c]);
            b[c].process(post[c], n);
            rampCopy(post[c], post[c], n, outputMute[c]);
            inputMeters[c].measure(post[c], n);
        }
        uplink.send(post, n);
        // The room has its copy: now what the pedals keep for the player alone (a local loop),
        // under the same output mute, joins the self-monitor. The mute's glide is done for this
        // block, so its value now stands for the block.
        for (int c = 0; c < CH; c++) {
            float[] side = b[c].aside();
            float g = outputMute[c].current();
            if (g != 0f) {
                float[] dst = post[c];
                for (int i = 0; i < n; i++) {
                    dst[i] += side[i] * g;
                }
            }
        }
        for (int c = 0; c < CH; c++) {
            Arrays.fill(out[c], 0, n, 0f);
        }
        for (int s = 0; s < Mixer.MAX_MEMBERS; s++) {
            MemberSource m = members.get(s);
            if (m != null) {
                m.pull(remote, n);
                memberMeters[s].measure(remote[0], n);
                int channels = Math.min(m.channels(), CH);
                for (int c = 0; c < channels; c++) {
                    mixer.mixMember(s, c, remote[c], out, n);
                }
            }
        }
        MemberSource serverMix = roomMix;
        if (serverMix != null) {
            serverMix.pull(remote, n);
            for (int c = 0; c < CH; c++) {
                float[] o = out[c];
                float[] r = remote[c];
                for (int i = 0; i < n; i++) {
                    o[i] += r[i];
                }
            }
        }
        for (int c = 0; c < CH; c++) {
            selfMeters[c].measure(post[c], n, mixer.mixSelf(c, post[c], out, n));
        }
        mixer.applyMaster(out, n);
        // After the uplink took its copy (the room never hears the click), and before the limiter,
        // which guards the ears from the click too; the click is told the limiter's delay so that a
        // room's beat still sounds on time.
        click.mix(out, n, limiter.latencySamples());
        limiter.process(out, n);
        for (int c = 0; c < CH; c++) {
            outputMeters[c].measure(out[c], n);
        }
        LocalRecorder r = recorder;
        if (r != null && click.counted()) { // a take starts after its count-in
            r.take(in, out, n);
        }
        periods++;
    }

    private static void rampCopy(float[] src, float[] dst, int n, Smoothed g) {
        float g0 = g.current();
        float g1 = g.next(n);
        if (g0 == g1) {
            if (g1 == 1f) {
                if (src != dst) {
                    System.arraycopy(src, 0, dst, 0, n);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    dst[i] = src[i] * g1;
                }
            }
            return;
        }
        float d = (g1 - g0) / n;
        for (int i = 0; i < n; i++) {
            dst[i] = src[i] * (g0 + d * (i + 1));
        }
    }
}
