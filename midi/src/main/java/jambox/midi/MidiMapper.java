package jambox.midi;

import jambox.surface.SoftTakeover;
import jambox.surface.Target;
import jambox.surface.Target.Kind;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * MIDI messages to surface intents, through the {@link MidiMap}: an absolute CC moves its target
 * (once it has caught the box's value: {@link SoftTakeover}, as the pots do), a relative CC steps
 * it, a note-on, a switch CC or a program change presses, a program change no binding claims loads
 * a preset by number. MIDI learn binds the next control moved to a target.
 *
 * <p>Threads. {@link #receive} runs on one thread, the MIDI thread (never the audio thread: the JACK
 * port hands its events over a ring first); the listener is called there. Every other method may be
 * called from any thread and only leaves a note for the MIDI thread (a map to use in a volatile field,
 * the box's values in a concurrent map holding the latest per target, a learn armed in an atomic
 * reference), so none of them waits for the other side's work, and {@link #receive} never waits for
 * the control thread.
 */
public final class MidiMapper {

    private final MidiListener listener;
    private final Travel travel;
    private final LongSupplier nanoTime;

    /** The map to use, from any thread; the MIDI thread notices a new one at its next message. */
    private volatile MidiMap map;
    /** The box's latest value per target, not yet seen by the MIDI thread: at most one per target. */
    private final Map<Target, Double> reported = new ConcurrentHashMap<>();
    private final AtomicReference<Learning> learning = new AtomicReference<>();
    private volatile MidiMessage last;
    private volatile long ignored;

    // ---- the MIDI thread's own ----
    private MidiMap inUse;
    /** Per binding of {@link #inUse}, by index: its soft takeover (absolute CCs on a value only). */
    private SoftTakeover[] takeovers = new SoftTakeover[0];
    /** Every value the box has reported, so the faders of a new map know them at once. */
    private final Map<Target, Double> known = new HashMap<>();

    /** An armed learn: the target, when it gives up, and who hears of the new map. */
    private record Learning(Target target, long deadlineNanos, Consumer<MidiMap> learned) {}

    public MidiMapper(MidiMap map, MidiListener listener, Travel travel) {
        this(map, listener, travel, System::nanoTime);
    }

    MidiMapper(MidiMap map, MidiListener listener, Travel travel, LongSupplier nanoTime) {
        this.map = Objects.requireNonNull(map, "map");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.travel = Objects.requireNonNull(travel, "travel");
        this.nanoTime = nanoTime;
    }

    /** The map in use (or about to be); any thread. */
    public MidiMap map() {
        return map;
    }

    /** Uses {@code map} from the next message on; any thread. Faders of the new map start by catching the box's values. */
    public void use(MidiMap map) {
        this.map = Objects.requireNonNull(map, "map");
    }

    /** The box's value of {@code target} now, 0..1 on its travel (a preset loaded, the page turned it); any thread. */
    public void current(Target target, double position) {
        reported.put(target, position);
    }

    /**
     * Arms MIDI learn: the next CC, note-on or program change on any channel that can drive
     * {@code target} (a value: only a CC; a press: any of the three) is bound to it, on the channel
     * it came on, replacing every binding of that source; the map is then used and handed to
     * {@code learned} on the MIDI thread. That message does nothing else. A new learn replaces an
     * armed one; after {@code timeout} it gives up. Any thread.
     */
    public void learn(Target target, Duration timeout, Consumer<MidiMap> learned) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(learned, "learned");
        learning.set(new Learning(target, nanoTime.getAsLong() + timeout.toNanos(), learned));
    }

    /** Disarms MIDI learn, if armed; any thread. */
    public void cancelLearn() {
        learning.set(null);
    }

    /** The target a learn is armed for, or null (none, or it timed out); any thread. */
    public Target learning() {
        Learning l = learning.get();
        if (l != null && nanoTime.getAsLong() - l.deadlineNanos > 0) {
            learning.compareAndSet(l, null);
            return null;
        }
        return l == null ? null : l.target;
    }

    /** The last CC, note or program change received, on any channel, bound or not; null before the first. Any thread. */
    public MidiMessage last() {
        return last;
    }

    /** Messages that were malformed or of a kind the map does not use (clock, sysex, pitch bend...). */
    public long ignored() {
        return ignored;
    }

    /**
     * One whole MIDI message, {@code length} bytes from {@code offset} (JACK delivers whole messages:
     * no running status). On the MIDI thread only.
     */
    public void receive(byte[] bytes, int offset, int length) {
        MidiMessage m = MidiMessage.parse(bytes, offset, length);
        if (m == null) {
            ignored++;
            return;
        }
        last = m;
        follow();
        if (learned(m)) {
            return;
        }
        switch (m.type()) {
            case CC -> cc(m);
            case NOTE_ON -> {
                Binding b = inUse.find(Source.Kind.NOTE, m.number(), m.channel());
                if (b != null) {
                    press(b);
                }
            }
            case PROGRAM -> {
                Binding b = inUse.find(Source.Kind.PROGRAM, m.number(), m.channel());
                if (b != null) {
                    press(b);
                } else {
                    int index = inUse.programs().presetIndex(m.number(), m.channel());
                    if (index >= 0) {
                        listener.loadPreset(index);
                    }
                }
            }
            case NOTE_OFF -> { }
        }
    }

    /** Takes up a new map and the box's values reported since the last message. */
    private void follow() {
        MidiMap wanted = map;
        if (wanted != inUse) {
            inUse = wanted;
            takeovers = new SoftTakeover[wanted.bindings().size()];
            for (int i = 0; i < takeovers.length; i++) {
                Binding b = wanted.bindings().get(i);
                if (b.source().kind() == Source.Kind.CC && b.relative() == null && MapRules.VALUES.contains(b.target().kind())) {
                    takeovers[i] = new SoftTakeover();
                    Double value = known.get(b.target());
                    if (value != null) {
                        takeovers[i].current(value);
                    }
                }
            }
        }
        for (Iterator<Map.Entry<Target, Double>> it = reported.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Target, Double> e = it.next();
            it.remove();
            known.put(e.getKey(), e.getValue());
            for (int i = 0; i < takeovers.length; i++) {
                if (takeovers[i] != null && inUse.bindings().get(i).target().equals(e.getKey())) {
                    takeovers[i].current(e.getValue());
                }
            }
        }
    }

    private boolean learned(MidiMessage m) {
        Learning l = learning.get();
        if (l == null) {
            return false;
        }
        if (nanoTime.getAsLong() - l.deadlineNanos > 0) {
            learning.compareAndSet(l, null);
            return false;
        }
        boolean value = MapRules.VALUES.contains(l.target.kind());
        Source source = switch (m.type()) {
            case CC -> Source.cc(m.number(), m.channel());
            case NOTE_ON -> value ? null : Source.note(m.number(), m.channel());
            case PROGRAM -> value ? null : Source.program(m.number(), m.channel());
            case NOTE_OFF -> null;
        };
        if (source == null || !learning.compareAndSet(l, null)) {
            return false;
        }
        MidiMap bound = inUse.bind(Binding.of(source, l.target));
        // Only if nobody swapped the map meanwhile: a map set from the page wins over a learn.
        if (map == inUse) {
            map = bound;
            follow();
            l.learned.accept(bound);
        }
        return true;
    }

    private void cc(MidiMessage m) {
        int i = indexOf(Source.Kind.CC, m.number(), m.channel());
        if (i < 0) {
            return;
        }
        Binding b = inUse.bindings().get(i);
        if (b.relative() != null) {
            int steps = b.relative().steps(m.value());
            if (steps != 0) {
                listener.relative(b.target(), b.target().kind() == Kind.PRESET ? Integer.signum(steps) : steps);
            }
        } else if (b.isPress()) {
            if (m.value() >= 64) { // a switch pressed; its release (below 64) does nothing
                press(b);
            }
        } else {
            double travelled = m.value() / 127.0;
            double position = b.range() == null ? travelled : b.range().position(b.target(), travelled, travel);
            if (!Double.isNaN(position)) {
                position = Math.max(0, Math.min(1, position));
                if (takeovers[i].moved(position)) {
                    listener.absolute(b.target(), position);
                }
            }
        }
    }

    private int indexOf(Source.Kind kind, int number, int channel) {
        var bindings = inUse.bindings();
        for (int i = 0; i < bindings.size(); i++) {
            if (bindings.get(i).source().matches(kind, number, channel)) {
                return i;
            }
        }
        return -1;
    }

    private void press(Binding b) {
        if (b.target().kind() != Kind.PRESET) {
            listener.pressed(b.target());
        } else if (b.preset() == Binding.NEXT) {
            listener.pressed(b.target());
        } else if (b.preset() == Binding.PREVIOUS) {
            listener.relative(b.target(), -1);
        } else {
            listener.loadPreset(b.preset() - 1);
        }
    }
}
