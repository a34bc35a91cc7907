package jambox.midi;

/**
 * Plans MIDI clock (24 ticks per quarter note), start, continue, stop and song position from a
 * beat line on the audio clock: the frame at which a beat falls, the frames per beat, that beat's
 * number in the bar, and whether the metronome runs. Every tick is a point of that line's grid, so
 * its frame is computed, never counted from a thread's wake-ups: asked again and again (each
 * millisecond, say) for the events up to a horizon a little ahead, it yields each tick once, at its
 * sample-exact frame, however late or irregularly it is asked.
 *
 * <p>The clock starts on a downbeat: song position 0, start, and the downbeat's tick, all on that
 * frame. Turning the output on while the metronome runs waits for the next downbeat and sends that
 * downbeat's song position and continue, so a drum machine joins in the right place of the bar.
 * The position is kept while the output is off. A line that moves (a new tempo, a move onto the
 * room's beat) moves the ticks after the last one planned: the gap between two ticks then lies
 * between half a tick and one and a half.
 *
 * <p>One thread at a time; allocates nothing.
 */
public final class ClockPlanner {
    public static final int TICKS_PER_BEAT = 24;
    public static final int CLOCK = 0xF8;
    public static final int START = 0xFA;
    public static final int CONTINUE = 0xFB;
    public static final int STOP = 0xFC;
    public static final int SONG_POSITION = 0xF2;
    /** Song position counts sixteenths (MIDI beats) in 14 bits. */
    static final int POSITIONS = 1 << 14;

    /** Where the planner's events go, in time order. */
    @FunctionalInterface
    public interface Out {
        /** One message of {@code length} (1 or 3) bytes, {@code b0} first, to be played at {@code frame}. */
        void send(long frame, int length, int b0, int b1, int b2);
    }

    /** The beat as the box hears it, on the audio clock; filled in place by whoever keeps the beat. */
    public static final class Line {
        private boolean valid;
        private double beatFrame;
        private double framesPerBeat;
        private int inBar;
        private int beatsPerBar;
        private boolean running;

        /**
         * Beat number {@code inBar} of a bar of {@code beatsPerBar} falls at {@code beatFrame}, and
         * the others every {@code framesPerBeat} either side; {@code running}: the metronome is on.
         */
        public void set(double beatFrame, double framesPerBeat, int inBar, int beatsPerBar, boolean running) {
            if (!(framesPerBeat > 0) || beatsPerBar < 1) {
                throw new IllegalArgumentException("a beat line needs frames per beat > 0 and beats per bar >= 1, not "
                        + framesPerBeat + ", " + beatsPerBar);
            }
            this.beatFrame = beatFrame;
            this.framesPerBeat = framesPerBeat;
            this.inBar = Math.floorMod(inBar, beatsPerBar);
            this.beatsPerBar = beatsPerBar;
            this.running = running;
            valid = true;
        }

        public boolean valid() {
            return valid;
        }

        public double beatFrame() {
            return beatFrame;
        }

        public double framesPerBeat() {
            return framesPerBeat;
        }

        public int inBar() {
            return inBar;
        }

        public int beatsPerBar() {
            return beatsPerBar;
        }

        public boolean running() {
            return running;
        }
    }

    private enum State { STOPPED, WAITING, RUNNING }

    private State state = State.STOPPED;
    /** Waiting to start from position 0 (true) or to continue from where the position has got to. */
    private boolean fresh;
    private boolean sending;
    /** The frame of the last tick planned, sent or not. */
    private long lastTick;
    /** Ticks since position 0, counted while the metronome runs, sent or not. */
    private long ticks;

    /**
     * Plans every event before {@code horizon} that has not been planned yet, following {@code
     * line}; {@code now} is the audio clock's present (a tick before it is past and not sent, but
     * counted). {@code send}: whether the output is on.
     */
    public void plan(Line line, boolean send, long now, long horizon, Out out) {
        if (!line.valid()) {
            return;
        }
        if (state != State.STOPPED && lastTick != Long.MIN_VALUE && lastTick >= horizon) {
            // Ticks are only planned before the horizon, and it only moves on: the audio clock began
            // again (a new JACK server). Carry on from its present.
            lastTick = now - 1;
        }
        if (sending && !send) {
            if (state == State.RUNNING) {
                out.send(Math.max(lastTick + 1, now), 1, STOP, 0, 0);
            }
        } else if (!sending && send && state == State.RUNNING) {
            state = State.WAITING;
            fresh = false;
        }
        sending = send;
        if (!line.running()) {
            if (state == State.RUNNING && sending) {
                out.send(Math.max(lastTick + 1, now), 1, STOP, 0, 0);
            }
            state = State.STOPPED;
            return;
        }
        if (state == State.STOPPED) {
            state = State.WAITING;
            fresh = true;
            ticks = 0;
            lastTick = Long.MIN_VALUE;
        }
        double t = line.framesPerBeat() / TICKS_PER_BEAT;
        double origin = line.beatFrame();
        if (lastTick != Long.MIN_VALUE && lastTick < now - line.framesPerBeat()) {
            // More than a beat unplanned (the audio clock leapt on): count those ticks at once rather
            // than one by one, which could be millions on the audio thread.
            long skipped = (long) ((now - lastTick) / t);
            if (state == State.RUNNING || !fresh) {
                ticks += skipped;
            }
            lastTick = now - 1;
        }
        while (true) {
            long j;
            if (lastTick == Long.MIN_VALUE) {
                j = (long) Math.ceil((now - origin) / t); // the first grid point from now
            } else {
                j = (long) Math.floor((lastTick + t / 2 - origin) / t) + 1;
            }
            long frame = Math.round(origin + j * t);
            if (frame >= horizon) {
                return;
            }
            boolean downbeat = Math.floorMod(j, TICKS_PER_BEAT) == 0
                    && Math.floorMod(line.inBar() + Math.floorDiv(j, TICKS_PER_BEAT), (long) line.beatsPerBar()) == 0;
            if (state == State.WAITING) {
                if (downbeat && frame >= now && sending) {
                    int position = fresh ? 0 : (int) Math.floorMod(Math.round(ticks / 6.0), (long) POSITIONS);
                    ticks = 6L * position;
                    out.send(frame, 3, SONG_POSITION, position & 0x7f, position >> 7);
                    out.send(frame, 1, fresh ? START : CONTINUE, 0, 0);
                    out.send(frame, 1, CLOCK, 0, 0);
                    state = State.RUNNING;
                    ticks++;
                } else if (!fresh) {
                    ticks++; // the position runs on until the output joins in
                }
                // A fresh start counts from its downbeat, whether or not the output is on: the
                // position a later continue sends is the bars since the metronome began.
                else if (downbeat && frame >= now) {
                    fresh = false;
                    ticks = 1;
                }
            } else {
                if (sending && frame >= now) {
                    out.send(frame, 1, CLOCK, 0, 0);
                }
                ticks++;
            }
            lastTick = frame;
        }
    }

    /** Ticks since position 0 (the downbeat the metronome began on), up to the last one planned. */
    public long ticks() {
        return ticks;
    }

    /** Whether ticks are being sent. */
    public boolean clocking() {
        return state == State.RUNNING && sending;
    }
}
