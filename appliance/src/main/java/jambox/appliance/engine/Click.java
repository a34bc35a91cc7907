package jambox.appliance.engine;

import java.util.function.LongSupplier;

import jambox.dsp.Transport;
import jambox.midi.ClockPlanner;
import jambox.protocol.message.Tempo;

/**
 * The metronome the player hears: a short pitched click (1 kHz on beat 1 of the bar, 800 Hz on the
 * others) added to the box's own output, never to what goes to the room. Each click starts on the
 * sample its beat falls on; it rises over half a millisecond and falls to exactly zero over the
 * next 11.5, so it never clicks in the other sense.
 *
 * <p>The beat clock counts samples, so it keeps time with the audio, not with the thread's wake-ups.
 * In a room the server's beats ({@link #follow}) set its phase and tempo; it only moves when the
 * room's beat is more than {@link #SNAP_SECONDS} away, so the network's jitter is not heard.
 *
 * <p>Its setters may be called from any thread (the command service's, in the box); they write
 * volatile fields that the audio thread ({@link #mix}) reads once a period. The audio thread
 * allocates, locks and logs nothing here.
 */
public final class Click {
    public static final int MAX_BEATS_PER_BAR = Tempo.MAX_BEATS_PER_BAR;
    static final double ACCENT_HZ = 1000;
    static final double BEAT_HZ = 800;
    static final double ATTACK_SECONDS = 0.0005;
    static final double LENGTH_SECONDS = 0.012;
    /** A room beat closer than this to the click's own leaves the click where it is. */
    static final double SNAP_SECONDS = 0.003;

    // ---- set by control threads ----
    private volatile boolean on;
    private volatile double bpm = 120;
    private volatile int beatsPerBar = 4;
    private volatile float level = Gain.fromDb(-12);
    private volatile float accentRatio = Gain.fromDb(6);
    private volatile int starts;
    private volatile int countIns;
    /** The room's beat, a seqlock: odd while being written. */
    private volatile int roomSeq;
    private long roomNanos;
    private int roomInBar;
    private int roomBeatsPerBar;
    private double roomBpm;
    /** False from a count-in's request until the downbeat that ends it: the recorder waits for it. */
    private volatile boolean counted = true;
    /** The audio clock's frame at the start of the period in hand (the MIDI ports'), and who hears the beat line; or null. */
    private volatile Clock clock;

    /** A frame clock and a {@link BeatFollower} on it, set together. */
    private record Clock(LongSupplier frameTime, BeatFollower follower) {
    }

    /** Hears the beat line each period on the audio thread: it must not allocate, lock, log or block. */
    @FunctionalInterface
    public interface BeatFollower {
        /**
         * The beat as the box's output plays it, on the audio clock ({@code line}, reused: read it
         * now), after a period of {@code frames} that ends before {@code nextFrame}.
         */
        void heard(ClockPlanner.Line line, long nextFrame, int frames);
    }

    // ---- audio thread: the beat line and the frame clock's last period ----
    private final ClockPlanner.Line line = new ClockPlanner.Line();
    private long clockEnd = Long.MIN_VALUE;
    private long disagreement;
    private int disagreements;
    /** Periods in a row the frame clock must say the same other thing before the beat line believes it. */
    static final int CLOCK_VOTES = 3;

    // ---- audio thread ----
    private int rate;
    private double samplesPerBeat;
    private double untilBeat;
    private int nextInBar;
    private int seenStarts;
    private int seenCountIns;
    private int seenRoom;
    private long roomAge = Long.MAX_VALUE / 2;
    private int followBpb;
    private double followBpm;
    private int downbeatsLeft;
    /** Samples played since {@link #format}, and the least lag seen of the clock behind them (see {@link #lag}). */
    private long samples;
    /** Room beats in a row that came later than ours by more than the snap, and the least of those moves. */
    private int laterBeats;
    private double laterBy;
    private double lagNanos = Double.MAX_VALUE;
    private int attack;
    private int length;
    /**
     * Two voices: a beat that comes while the last click still sounds (a restart, a move onto the
     * room's beat) starts in the other voice, and the last one ends as it would have, not cut.
     */
    private final int[] pos = {-1, -1};
    private final double[] step = new double[2];
    private final float[] gain = new float[2];
    private int voice;

    /** Starts (from beat 1 of a new bar, unless it follows a room) or stops the click; any thread. */
    public void setOn(boolean on) {
        if (on && !this.on) {
            starts++;
        }
        this.on = on;
    }

    public boolean on() {
        return on;
    }

    /** The box's own tempo, {@link Tempo#MIN_BPM} .. {@link Tempo#MAX_BPM}; the phase of the beat is kept. Any thread. */
    public void setBpm(double bpm) {
        if (!Tempo.validBpm(bpm)) {
            throw new IllegalArgumentException(Tempo.outOfRange(bpm));
        }
        this.bpm = bpm;
    }

    public void setBeatsPerBar(int beats) {
        Mixer.check("beats per bar", beats, 1, MAX_BEATS_PER_BAR);
        beatsPerBar = beats;
    }

    /** Peak level of the accented click (beat 1) in dBFS, -60 .. 0. */
    public void setLevelDb(double db) {
        Mixer.check("click level", db, -60, 0);
        level = Gain.fromDb(db);
    }

    /** How much louder beat 1 is than the other beats, 0 .. 12 dB. */
    public void setAccentDb(double db) {
        Mixer.check("accent", db, 0, 12);
        accentRatio = Gain.fromDb(db);
    }

    /**
     * One bar counted in: the click sounds (even when off) from the next downbeat, or from beat 1
     * at once when it was silent, and {@link #counted} turns true on the downbeat after that bar.
     */
    public void countIn() {
        counted = false;
        countIns++;
    }

    /** False while a count-in runs. */
    public boolean counted() {
        return counted;
    }

    /**
     * The room's beat number {@code inBar} (0 = beat 1) falls at {@code nanos} ({@link System#nanoTime}),
     * at {@code bpm} with {@code beatsPerBar}. Any one thread at a time (the stream's receiver).
     */
    public void follow(long nanos, int inBar, double bpm, int beatsPerBar) {
        if (!Tempo.validBpm(bpm) || beatsPerBar < 1 || beatsPerBar > MAX_BEATS_PER_BAR) {
            return;
        }
        int s = roomSeq;
        roomSeq = s + 1;
        roomNanos = nanos;
        roomInBar = Math.floorMod(inBar, beatsPerBar);
        roomBeatsPerBar = beatsPerBar;
        roomBpm = bpm;
        roomSeq = s + 2;
    }

    /**
     * Puts the beat on the audio clock {@code frameTime} reads (the frame at which the period in hand
     * began: {@code MidiPorts::frameTime}, which the backend sets before the engine's period), and
     * tells {@code follower} the beat line each period; null, null: neither. Any thread.
     */
    public void clockOn(LongSupplier frameTime, BeatFollower follower) {
        clock = frameTime == null ? null : new Clock(frameTime, follower);
    }

    // ---- audio thread ----

    /** Format changes only, before the periods at {@code sampleRate}. */
    void format(int sampleRate) {
        rate = sampleRate;
        attack = (int) Math.round(ATTACK_SECONDS * sampleRate);
        length = (int) Math.round(LENGTH_SECONDS * sampleRate);
        samplesPerBeat = 60.0 * sampleRate / bpm;
        untilBeat = 0;
        samples = 0;
        clockEnd = Long.MIN_VALUE;
        lagNanos = Double.MAX_VALUE;
        pos[0] = -1;
        pos[1] = -1;
    }

    /**
     * Adds this period's clicks to both channels of {@code out}, which will be heard {@code
     * delayedBy} samples later (the limiter's lookahead): a room's beat is placed that much earlier.
     */
    void mix(float[][] out, int n, int delayedBy) {
        Clock c = clock;
        long start = c == null ? 0 : periodFrame(c.frameTime().getAsLong());
        roomAge += n;
        lag();
        readRoom(delayedBy);
        boolean following = following();
        int bpb = following ? followBpb : beatsPerBar;
        double spb = 60.0 * rate / (following ? followBpm : bpm);
        if (spb != samplesPerBeat) {
            untilBeat *= spb / samplesPerBeat; // a new tempo keeps the beat's phase
            samplesPerBeat = spb;
        }
        if (nextInBar >= bpb) {
            nextInBar = 0;
        }
        int s = starts;
        if (s != seenStarts) {
            seenStarts = s;
            if (!following && downbeatsLeft == 0) {
                restartBar();
            }
        }
        int ci = countIns;
        if (ci != seenCountIns) {
            seenCountIns = ci;
            if (!following && !on && downbeatsLeft == 0) {
                restartBar();
            }
            downbeatsLeft = 2;
        }
        int done = 0;
        while (untilBeat < n) {
            int at = Math.max(done, (int) Math.ceil(untilBeat));
            render(out, done, at);
            done = at;
            beat(nextInBar == 0, at);
            nextInBar = nextInBar + 1 >= bpb ? 0 : nextInBar + 1;
            untilBeat += samplesPerBeat;
        }
        render(out, done, n);
        untilBeat -= n;
        samples += n;
        if (c != null) {
            clockEnd = start + n;
            if (c.follower() != null) {
                // The next beat is heard delayedBy after it is written, on the same clock as the MIDI.
                line.set(start + n + untilBeat + delayedBy, samplesPerBeat, nextInBar, bpb, on);
                c.follower().heard(line, start + n, n);
            }
        }
    }

    /**
     * The frame this period starts at, as the beat line counts it: normally the last period's end.
     * JACK's frame time, read in a cycle that runs late, can be the next cycle's, once: that is not
     * believed. When the clock says the same other thing {@link #CLOCK_VOTES} periods in a row, the
     * box missed those frames (an xrun: jackd's clock moves on by the time it lost, not always by
     * whole periods), and the beat moves on by them too, as the room's and the listener's time did:
     * a metronome that fell back a period at each xrun would drift (backwards, it is believed
     * without moving the beat). More than a second either way: a new clock, taken at once, and the
     * beat goes on from there.
     */
    private long periodFrame(long reported) {
        long off = reported - clockEnd;
        if (clockEnd == Long.MIN_VALUE || Math.abs(off) > rate) {
            disagreements = 0;
            return reported;
        }
        if (off == 0) {
            disagreements = 0;
            return clockEnd;
        }
        disagreements = off == disagreement ? disagreements + 1 : 1;
        disagreement = off;
        if (disagreements < CLOCK_VOTES) {
            return clockEnd;
        }
        disagreements = 0;
        if (off > 0) {
            skip(off);
        }
        return reported;
    }

    /** The room's beat is recent enough to keep time with (two beats and a second). */
    private boolean following() {
        return followBpm > 0 && roomAge < 2 * (long) (60.0 * rate / followBpm) + rate;
    }

    /**
     * Audio thread, before the boards run: tells the pedals' clock the tempo (the room's, else the
     * metronome's while it is on; none otherwise) and the beat in the bar at which this period
     * begins, where the click's own beat is. Arithmetic only.
     */
    void tell(Transport t) {
        boolean following = following();
        if (rate == 0 || !(following || on)) {
            t.clear();
            return;
        }
        int bpb = following ? followBpb : beatsPerBar;
        double beat = (nextInBar >= bpb ? 0 : nextInBar) - untilBeat / samplesPerBeat;
        t.set(following ? followBpm : bpm, bpb, beat < 0 ? beat + bpb : beat);
    }

    /** Moves the beat (and a click that sounds) on by {@code frames} the box did not play. */
    private void skip(long frames) {
        untilBeat -= frames;
        int bpb = following() ? followBpb : beatsPerBar;
        while (untilBeat < 0) {
            untilBeat += samplesPerBeat;
            nextInBar = nextInBar + 1 >= bpb ? 0 : nextInBar + 1;
        }
        samples += frames;
        for (int v = 0; v < 2; v++) {
            if (pos[v] >= 0) {
                pos[v] = pos[v] + frames >= length ? -1 : pos[v] + (int) frames;
            }
        }
    }

    /**
     * When this period's first sample was due on the {@link System#nanoTime} clock is {@code
     * samples / rate + lag}. A period that runs late (a slow wake-up, a catch-up) only shows a
     * larger lag, so the least one seen is the true one; it may creep up 5 us a period (0.4%), so
     * that a sound card slower than the system clock, or a gap after an xrun, is followed.
     */
    private void lag() {
        double now = System.nanoTime() - samples * 1e9 / rate;
        lagNanos = Math.min(now, lagNanos + 5_000);
    }

    private void restartBar() {
        untilBeat = 0;
        nextInBar = 0;
    }

    private void beat(boolean downbeat, int at) {
        if (downbeat && downbeatsLeft > 0) {
            downbeatsLeft--;
            if (downbeatsLeft == 0) {
                counted = true;
            }
        }
        if (!on && downbeatsLeft != 1) {
            return; // off, and not in the count-in's bar
        }
        voice ^= 1;
        pos[voice] = 0;
        step[voice] = 2 * Math.PI * (downbeat ? ACCENT_HZ : BEAT_HZ) / rate;
        gain[voice] = downbeat ? level : level / accentRatio;
    }

    private void render(float[][] out, int from, int to) {
        render(0, out, from, to);
        render(1, out, from, to);
    }

    private void render(int v, float[][] out, int from, int to) {
        int p = pos[v];
        if (p < 0) {
            return;
        }
        float[] left = out[0];
        float[] right = out[1];
        double w = step[v];
        float g = gain[v];
        for (int i = from; i < to && p < length; i++, p++) {
            double env;
            if (p < attack) {
                env = 0.5 - 0.5 * Math.cos(Math.PI * p / attack);
            } else {
                env = 0.5 + 0.5 * Math.cos(Math.PI * (p - attack) / (length - attack));
            }
            float x = (float) (g * env * Math.sin(w * p));
            left[i] += x;
            right[i] += x;
        }
        pos[v] = p >= length ? -1 : p;
    }

    /** Takes the room's newest beat, if one came: its tempo and bar, and its phase when ours is off by more than the snap. */
    private void readRoom(int delayedBy) {
        int s1 = roomSeq;
        if (s1 == seenRoom || (s1 & 1) != 0) {
            return;
        }
        long nanos = roomNanos;
        int inBar = roomInBar;
        int bpb = roomBeatsPerBar;
        double roomTempo = roomBpm;
        if (roomSeq != s1) {
            return; // written meanwhile: the next period reads it
        }
        seenRoom = s1;
        roomAge = 0;
        followBpb = bpb;
        followBpm = roomTempo;
        double spb = 60.0 * rate / roomTempo;
        double until = (nanos - lagNanos) * 1e-9 * rate - samples - delayedBy;
        long beats = (long) Math.floor(until / spb);
        until -= beats * spb; // the room's next beat from now: 0 <= until < spb
        int roomNext = (int) Math.floorMod(inBar - beats, (long) bpb); // until moved by -beats beats
        if (spb != samplesPerBeat) {
            untilBeat *= spb / samplesPerBeat;
            samplesPerBeat = spb;
        }
        // The room's beat nearest our next one: how far from it, and its number in the bar.
        double d = until - untilBeat;
        int near = roomNext;
        if (d > spb / 2) {
            d -= spb;
            near = Math.floorMod(roomNext - 1, bpb);
        } else if (d < -spb / 2) {
            d += spb;
            near = (roomNext + 1) % bpb;
        }
        double snap = SNAP_SECONDS * rate;
        if (d > snap && laterBeats < 2) {
            // Later than ours: perhaps a beat the receiving thread got to late. Move only when three
            // in a row say so, and only as far as the least of them says.
            laterBy = laterBeats == 0 ? d : Math.min(laterBy, d);
            laterBeats++;
            nextInBar = near;
            return;
        }
        if (d > snap) {
            d = Math.min(laterBy, d);
        }
        laterBeats = 0;
        nextInBar = near;
        if (Math.abs(d) <= snap) {
            return; // close enough: the click keeps its own time, and takes the room's count
        }
        // Earlier than ours (a delay only ever makes a beat look later, so this is the room's), or
        // later three times: move there.
        untilBeat += d;
        if (untilBeat < 0) {
            untilBeat += spb; // that beat has passed: the next is the one after
            nextInBar = (near + 1) % bpb;
        } else if (untilBeat >= spb) {
            untilBeat -= spb; // a beat of the room's comes before it
            nextInBar = Math.floorMod(near - 1, bpb);
        }
    }
}
