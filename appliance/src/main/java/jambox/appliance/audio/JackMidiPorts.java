package jambox.appliance.audio;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jaudiolibs.jnajack.Jack;
import org.jaudiolibs.jnajack.JackClient;
import org.jaudiolibs.jnajack.JackException;
import org.jaudiolibs.jnajack.JackMidi;
import org.jaudiolibs.jnajack.JackPort;
import org.jaudiolibs.jnajack.JackPortFlags;
import org.jaudiolibs.jnajack.JackPortRegistrationCallback;
import org.jaudiolibs.jnajack.JackPortType;

/**
 * One JACK session's MIDI: the {@code midi_in} and {@code midi_out} ports, their work in each process
 * cycle, and the wiring of every hardware MIDI source to {@code midi_in} and of {@code midi_out} to
 * every hardware MIDI sink. Hardware ports are MIDI ports flagged physical: what jackd's ALSA MIDI
 * bridge ({@code -X seq}) or a2jmidid shows for a USB controller (a source) or synth (a sink). They are wired when the session starts and whenever a port appears (a
 * controller plugged in); the wiring runs on a thread of its own, since libjack refuses server
 * requests from inside its notification callbacks.
 */
final class JackMidiPorts implements JackPortRegistrationCallback {
    private static final System.Logger LOG = System.getLogger(JackMidiPorts.class.getName());
    static final String IN = "midi_in";
    static final String OUT = "midi_out";

    private final Jack jack;
    private final JackClient client;
    private final MidiExchange exchange;
    private final JackPort in;
    private final JackPort out;
    private final JnaJackMidi reader = new JnaJackMidi();
    private final FrameClock clock = new FrameClock();
    private final ExecutorService wiring = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jambox-midi-wiring");
        t.setDaemon(true);
        return t;
    });
    /** Hardware sources wired to {@code midi_in} by this session; the wiring thread writes it. */
    private volatile List<String> sources = List.of();
    /** Hardware sinks wired from {@code midi_out} by this session; the wiring thread writes it. */
    private volatile List<String> sinks = List.of();

    /** Registers the two ports; before the client is activated. */
    JackMidiPorts(Jack jack, JackClient client, MidiExchange exchange) throws JackException {
        this.jack = jack;
        this.client = client;
        this.exchange = exchange;
        in = client.registerPort(IN, JackPortType.MIDI, JackPortFlags.JackPortIsInput);
        out = client.registerPort(OUT, JackPortType.MIDI, JackPortFlags.JackPortIsOutput);
        client.setPortRegistrationCallback(this);
    }

    /** After activation: wires the hardware sources there are now. */
    void started() {
        rewire();
    }

    @Override
    public void portRegistered(JackClient c, String name) {
        JackSession.stayAttached();
        rewire();
    }

    @Override
    public void portUnregistered(JackClient c, String name) {
        JackSession.stayAttached();
        // JACK drops a vanished port's connections itself.
    }

    private void rewire() {
        try {
            wiring.execute(this::wireSources);
        } catch (RejectedExecutionException closing) {
            // The session is closing: nothing more to wire.
        }
    }

    /**
     * Wiring thread: connects each hardware MIDI source that is not yet connected to {@code midi_in},
     * and {@code midi_out} to each hardware MIDI sink (a synth, a drum machine or a looper plugged in
     * by USB: what the room's clock and remote players' notes are for).
     */
    private void wireSources() {
        sources = wire(JackPortFlags.JackPortIsOutput, in, true);
        sinks = wire(JackPortFlags.JackPortIsInput, out, false);
    }

    /** Connects {@code mine} with every physical MIDI port of the given direction; those now wired. */
    private List<String> wire(JackPortFlags direction, JackPort mine, boolean toMine) {
        String[] hardware;
        List<String> connected;
        try {
            hardware = jack.getPorts(client, null, JackPortType.MIDI, EnumSet.of(direction, JackPortFlags.JackPortIsPhysical));
            connected = Arrays.asList(mine.getConnections());
        } catch (JackException e) {
            LOG.log(Level.WARNING, "could not list JACK''s MIDI ports: {0}", e.getMessage());
            return toMine ? sources : sinks;
        }
        List<String> wired = new ArrayList<>();
        for (String port : hardware) {
            if (connected.contains(port)) {
                wired.add(port);
                continue;
            }
            try {
                if (toMine) {
                    jack.connect(client, port, mine.getName());
                } else {
                    jack.connect(client, mine.getName(), port);
                }
                wired.add(port);
                LOG.log(Level.INFO, toMine ? "MIDI source ''{0}'' connected to {1}" : "MIDI sink ''{0}'' connected from {1}",
                        port, mine.getName());
            } catch (JackException e) {
                LOG.log(Level.WARNING, toMine ? "MIDI source ''{0}'' could not be connected to {1}"
                        : "MIDI sink ''{0}'' could not be connected from {1}", port, mine.getName());
            }
        }
        return List.copyOf(wired);
    }

    /** The hardware MIDI sinks this session has wired from {@code midi_out} (as of its last look). */
    List<String> sinks() {
        return sinks;
    }

    /** The hardware MIDI sources this session has wired to {@code midi_in} (as of its last look). */
    List<String> sources() {
        return sources;
    }

    String inName() {
        return in.getName();
    }

    String outName() {
        return out.getName();
    }

    /**
     * Process thread, each cycle: copies the events that came in to the exchange with the frame they
     * arrived at, and writes the outgoing events due in this cycle at their offsets (late ones at
     * offset 0). Allocates nothing; never throws (a JACK error ends the cycle's MIDI, counted as a
     * fault by the caller's return).
     *
     * @return false if JACK refused a call this cycle
     */
    boolean cycle(int frames) {
        try {
            boolean first = !clock.started();
            long start = clock.extend((int) client.getLastFrameTime());
            if (first) {
                exchange.newClock();
            }
            exchange.periodStarts(start);
            receive(start);
            play(start, frames);
            return true;
        } catch (JackException | RuntimeException e) {
            return false;
        }
    }

    private void receive(long start) throws JackException {
        int count = JnaJackMidi.count(in);
        for (int i = 0; i < count; i++) {
            if (!reader.load(in, i)) {
                continue;
            }
            int size = reader.size();
            byte[] slot = exchange.arriving(size);
            if (slot != null) {
                reader.read(slot);
                exchange.arrived(start + reader.time(), size);
            }
        }
    }

    private void play(long start, int frames) throws JackException {
        JackMidi.clearBuffer(out);
        long end = start + frames;
        int offset = 0; // JACK takes a cycle's events in time order only
        byte[] data;
        while ((data = exchange.due(end)) != null) {
            long frame = exchange.dueFrame();
            int length = exchange.dueLength();
            boolean late = frame != MidiExchange.NOW && frame < start;
            offset = Math.max(offset, frame < start ? 0 : (int) (frame - start));
            if (JackMidi.maxEventSize(out) < length) {
                exchange.lost();
                continue;
            }
            JackMidi.eventWrite(out, offset, data, length);
            exchange.played(late);
        }
    }

    /** Stops the wiring thread; the ports go with the client. */
    void close() {
        wiring.shutdownNow();
        try {
            wiring.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
