package jambox.appliance.audio;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The box's real audio: a JACK client (JNAJack) with two inputs and two outputs, and a MIDI input
 * and output ({@link JackMidiPorts}). Periods run on JACK's process thread. If the server dies, a
 * supervisor thread reopens the client once the server is back, keeping the same
 * {@link PeriodCallback} and {@link MidiExchange}, so the engine's boards, mixer and room survive.
 */
public final class JackBackend implements AudioBackend {
    private static final System.Logger LOG = System.getLogger(JackBackend.class.getName());
    private static final long RETRY_MILLIS = 300;
    private static final java.time.Duration WEDGED_AFTER = java.time.Duration.ofSeconds(10);
    /**
     * The first open also loads libjack and JNAJack's classes: on a Pi well under a second, but
     * seconds in the image's emulated boot test (measured there: 7-9 s, and 32 s with the host
     * busy), so it gets a minute before it is called wedged. The log line after it says how
     * long it took.
     */
    public static final java.time.Duration FIRST_OPEN_WEDGED_AFTER = java.time.Duration.ofSeconds(60);

    private final JackConfig config;
    private final AtomicLong xruns = new AtomicLong();
    private final MidiExchange midi = new MidiExchange();
    private final Object lock = new Object();
    // Guarded by lock; session is volatile as well so running() can read it without the lock.
    private JackPeriodPump pump;
    private volatile JackSession session;
    private Thread supervisor;
    private volatile boolean closed;
    private volatile boolean startFailed; // the first open failed: the watchdog has nothing left to watch

    private final OpenWatchdog watchdog;

    /**
     * @param onWedged runs (on a watchdog thread) if opening the client hangs inside libjack (a minute for
     *                 the first open, 10 s for a reconnect to a restarted server); the service exits
     *                 there so systemd restarts it
     */
    public JackBackend(JackConfig config, Runnable onWedged) {
        this.config = config;
        this.watchdog = new OpenWatchdog(onWedged, System::nanoTime);
    }

    /** A backend that only logs a wedged reconnect (tests, the demo). */
    public JackBackend(JackConfig config) {
        this(config, () -> { });
    }

    public JackBackend() {
        this(JackConfig.defaults());
    }

    /**
     * Opens the client and starts periods. Fails if no server is running now (the caller then picks
     * another backend); only after a successful start does it wait for a server that goes away.
     */
    @Override
    public void start(PeriodCallback callback) throws AudioException {
        long openStarted;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("this JACK backend is closed");
            }
            if (pump != null) {
                throw new IllegalStateException("this JACK backend is started already");
            }
            JackPeriodPump newPump = new JackPeriodPump(callback);
            // Watched from before the first open: a jackd that is still starting can hang it.
            watchdog.start(() -> closed || startFailed);
            openStarted = System.nanoTime();
            try {
                session = openWatched(FIRST_OPEN_WEDGED_AFTER, newPump);
            } catch (AudioException | RuntimeException e) {
                startFailed = true;
                throw e;
            }
            pump = newPump;
            midi.start();
            supervisor = Thread.ofPlatform().name("jambox-jack-supervisor").daemon().start(this::supervise);
        }
        LOG.log(Level.INFO, "started {0}; the client opened in {1} ms", describe(),
                (System.nanoTime() - openStarted) / 1_000_000);
    }

    private void supervise() {
        while (!closed) {
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (lock) {
                if (closed || !session.lost()) {
                    continue;
                }
                reopen();
            }
        }
    }

    /** Called with the lock held, while the current session is lost. */
    private void reopen() {
        // Closing a lost client again is a no-op; the first close frees libjack's side of it.
        session.close();
        try {
            session = openWatched(WEDGED_AFTER, pump);
        } catch (AudioException e) {
            LOG.log(Level.DEBUG, "JACK server still away: {0}", e.getMessage());
            return;
        }
        LOG.log(Level.INFO, "JACK server ''{0}'' is back: {1}", config.serverLabel(), describe());
    }

    /** Opens a session under the watchdog: one that has not returned after {@code limit} is wedged. */
    private JackSession openWatched(java.time.Duration limit, JackPeriodPump p) throws AudioException {
        watchdog.opening(limit);
        try {
            return JackSession.open(config, p, midi, xruns);
        } finally {
            watchdog.opened();
        }
    }

    @Override
    public int sampleRate() {
        JackPeriodPump p = pump;
        return p == null ? 0 : p.sampleRate();
    }

    @Override
    public int periodFrames() {
        JackPeriodPump p = pump;
        return p == null ? 0 : p.periodFrames();
    }

    @Override
    public long xruns() {
        return xruns.get();
    }

    /**
     * The MIDI ports {@code midi_in} and {@code midi_out} of the client; frame times are JACK's
     * frame clock (a restarted server starts a new one).
     */
    @Override
    public MidiExchange midi() {
        return midi;
    }

    /** The hardware MIDI sources wired to {@code midi_in} (at start and whenever a port appears). */
    public List<String> midiSources() {
        JackSession s = session;
        return s == null ? List.of() : s.midiSources();
    }

    /** The hardware MIDI sinks {@code midi_out} is wired to (at start and whenever a port appears). */
    public List<String> midiSinks() {
        JackSession s = session;
        return s == null ? List.of() : s.midiSinks();
    }

    /** Periods (or their MIDI) whose callback threw: each was answered with silence and audio went on. */
    public long callbackFaults() {
        JackPeriodPump p = pump;
        return p == null ? 0 : p.faults();
    }

    /**
     * Periods whose size JACK had not announced through its buffer size callback: at most the
     * period in flight at each change (jackd2 runs clients asynchronously); more would mean the
     * engine is not hearing of sizes before their periods.
     */
    public long unannouncedPeriods() {
        JackPeriodPump p = pump;
        return p == null ? 0 : p.unannouncedPeriods();
    }

    @Override
    public boolean running() {
        JackSession s = session;
        return !closed && s != null && !s.lost();
    }

    @Override
    public String describe() {
        String state = running() ? "" : closed ? ", closed" : session == null ? ", not started" : ", waiting for the server";
        return "jack (server '" + config.serverLabel() + "', " + sampleRate() + " Hz, " + periodFrames() + " frames"
                + state + ")";
    }

    @Override
    public void close() {
        Thread s;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            s = supervisor;
            if (session != null) {
                session.close();
            }
        }
        midi.close();
        if (s != null) {
            s.interrupt();
        }
    }
}
