package jambox.appliance.engine;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

import jambox.appliance.audio.AudioBackend;
import jambox.appliance.audio.PeriodCallback;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.board.BoardSync;
import jambox.appliance.record.LocalRecorder;
import jambox.dsp.Board;
import jambox.dsp.Smoothed;
import jambox.dsp.tuner.Tuner;

/**
 * The box's main job, one period at a time on the audio thread: input gain, each channel's pedal
 * board, meters, hand-off to the network, one period from every remote member, the mix (with the
 * self-monitor taken from this same period, so it adds no latency), master, the safety
 * {@link Limiter}, output meters. Meters sit where a player can act on what they show: before the
 * input gain (the interface clipping), after the pedals, on each member, on the self-monitor after
 * its level, and on the outputs.
 *
 * <p>Everything the period touches is allocated here or in {@link #format}; control threads
 * change it through volatile fields and lock-free arrays only.
 */
public final class Engine implements PeriodCallback {
    /** The largest period any backend hands us (JACK allows up to 8192 frames). */
    public static final int MAX_FRAMES = 8192;
    private static final int CH = AudioBackend.CHANNELS;

    private final Mixer mixer = new Mixer();
    private final Limiter limiter = new Limiter(CH);
    private final Click click = new Click();
    private final Smoothed[] inputGain = {Gain.smoothed(1f), Gain.smoothed(1f)};
    private final Smoothed[] outputMute = {Gain.smoothed(1f), Gain.smoothed(1f)};
    private final Meter[] preMeters = {new Meter(Meter.INTEGER_FULL_SCALE), new Meter(Meter.INTEGER_FULL_SCALE)};
    private final Meter[] inputMeters = {new Meter(), new Meter()};
    private final Meter[] selfMeters = {new Meter(), new Meter()};
    private final Meter[] outputMeters = {new Meter(), new Meter()};
    private final Meter[] memberMeters = new Meter[Mixer.MAX_MEMBERS];
    private final AtomicReferenceArray<MemberSource> members = new AtomicReferenceArray<>(Mixer.MAX_MEMBERS);
    private final float[][] post = new float[CH][MAX_FRAMES];
    private final float[][] remote = new float[CH][MAX_FRAMES];
    private volatile Board[] boards;
    private volatile Uplink uplink = Uplink.NONE;
    private volatile LocalRecorder recorder;
    private volatile BoardSpec spec;
    private final double[] inputDb = new double[CH];
    private volatile boolean tunerMute;
    private volatile Tuner tuner;
    private volatile long periods;
    private int sampleRate;
    private int frames;

    public Engine(BoardSpec board) {
        this.spec = board;
        for (int s = 0; s < memberMeters.length; s++) {
            memberMeters[s] = new Meter(Meter.INTEGER_FULL_SCALE); // decoded PCM never reaches 1.0
        }
    }

    public Mixer mixer() {
        return mixer;
    }

    /** The safety limiter on the output, after the master. */
    public Limiter limiter() {
        return limiter;
    }

    /** The metronome, heard in this box's output only (never in the uplink). */
    public Click click() {
        return click;
    }

    /** Input {@code channel} as the audio interface delivers it, before the input gain and pedals: where the ADC clips. */
    public Meter preMeter(int channel) {
        return preMeters[channel];
    }

    /** Input {@code channel} after its gain and pedals: what goes to the room. */
    public Meter inputMeter(int channel) {
        return inputMeters[channel];
    }

    /** The self-monitor of input {@code channel} after its level and mute, before pan and master. */
    public Meter selfMeter(int channel) {
        return selfMeters[channel];
    }

    /** The headphone outputs, after the master and the click. */
    public Meter outputMeter(int channel) {
        return outputMeters[channel];
    }

    /** What member slot {@code slot} sends (its first channel), before the mixer's gain and pan. */
    public Meter memberMeter(int slot) {
        return memberMeters[slot];
    }

    /** Periods run so far. */
    public long periods() {
        return periods;
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** Input gain of channel {@code channel} in dB (-120 .. +24), gliding, from any thread. */
    public synchronized void setInputGainDb(int channel, double db) {
        Mixer.check("input gain", db, -120, 24);
        inputDb[channel] = db;
        inputGain[channel].setTarget(Gain.fromDb(db));
    }

    public synchronized double inputGainDb(int channel) {
        return inputDb[channel];
    }

    /**
     * Feeds input 1 (after its gain, before the pedals) to {@code t}, already prepared for this
     * engine's rate, or stops with null. The tuner only copies samples on the audio thread.
     */
    public void setTuner(Tuner t) {
        tuner = t;
    }

    /**
     * While tuning: silences the player's own sound after the pedals (delay and reverb tails too),
     * to the room and in the headphones, gliding, not clicking. The room stays audible.
     */
    public void setTunerMute(boolean mute) {
        tunerMute = mute;
        for (Smoothed g : outputMute) {
            g.setTarget(mute ? 0f : 1f);
        }
    }

    public boolean tunerMute() {
        return tunerMute;
    }

    /** Where post-pedal audio goes each period; {@link Uplink#NONE} when not in a room. */
    public void setUplink(Uplink u) {
        uplink = u == null ? Uplink.NONE : u;
    }

    /** Starts (or with null stops) recording the inputs and the mix; the caller closes the old one. */
    public void setRecorder(LocalRecorder r) {
        recorder = r;
    }

    /** Puts a remote member's audio in mixer slot {@code slot}, or takes it out with null. */
    public void setMember(int slot, MemberSource source) {
        members.set(slot, source);
    }

    /** The board each channel runs (rebuilt from this spec when the sample rate changes). */
    public BoardSpec board() {
        return spec;
    }

    /**
     * Control threads, one at a time (the command service): makes {@code next} the board. The spec
     * is the truth; when audio runs, each running board follows it by the smallest edit
     * ({@link BoardSync#follow}): a changed value glides, a bypass crossfades, an inserted, removed
     * or moved pedal fades on its own, and nothing else is rebuilt.
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
        spec = next;
        Board[] b = boards;
        if (b == null) {
            return; // not started: format builds from the spec
        }
        for (int c = 0; c < CH; c++) {
            if (reload) {
                BoardSync.reload(b[c], next.channel(c));
            } else {
                BoardSync.follow(b[c], next.channel(c));
            }
        }
    }

    /** The board input {@code channel} runs now, or null before the audio has started. */
    public Board runningBoard(int channel) {
        Board[] b = boards;
        return b == null ? null : b[channel];
    }

    @Override
    public void format(int rate, int n) {
        if (n < 1 || n > MAX_FRAMES || rate < 8000) {
            throw new IllegalArgumentException("cannot run " + n + " frames at " + rate + " Hz");
        }
        Board[] b = boards;
        if (b == null || rate != sampleRate || n > b[0].maxBlock()) {
            boards = build(spec, rate, n);
        }
        if (rate != sampleRate) {
            limiter.format(rate);
        }
        sampleRate = rate;
        frames = n;
        for (int c = 0; c < CH; c++) {
            inputGain[c].prepare(rate);
            outputMute[c].prepare(rate);
        }
        mixer.format(rate);
        click.format(rate);
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

    private static Board[] build(BoardSpec spec, int rate, int n) {
        int block = Math.max(n, 256);
        Board[] b = new Board[CH];
        for (int c = 0; c < CH; c++) {
            b[c] = spec.build(c, rate, block);
        }
        return b;
    }

    // ---- audio thread ----

    @Override
    public void period(float[][] in, float[][] out, int n) {
        Board[] b = boards;
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
