package jambox.appliance.audio;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import jambox.common.midi.MidiCounters;
import jambox.common.midi.MidiLane;
import jambox.common.midi.MidiListener;
import jambox.common.midi.MidiPorts;
import jambox.common.midi.MidiRing;

/**
 * A backend's MIDI, between the audio thread and everyone else: a ring of incoming events that a
 * delivery thread hands to the listeners, and rings of outgoing events the audio thread plays when
 * their frame comes: a shared queue, and a lane for each producer that plans ahead, merged by frame
 * time. Every ring is preallocated; the audio thread only claims, fills, reads and
 * releases their slots and bumps counters it alone writes. It outlives a JACK server restart, as
 * the engine does; each new server starts a new frame clock ({@link #newClock}).
 *
 * <p>The delivery thread polls the incoming ring every {@link #POLL_NANOS}: waking it from the
 * audio thread would take a lock inside the JVM's park/unpark.
 */
public final class MidiExchange implements MidiPorts, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MidiExchange.class.getName());
    /** Events either way that may wait: at 750 periods a second, several periods of a busy controller. */
    static final int CAPACITY = 1024;
    static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final MidiRing incoming = new MidiRing(CAPACITY, MAX_EVENT_BYTES);
    /** Producers with a lane of their own, besides the shared queue (lane 0). */
    static final int MAX_LANES = 8;

    // Lane 0 is the shared queue behind send(); the others are made by lane(). The audio thread
    // reads the first laneCount entries, each published before the count that covers it.
    private final MidiRing[] lanes = new MidiRing[MAX_LANES + 1];
    private volatile int laneCount = 1;
    private final List<Lane> named = new CopyOnWriteArrayList<>(); // the lanes made by lane(), by name
    private int dueLane; // audio: the lane of the event due() returned
    private final List<MidiListener> listeners = new CopyOnWriteArrayList<>();
    private final Object sending = new Object(); // one producer at a time for the shared queue

    {
        lanes[0] = new MidiRing(CAPACITY, MAX_EVENT_BYTES);
    }

    // Each written by one thread only (named), read by any.
    private volatile long frameTime; // audio
    private volatile long received; // audio
    private volatile long sent; // audio
    private volatile long late; // audio
    private volatile long droppedIn; // audio
    private volatile long droppedOutAudio; // audio
    private volatile long droppedOutQueue; // senders, under the sending lock
    private volatile long listenerFaults; // delivery
    private volatile long clocks; // audio: clocks begun

    private volatile boolean closed;
    private Thread delivery;

    /** Starts the delivery thread; the backend calls it once as it starts. */
    synchronized void start() {
        if (delivery == null && !closed) {
            delivery = Thread.ofPlatform().name("jambox-midi-in").daemon().start(this::deliver);
        }
    }

    private void deliver() {
        while (!closed) {
            if (!deliverWaiting()) {
                LockSupport.parkNanos(POLL_NANOS);
            }
        }
    }

    /** Hands every waiting event to the listeners; whether there was one. Delivery thread. */
    boolean deliverWaiting() {
        boolean any = false;
        byte[] data;
        while ((data = incoming.peek()) != null) {
            long frame = incoming.frame();
            int length = incoming.length();
            for (MidiListener listener : listeners) {
                try {
                    listener.received(frame, data, length);
                } catch (RuntimeException e) {
                    listenerFaults = listenerFaults + 1;
                    LOG.log(Level.WARNING, "a MIDI listener failed; it keeps hearing events", e);
                }
            }
            incoming.release();
            any = true;
        }
        return any;
    }

    @Override
    public void addListener(MidiListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(MidiListener listener) {
        listeners.remove(listener);
    }

    @Override
    public boolean send(long frame, byte[] data, int offset, int length) {
        synchronized (sending) {
            if (!offer(lanes[0], frame, data, offset, length)) {
                droppedOutQueue = droppedOutQueue + 1;
                return false;
            }
            return true;
        }
    }

    /**
     * One lane per name: asking again for a name gives back the same lane, so a producer that stops
     * and starts again (a control plane restarted on the same ports) takes its own lane back instead
     * of using up another.
     */
    @Override
    public synchronized MidiLane lane(String name) {
        Objects.requireNonNull(name, "name");
        for (Lane lane : named) {
            if (lane.name.equals(name)) {
                return lane;
            }
        }
        int n = laneCount;
        if (n == lanes.length) {
            throw new IllegalStateException("every MIDI output lane is taken (" + MAX_LANES + "): not one for " + name);
        }
        MidiRing ring = new MidiRing(CAPACITY, MAX_EVENT_BYTES);
        lanes[n] = ring;
        Lane lane = new Lane(name, ring);
        named.add(lane);
        laneCount = n + 1; // publishes the ring to the audio thread
        return lane;
    }

    /**
     * Copies one event into {@code ring}'s next slot, by its one producer: false if it is longer than
     * {@link #MAX_EVENT_BYTES} or the ring is full. Never allocates or locks.
     */
    private static boolean offer(MidiRing ring, long frame, byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (length == 0) {
            throw new IllegalArgumentException("a MIDI event has at least one byte");
        }
        byte[] slot = length <= MAX_EVENT_BYTES ? ring.claim() : null;
        if (slot == null) {
            return false;
        }
        System.arraycopy(data, offset, slot, 0, length);
        ring.publish(frame, length);
        return true;
    }

    private final class Lane implements MidiLane {
        private final String name;
        private final MidiRing ring;
        /** Events this lane refused; written by its one producer only (which may be the audio thread). */
        private volatile long dropped;

        Lane(String name, MidiRing ring) {
            this.name = name;
            this.ring = ring;
        }

        @Override
        public boolean send(long frame, byte[] data, int offset, int length) {
            if (!offer(ring, frame, data, offset, length)) {
                dropped = dropped + 1;
                return false;
            }
            return true;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return "MIDI lane " + name;
        }
    }

    @Override
    public long frameTime() {
        return frameTime;
    }

    @Override
    public MidiCounters counters() {
        long droppedOutLanes = 0;
        for (Lane lane : named) {
            droppedOutLanes += lane.dropped;
        }
        return new MidiCounters(received, sent, late, droppedIn, droppedOutAudio + droppedOutQueue + droppedOutLanes,
                listenerFaults);
    }

    /** Frame clocks begun: one per JACK server met (one for the simulated backend). */
    long clocks() {
        return clocks;
    }

    // ---- the audio thread's side ----

    /**
     * Audio thread, at the first period of a frame clock (a JACK server met): events queued for an
     * earlier clock cannot be timed on the new one, so they are dropped; those queued before the
     * first clock wait for their frame on it.
     */
    void newClock() {
        clocks = clocks + 1;
        if (clocks == 1) {
            return;
        }
        long dropped = 0;
        int n = laneCount;
        for (int i = 0; i < n; i++) {
            MidiRing lane = lanes[i];
            while (lane.peek() != null) {
                lane.release();
                dropped++;
            }
        }
        droppedOutAudio = droppedOutAudio + dropped;
    }

    /** Audio thread: a period begins at {@code frame}. */
    void periodStarts(long frame) {
        frameTime = frame;
    }

    /**
     * Audio thread: the slot for an incoming event of {@code length} bytes, to fill from index 0 and
     * then {@link #arrived}; null (and counted) if it is too long or the ring is full.
     */
    byte[] arriving(int length) {
        byte[] slot = length >= 1 && length <= MAX_EVENT_BYTES ? incoming.claim() : null;
        if (slot == null) {
            droppedIn = droppedIn + 1;
        }
        return slot;
    }

    /** Audio thread: the slot from {@link #arriving} holds an event that arrived at {@code frame}. */
    void arrived(long frame, int length) {
        incoming.publish(frame, length);
        received = received + 1;
    }

    /**
     * Audio thread: the bytes of the earliest outgoing event of every lane if it is due before
     * {@code end} (the frame after this period), else null; on a tie, the lower lane (the shared
     * queue first). Its frame is {@link #dueFrame}, its length {@link #dueLength}; then
     * {@link #played} or {@link #lost}.
     */
    byte[] due(long end) {
        int n = laneCount;
        int best = -1;
        long bestFrame = Long.MAX_VALUE;
        byte[] bestData = null;
        for (int i = 0; i < n; i++) {
            MidiRing lane = lanes[i];
            byte[] data = lane.peek();
            if (data != null && lane.frame() < end && (best < 0 || lane.frame() < bestFrame)) {
                best = i;
                bestFrame = lane.frame();
                bestData = data;
            }
        }
        dueLane = Math.max(0, best);
        return bestData;
    }

    long dueFrame() {
        return lanes[dueLane].frame();
    }

    int dueLength() {
        return lanes[dueLane].length();
    }

    /** Audio thread: the due event was written; {@code wasLate} if its frame had passed. */
    void played(boolean wasLate) {
        lanes[dueLane].release();
        sent = sent + 1;
        if (wasLate) {
            late = late + 1;
        }
    }

    /** Audio thread: the due event could not be written (the port's buffer is full). */
    void lost() {
        lanes[dueLane].release();
        droppedOutAudio = droppedOutAudio + 1;
    }

    /**
     * Audio thread of the simulated backend, each period from {@code start}: the output is looped
     * back to the input, so each event due in this period arrives at the frame it was sent for (a
     * late one, or one sent for {@link #NOW}, at the period's first frame).
     */
    void loopBack(long start, int frames) {
        periodStarts(start);
        byte[] data;
        while ((data = due(start + frames)) != null) {
            long frame = dueFrame();
            int length = dueLength();
            byte[] slot = arriving(length);
            if (slot != null) {
                System.arraycopy(data, 0, slot, 0, length);
                arrived(Math.max(frame, start), length);
            }
            played(frame != NOW && frame < start);
        }
    }

    /** Stops the delivery thread; events still waiting are not delivered. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = delivery;
        }
        if (t != null && t != Thread.currentThread()) {
            LockSupport.unpark(t);
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
