package jambox.appliance.audio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jaudiolibs.jnajack.Jack;
import org.jaudiolibs.jnajack.JackClient;
import org.jaudiolibs.jnajack.JackException;
import org.jaudiolibs.jnajack.JackMidi;
import org.jaudiolibs.jnajack.JackOptions;
import org.jaudiolibs.jnajack.JackPort;
import org.jaudiolibs.jnajack.JackPortFlags;
import org.jaudiolibs.jnajack.JackPortType;
import org.jaudiolibs.jnajack.JackStatus;

/**
 * The far side of the box's MIDI ports, as a second JACK client: it plays events at absolute frames
 * of JACK's frame clock out of its {@code to} port, and notes each event that comes into its
 * {@code from} port with the frame it arrived at. Its {@code to} port can claim to be hardware
 * (physical), as a USB controller behind jackd's ALSA MIDI bridge does. It may allocate freely:
 * its process thread is not the box's.
 */
public final class MidiProbe implements AutoCloseable {
    /** An event heard, or played: its frame on JACK's clock, its offset in its period, its bytes. */
    public record Event(long frame, int offset, byte[] bytes) {
        @Override
        public String toString() {
            return frame + "@" + offset + Arrays.toString(bytes);
        }
    }

    private record Scheduled(long frame, byte[] bytes) {
    }

    private final JackClient client;
    private final JackPort to;
    private final JackPort from;
    private final ConcurrentLinkedQueue<Scheduled> schedule = new ConcurrentLinkedQueue<>();
    private final List<Event> played = new ArrayList<>(); // guarded by itself
    private final List<Event> heard = new ArrayList<>(); // guarded by itself
    private final JackMidi.Event event = new JackMidi.Event();
    private final byte[] buffer = new byte[4096];
    /** Events per period played from the process thread without a schedule (0: none). */
    private volatile int stream;
    private volatile long streamed;
    private volatile long unreadable;
    private long cycles;
    private final ProcessThreadExit processExit = new ProcessThreadExit();

    /**
     * @param name     the client's name
     * @param hardware whether {@code to} is flagged physical, as a hardware MIDI source is
     */
    public MidiProbe(String server, String name, boolean hardware) throws JackException {
        this(server, name, hardware, false);
    }

    /**
     * @param name         the client's name
     * @param hardware     whether {@code to} is flagged physical, as a hardware MIDI source is
     * @param hardwareSink whether {@code from} is flagged physical, as a hardware MIDI sink (a synth) is
     */
    public MidiProbe(String server, String name, boolean hardware, boolean hardwareSink) throws JackException {
        Jack jack = Jack.getInstance();
        client = JackServerSelector.openOn(server, () -> jack.openClient(name,
                EnumSet.of(JackOptions.JackNoStartServer), EnumSet.noneOf(JackStatus.class)));
        to = client.registerPort("to", JackPortType.MIDI, hardware
                ? EnumSet.of(JackPortFlags.JackPortIsOutput, JackPortFlags.JackPortIsPhysical, JackPortFlags.JackPortIsTerminal)
                : EnumSet.of(JackPortFlags.JackPortIsOutput));
        from = client.registerPort("from", JackPortType.MIDI, hardwareSink
                ? EnumSet.of(JackPortFlags.JackPortIsInput, JackPortFlags.JackPortIsPhysical, JackPortFlags.JackPortIsTerminal)
                : EnumSet.of(JackPortFlags.JackPortIsInput));
        client.setProcessCallback(this::process);
        client.activate();
    }

    public String toPort() {
        return to.getName();
    }

    public String fromPort() {
        return from.getName();
    }

    /** The ports connected to {@code from} now. */
    public List<String> fromConnections() throws JackException {
        return Arrays.asList(from.getConnections());
    }

    /** The ports connected to {@code to} now. */
    public List<String> toConnections() throws JackException {
        return Arrays.asList(to.getConnections());
    }

    /** Connects {@code to} to {@code port}. */
    public void sendTo(String port) throws JackException {
        Jack.getInstance().connect(client, to.getName(), port);
    }

    /** Connects {@code port} to {@code from}. */
    public void hearFrom(String port) throws JackException {
        Jack.getInstance().connect(client, port, from.getName());
    }

    /** JACK's estimate of the frame now (jack_frame_time). */
    public long frameNow() throws JackException {
        return client.getFrameTime();
    }

    /** Plays {@code bytes} at {@code frame}; events are to be scheduled in time order. */
    public void play(long frame, byte... bytes) {
        schedule.add(new Scheduled(frame, bytes.clone()));
    }

    /**
     * From now on plays {@code perPeriod} note-ons spread over each period, and every tenth period
     * a 200-byte sysex as well, with no schedule (0: stop).
     */
    public void stream(int perPeriod) {
        stream = perPeriod;
    }

    public long streamed() {
        return streamed;
    }

    /** Cycles in which JACK refused to hand an incoming event over (the buffer changed under us). */
    public long unreadable() {
        return unreadable;
    }

    /** Forgets what was played and heard so far. */
    public void clear() {
        synchronized (played) {
            played.clear();
        }
        synchronized (heard) {
            heard.clear();
        }
    }

    public List<Event> played() {
        synchronized (played) {
            return List.copyOf(played);
        }
    }

    public List<Event> heard() {
        synchronized (heard) {
            return List.copyOf(heard);
        }
    }

    private boolean process(JackClient c, int frames) {
        if (processExit.requested()) {
            return processExit.leave();
        }
        try {
            long start = c.getLastFrameTime();
            JackMidi.clearBuffer(to);
            int last = 0;
            Scheduled s;
            while ((s = schedule.peek()) != null && s.frame < start + frames) {
                schedule.poll();
                int offset = Math.max(last, (int) Math.max(0, s.frame - start));
                JackMidi.eventWrite(to, offset, s.bytes, s.bytes.length);
                last = offset;
                synchronized (played) {
                    played.add(new Event(start + offset, offset, s.bytes));
                }
            }
            int n = stream;
            if (n > 0) {
                for (int i = 0; i < n; i++) {
                    int offset = Math.max(last, i * frames / n);
                    buffer[0] = (byte) 0x90;
                    buffer[1] = (byte) (i & 0x7f);
                    buffer[2] = 100;
                    JackMidi.eventWrite(to, offset, buffer, 3);
                    last = offset;
                }
                streamed += n;
                if (cycles % 10 == 0) {
                    buffer[0] = (byte) 0xF0;
                    Arrays.fill(buffer, 1, 199, (byte) 0x55);
                    buffer[199] = (byte) 0xF7;
                    JackMidi.eventWrite(to, last, buffer, 200);
                    streamed++;
                }
            }
            cycles++;
            int count = JackMidi.getEventCount(from);
            for (int i = 0; i < count; i++) {
                try {
                    JackMidi.eventGet(event, from, i);
                } catch (JackException e) {
                    // Under load jackd2 may start the next cycle before this client finished the last:
                    // the sender then rewrites the buffer under our feet. Counted, not fatal.
                    unreadable++;
                    break;
                }
                byte[] bytes = new byte[event.size()];
                event.read(bytes);
                synchronized (heard) {
                    heard.add(new Event(start + event.time(), event.time(), bytes));
                }
            }
        } catch (JackException e) {
            throw new IllegalStateException(e);
        }
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        processExit.awaitExit(2000);
        client.close();
    }
}
