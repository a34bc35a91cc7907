package jambox.bench.latency;

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

import jambox.appliance.audio.JackServerSelector;
import jambox.appliance.audio.ProcessThreadExit;

/**
 * A JACK client that sends a one-sample impulse at the start of every window of {@code interval}
 * frames into any input port and, for each window, notes where the loudest sample of what comes
 * back from any output port lies. The loudest sample, not the first above a fixed threshold: a
 * pedal board turns the impulse into a response 40 dB down whose peak lies after its start (the
 * overdrive's oversampling filters, the cabinet), and that peak is when the player hears the note.
 * Both ends are read on JACK's frame clock, so there is no second clock to reconcile.
 *
 * <p>With MIDI ({@link #wireMidi}), each impulse goes with a note-on (and its note-off) played into
 * a MIDI input in the very same frame, and each window also notes where the first note-on that
 * comes back from a MIDI output lies: how far the note lands from the sound it was played with.
 */
final class PeakProbe implements AutoCloseable {
    private static final float HEIGHT = 0.9f;
    /** Quieter than this, a window heard nothing (-60 dBFS; the default board's response peaks near -40). */
    private static final float FLOOR = 0.001f;

    private final JackClient client;
    private final JackPort send;
    private final JackPort receive;
    private final int interval;
    private final long[] heard = new long[4096];
    /** Per measured window, the first note-on's distance from the impulse; Long.MIN_VALUE: none came. */
    private final long[] notes = new long[4096];
    private final JackPort midiSend;
    private final JackPort midiReceive;
    private final JackMidi.Event event = new JackMidi.Event();
    private final byte[] note = {(byte) 0x90, 60, 100};
    private final byte[] noteOff = {(byte) 0x80, 60, 0};
    private long noteOffset = Long.MIN_VALUE;
    private volatile int count;
    private volatile long listenFrom = Long.MAX_VALUE;
    private volatile long lastFrame = -1;
    private long window = -1;
    private float peak;
    private long peakOffset;
    private final ProcessThreadExit processExit = new ProcessThreadExit();

    PeakProbe(String server, String name, int interval) throws JackException {
        this.interval = interval;
        Jack jack = Jack.getInstance();
        client = JackServerSelector.openOn(server, () -> jack.openClient(name,
                EnumSet.of(JackOptions.JackNoStartServer), EnumSet.noneOf(JackStatus.class)));
        send = client.registerPort("to_1", JackPortType.AUDIO, JackPortFlags.JackPortIsOutput);
        receive = client.registerPort("from_1", JackPortType.AUDIO, JackPortFlags.JackPortIsInput);
        midiSend = client.registerPort("midi_to", JackPortType.MIDI, JackPortFlags.JackPortIsOutput);
        midiReceive = client.registerPort("midi_from", JackPortType.MIDI, JackPortFlags.JackPortIsInput);
        client.setProcessCallback(this::process);
        client.activate();
    }

    /** Impulses into the input port {@code into}; the output port {@code from} is listened to. */
    void wire(String into, String from) throws JackException {
        Jack jack = Jack.getInstance();
        jack.connect(client, send.getName(), into);
        jack.connect(client, from, receive.getName());
    }

    /** Notes with the impulses into the MIDI input port {@code into}; the MIDI output port {@code from} is listened to. */
    void wireMidi(String into, String from) throws JackException {
        Jack jack = Jack.getInstance();
        jack.connect(client, midiSend.getName(), into);
        jack.connect(client, from, midiReceive.getName());
    }

    private boolean process(JackClient c, int frames) {
        if (processExit.requested()) {
            return processExit.leave();
        }
        long start;
        try {
            start = c.getLastFrameTime();
        } catch (JackException e) {
            return true;
        }
        long noteFrame = Long.MIN_VALUE;
        try {
            JackMidi.clearBuffer(midiSend);
            int events = JackMidi.getEventCount(midiReceive);
            for (int k = 0; k < events && noteFrame == Long.MIN_VALUE; k++) {
                JackMidi.eventGet(event, midiReceive, k);
                if (event.size() == 3) {
                    event.read(buffer);
                    if ((buffer[0] & 0xF0) == 0x90 && buffer[2] != 0) {
                        noteFrame = start + event.time();
                    }
                }
            }
        } catch (JackException e) {
            noteFrame = Long.MIN_VALUE; // a cycle's MIDI lost: that window counts no note
        }
        for (int i = 0; i < frames; i++) {
            long frame = start + i;
            long w = frame / interval;
            if (w != window) {
                long windowStart = window * interval;
                if (window >= 0 && windowStart >= listenFrom && peak >= FLOOR && count < heard.length) {
                    heard[count] = peakOffset;
                    notes[count] = noteOffset;
                    count = count + 1;
                }
                window = w;
                peak = 0f;
                noteOffset = Long.MIN_VALUE;
            }
            if (frame == noteFrame && noteOffset == Long.MIN_VALUE) {
                noteOffset = frame - w * interval;
            }
            boolean impulse = frame % interval == 0;
            send.getFloatBuffer().put(i, impulse ? HEIGHT : 0f);
            if (impulse) {
                try {
                    JackMidi.eventWrite(midiSend, i, note, 3);
                    JackMidi.eventWrite(midiSend, i, noteOff, 3);
                } catch (JackException e) {
                    // this window's note is missing: counted as no note
                }
            }
            float v = Math.abs(receive.getFloatBuffer().get(i));
            if (v > peak) {
                peak = v;
                peakOffset = frame - w * interval;
            }
        }
        lastFrame = start + frames;
        return true;
    }

    /** Forgets what was heard; windows starting from the next cycle on are measured. */
    void listen() {
        count = 0;
        listenFrom = lastFrame + interval; // a whole window after now: never a window already half seen
    }

    /** Windows measured since {@link #listen} in which something was heard. */
    int heard() {
        return count;
    }

    /** JACK's frame clock at the end of the last cycle the probe ran. */
    long frameTime() {
        return lastFrame;
    }

    /** Each measured window's latency in frames: its loudest sample's distance from the impulse. */
    List<Long> latencies() {
        List<Long> out = new ArrayList<>();
        int n = count;
        for (int i = 0; i < n; i++) {
            out.add(heard[i]);
        }
        return out;
    }

    /**
     * Each measured window's note-on distance from the impulse's loudest sample at the output, in
     * frames (note minus sound); windows where no note came are left out.
     */
    List<Long> noteAlignments() {
        List<Long> out = new ArrayList<>();
        int n = count;
        for (int i = 0; i < n; i++) {
            if (notes[i] != Long.MIN_VALUE) {
                out.add(notes[i] - heard[i]);
            }
        }
        return out;
    }

    private final byte[] buffer = new byte[3];

    @Override
    public void close() throws InterruptedException {
        processExit.awaitExit(2000);
        client.close();
    }
}
