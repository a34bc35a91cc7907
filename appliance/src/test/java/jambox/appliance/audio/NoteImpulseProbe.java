package jambox.appliance.audio;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

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
 * A JACK client that, when sending, puts a one-sample impulse on its audio output and a note-on
 * (note-off 32 frames later) on its MIDI output at the very same frame, every {@code interval}
 * frames; and, when listening, notes on JACK's frame clock the peak frame of each impulse that
 * comes into its audio input and the frame of each MIDI event that comes into its MIDI input. Used
 * on two servers, the sending one on box A's and the listening one on box B's, it measures how
 * well B plays A's notes with A's audio: both arrivals are on B's one clock. It may allocate: its
 * process thread is not the box's.
 */
public final class NoteImpulseProbe implements AutoCloseable {
    private static final float HEIGHT = 0.9f;
    private static final float THRESHOLD = 0.3f;
    /** Frames after the first above the threshold within which the peak is sought. */
    private static final int PEAK_WINDOW = 8;

    /** A MIDI event heard: its frame on JACK's clock and its bytes. */
    public record Event(long frame, byte[] bytes) {
    }

    private final JackClient client;
    private final JackPort audioOut;
    private final JackPort midiOut;
    private final JackPort audioIn;
    private final JackPort midiIn;
    private final int interval;
    private final List<Long> impulses = new ArrayList<>(); // guarded by itself
    private final List<Event> events = new ArrayList<>(); // guarded by impulses
    private final JackMidi.Event event = new JackMidi.Event();
    private final byte[] note = new byte[3];
    private volatile boolean sending;
    private volatile boolean listening;
    private volatile long sent;
    private long offAt = -1;
    private int noteNumber;
    private long peakUntil = -1;
    private long peakFrame;
    private float peak;
    private long quietUntil;
    private long lastStart = -1;
    private volatile long missedWhileListening;
    private final ProcessThreadExit processExit = new ProcessThreadExit();

    public NoteImpulseProbe(String server, String name, int interval) throws JackException {
        this.interval = interval;
        Jack jack = Jack.getInstance();
        client = JackServerSelector.openOn(server, () -> jack.openClient(name,
                EnumSet.of(JackOptions.JackNoStartServer), EnumSet.noneOf(JackStatus.class)));
        audioOut = client.registerPort("to_1", JackPortType.AUDIO, JackPortFlags.JackPortIsOutput);
        midiOut = client.registerPort("to_midi", JackPortType.MIDI, JackPortFlags.JackPortIsOutput);
        audioIn = client.registerPort("from_1", JackPortType.AUDIO, JackPortFlags.JackPortIsInput);
        midiIn = client.registerPort("from_midi", JackPortType.MIDI, JackPortFlags.JackPortIsInput);
        client.setProcessCallback(this::process);
        client.setBuffersizeCallback((c, frames) -> JnaJackPorts.forgetBuffers(audioOut, audioIn));
        client.activate();
    }

    /** Impulses into {@code box}'s in_1, notes into its midi_in. */
    public void feed(String box) throws JackException {
        Jack jack = Jack.getInstance();
        jack.connect(client, audioOut.getName(), box + ":in_1");
        jack.connect(client, midiOut.getName(), box + ":" + JackMidiPorts.IN);
    }

    /** {@code box}'s out_1 and midi_out are listened to. */
    public void hear(String box) throws JackException {
        Jack jack = Jack.getInstance();
        jack.connect(client, box + ":out_1", audioIn.getName());
        jack.connect(client, box + ":" + JackMidiPorts.OUT, midiIn.getName());
    }

    public void send(boolean on) {
        sending = on;
    }

    /** Impulse-and-note pairs sent. */
    public long sent() {
        return sent;
    }

    /** Forgets what was heard and notes arrivals from now on. */
    public void listen() {
        synchronized (impulses) {
            impulses.clear();
            events.clear();
        }
        missedWhileListening = 0;
        listening = true;
    }

    /**
     * Periods of the JACK clock this probe's process callback never saw while listening (a jump in
     * its frame clock between two calls: the server skipped the probe when the cycle ran late).
     * What came out of the box in such a period, an impulse or a note, the probe did not hear.
     */
    public long missedWhileListening() {
        return missedWhileListening;
    }

    /** The peak frame of each impulse heard since {@link #listen}. */
    public List<Long> impulses() {
        synchronized (impulses) {
            return List.copyOf(impulses);
        }
    }

    /** The MIDI events heard since {@link #listen}. */
    public List<Event> events() {
        synchronized (impulses) {
            return List.copyOf(events);
        }
    }

    private boolean process(JackClient c, int frames) {
        if (processExit.requested()) {
            return processExit.leave();
        }
        try {
            long start = c.getLastFrameTime();
            if (listening && lastStart >= 0 && start != lastStart + frames) {
                // at least one period; more if the clock moved on by several
                missedWhileListening = missedWhileListening + Math.max(1, (start - lastStart - frames) / frames);
            }
            lastStart = start;
            JackMidi.clearBuffer(midiOut);
            var out = audioOut.getFloatBuffer();
            var in = audioIn.getFloatBuffer();
            boolean send = sending;
            for (int i = 0; i < frames; i++) {
                long frame = start + i;
                boolean impulse = send && frame % interval == 0;
                out.put(i, impulse ? HEIGHT : 0f);
                if (offAt == frame) {
                    note[0] = (byte) 0x80;
                    note[2] = 0;
                    JackMidi.eventWrite(midiOut, i, note, 3);
                    offAt = -1;
                }
                if (impulse) {
                    note[0] = (byte) 0x90;
                    note[1] = (byte) (noteNumber++ & 0x7f);
                    note[2] = 100;
                    JackMidi.eventWrite(midiOut, i, note, 3);
                    offAt = frame + 32;
                    sent++;
                }
            }
            if (!listening) {
                return true;
            }
            for (int i = 0; i < frames; i++) {
                long frame = start + i;
                float v = in.get(i);
                if (peakUntil < 0 && frame >= quietUntil && v > THRESHOLD) {
                    peakUntil = frame + PEAK_WINDOW;
                    peak = 0;
                }
                if (peakUntil >= 0) {
                    if (v > peak) {
                        peak = v;
                        peakFrame = frame;
                    }
                    if (frame >= peakUntil) {
                        synchronized (impulses) {
                            impulses.add(peakFrame);
                        }
                        peakUntil = -1;
                        quietUntil = frame + interval / 2;
                    }
                }
            }
            int count = JackMidi.getEventCount(midiIn);
            for (int i = 0; i < count; i++) {
                JackMidi.eventGet(event, midiIn, i);
                byte[] bytes = new byte[event.size()];
                event.read(bytes);
                synchronized (impulses) {
                    events.add(new Event(start + event.time(), bytes));
                }
            }
        } catch (JackException e) {
            return true; // a cycle lost to the probe: what it misses shows as a missing pair
        }
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        processExit.awaitExit(2000);
        client.close();
    }
}
