package jambox.appliance.audio;

import java.lang.System.Logger.Level;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jaudiolibs.jnajack.Jack;
import org.jaudiolibs.jnajack.JackClient;
import org.jaudiolibs.jnajack.JackException;
import org.jaudiolibs.jnajack.JackOptions;
import org.jaudiolibs.jnajack.JackPort;
import org.jaudiolibs.jnajack.JackPortFlags;
import org.jaudiolibs.jnajack.JackPortType;
import org.jaudiolibs.jnajack.JackStatus;

/**
 * One JACK client for as long as one server lives: its ports, its wiring and its callbacks. When
 * the server goes away the session is lost for good; {@link JackBackend} opens a new one.
 */
final class JackSession implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(JackSession.class.getName());
    private static final long STOP_TIMEOUT_MILLIS = 2000;

    private final JackClient client;
    private final JackPort[] inputs = new JackPort[AudioBackend.CHANNELS];
    private final JackPort[] outputs = new JackPort[AudioBackend.CHANNELS];
    private volatile boolean lost;
    private final ProcessThreadExit processExit = new ProcessThreadExit();
    private JackMidiPorts midi;

    private JackSession(JackClient client) {
        this.client = client;
    }

    /** Attempts at setting a client up before giving up, and the pause between them. */
    private static final int SET_UP_ATTEMPTS = 3;
    private static final long SET_UP_PAUSE_MILLIS = 200;

    /**
     * Opens, registers, tells the engine the format, activates and wires; all or nothing. jackd2
     * refused a client's activation once in CI while other clients came and went on the same
     * server (JackClient.activate threw with no status), so a set-up that fails inside JACK is tried
     * again with a new client, {@value #SET_UP_ATTEMPTS} times in all, before the box gives up.
     */
    static JackSession open(JackConfig config, JackPeriodPump pump, MidiExchange exchange, AtomicLong xruns)
            throws AudioException {
        Jack jack;
        try {
            jack = Jack.getInstance();
        } catch (JackException | LinkageError e) {
            throw new AudioException("the JACK library (libjack) could not be loaded: " + e.getMessage(), e);
        }
        for (int attempt = 1; ; attempt++) {
            JackSession session = new JackSession(openClient(jack, config));
            try {
                session.setUp(jack, config, pump, exchange, xruns);
                return session;
            } catch (JackException | RuntimeException e) {
                session.close();
                AudioException failed = new AudioException("could not set up JACK client '" + config.clientName()
                        + "' on server '" + config.serverLabel() + "': " + e.getMessage(), e);
                if (e instanceof RuntimeException || attempt >= SET_UP_ATTEMPTS) {
                    throw failed; // only JACK's own refusals are tried again
                }
                System.getLogger(JackSession.class.getName()).log(System.Logger.Level.WARNING,
                        failed.getMessage() + "; trying again (" + (attempt + 1) + " of " + SET_UP_ATTEMPTS + ")");
                try {
                    Thread.sleep(SET_UP_PAUSE_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw failed;
                }
            }
        }
    }

    private static JackClient openClient(Jack jack, JackConfig config) throws AudioException {
        EnumSet<JackStatus> status = EnumSet.noneOf(JackStatus.class);
        try {
            // JackNoStartServer: libjack would otherwise launch a jackd of its own choosing.
            return JackServerSelector.openOn(config.serverName(),
                    () -> jack.openClient(config.clientName(), EnumSet.of(JackOptions.JackNoStartServer), status));
        } catch (JackException e) {
            if (status.contains(JackStatus.JackServerFailed) || status.contains(JackStatus.JackServerError)) {
                throw AudioException.noServer("no JACK server '" + config.serverLabel() + "' is running", e);
            }
            throw new AudioException("JACK server '" + config.serverLabel() + "' refused client '"
                    + config.clientName() + "' " + status, e);
        }
    }

    private void setUp(Jack jack, JackConfig config, JackPeriodPump pump, MidiExchange exchange, AtomicLong xruns)
            throws JackException {
        pump.opening();
        for (int c = 0; c < AudioBackend.CHANNELS; c++) {
            inputs[c] = client.registerPort("in_" + (c + 1), JackPortType.AUDIO, JackPortFlags.JackPortIsInput);
            outputs[c] = client.registerPort("out_" + (c + 1), JackPortType.AUDIO, JackPortFlags.JackPortIsOutput);
        }
        JackMidiPorts ports = new JackMidiPorts(jack, client, exchange);
        midi = ports;
        client.setProcessCallback((c, frames) -> {
            if (processExit.requested()) {
                return processExit.leave();
            }
            if (!ports.cycle(frames)) {
                pump.countFault();
            }
            return pump.pump(inputs, outputs, frames);
        });
        // JACK's notification thread, while no process cycle runs: the engine prepares the new size here.
        client.setBuffersizeCallback((c, frames) -> {
            stayAttached();
            JnaJackPorts.forgetBuffers(inputs);
            JnaJackPorts.forgetBuffers(outputs);
            pump.bufferSizeChanged(frames);
        });
        client.setXrunCallback(c -> {
            stayAttached();
            xruns.incrementAndGet();
        });
        client.setSampleRateCallback((c, rate) -> {
            stayAttached();
            pump.sampleRateChanged(rate);
        });
        client.onShutdown(c -> {
            lost = true;
            LOG.log(Level.WARNING, "JACK server ''{0}'' went away; waiting for it to come back", config.serverLabel());
        });
        pump.announce(client.getSampleRate(), client.getBufferSize());
        client.activate();
        connect(jack, config.captureFrom(), inputs, true);
        connect(jack, config.playbackTo(), outputs, false);
        ports.started();
    }

    /**
     * On libjack's notification thread, in a callback: keep that thread attached to the JVM when
     * the callback returns. JNAJack sets this up for the process thread only; for its other
     * callbacks JNA attaches the thread on entry (a new java.lang.Thread each time) and detaches
     * it on return. A jackd that xruns hundreds of times a second (the image test's emulated
     * guest: 11,000 threads in six minutes, and a third of a CPU on a thread doing nothing else)
     * then costs the box more than its audio. JNA detaches the thread itself when it ends.
     */
    static void stayAttached() {
        com.sun.jna.Native.detach(false);
    }

    private void connect(Jack jack, List<String> peers, JackPort[] ours, boolean peerIsSource) {
        for (int c = 0; c < Math.min(peers.size(), ours.length); c++) {
            String peer = peers.get(c);
            String mine = ours[c].getName();
            try {
                if (peerIsSource) {
                    jack.connect(client, peer, mine);
                } else {
                    jack.connect(client, mine, peer);
                }
            } catch (JackException e) {
                LOG.log(Level.WARNING, "JACK port ''{0}'' could not be connected to {1}; channel {2} stays unwired",
                        peer, mine, c + 1);
            }
        }
    }

    /** The hardware MIDI sources wired to the MIDI input, as of the last look (at start and at each new port). */
    List<String> midiSources() {
        JackMidiPorts m = midi;
        return m == null ? List.of() : m.sources();
    }

    /** The hardware MIDI sinks wired from the MIDI output, as of the last look. */
    List<String> midiSinks() {
        JackMidiPorts m = midi;
        return m == null ? List.of() : m.sinks();
    }

    /** The server shut down or dropped this client: no more periods will come from it. */
    boolean lost() {
        return lost;
    }

    @Override
    public void close() {
        if (midi != null) {
            midi.close(); // no wiring request may reach libjack while the client closes
        }
        if (!lost) {
            try {
                if (!processExit.awaitExit(STOP_TIMEOUT_MILLIS)) {
                    LOG.log(Level.WARNING, "JACK's process thread did not end within {0} ms; closing anyway",
                            STOP_TIMEOUT_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.close();
    }
}
