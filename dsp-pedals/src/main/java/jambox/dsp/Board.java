package jambox.dsp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import jambox.dsp.ir.IrBank;

/**
 * One input channel's ordered chain of pedals.
 *
 * <p>The audio thread calls {@link #process}; it reads the chain through one volatile field and
 * never allocates or waits. Control threads edit the chain while audio runs: every edit builds a
 * new array off the audio thread and publishes it in one write. So that no edit clicks, a pedal
 * that is moved or removed is first faded out (and a moved one faded back in), a new pedal fades
 * in, and a load fades the old pedals out and the new ones in. Edits are serialised among
 * themselves; a board that is not being processed applies them at once.
 */
public final class Board {
    /**
     * The most pedals one chain holds: more is a mistake, not a sound (and each pedal costs memory
     * and a share of the period). Every way onto a board (a command, a preset, a board file) stops here.
     */
    public static final int MAX_PEDALS = 16;
    /** A board not processed for this long is not running: edits apply at once. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(40);
    /** Upper bound on any wait for a fade, whatever the audio thread does. */
    private static final long FADE_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final float sampleRate;
    private final int maxBlock;
    private final Transport transport;
    private final IrBank irs;
    /**
     * What pedals send to the player's headphones only, not to the room (a looper set to keep its
     * loop local), for the engine to add after the room has taken its copy; zeroed each block.
     */
    private final float[] aside;
    private volatile Pedal[] chain = new Pedal[0];
    private volatile long lastBlockNanos = System.nanoTime() - 2 * IDLE_NANOS;

    /** A board with a clock of its own that nobody sets (its pedals have no tempo) and an empty bank. */
    public Board(float sampleRate, int maxBlock) {
        this(sampleRate, maxBlock, new Transport(), new IrBank());
    }

    /** A board whose pedals keep time with {@code transport} and choose impulse responses from {@code irs}. */
    public Board(float sampleRate, int maxBlock, Transport transport, IrBank irs) {
        this.sampleRate = sampleRate;
        this.maxBlock = maxBlock;
        this.transport = transport;
        this.irs = irs;
        this.aside = new float[maxBlock];
    }

    public Transport transport() {
        return transport;
    }

    public IrBank irs() {
        return irs;
    }

    public float sampleRate() {
        return sampleRate;
    }

    public int maxBlock() {
        return maxBlock;
    }

    // ---- audio thread ----

    /** Runs {@code n} samples of {@code buf} through the chain, in place. */
    public void process(float[] buf, int n) {
        java.util.Arrays.fill(aside, 0, n, 0f);
        Pedal[] c = chain;
        for (Pedal p : c) {
            p.run(buf, n);
        }
        lastBlockNanos = System.nanoTime();
    }

    /**
     * Audio thread, after {@link #process}: the block's sound for the headphones only (see
     * {@link Pedal#aside}), its first {@code n} samples; silence when no pedal keeps anything local.
     */
    public float[] aside() {
        return aside;
    }

    /** True while the audio thread is processing this board. */
    public boolean running() {
        return System.nanoTime() - lastBlockNanos < IDLE_NANOS;
    }

    // ---- control side ----

    /** The pedals in order (a copy). */
    public List<Pedal> pedals() {
        return List.of(chain);
    }

    /**
     * The delay the chain adds now, in samples at {@link #sampleRate()}: the sum of its engaged
     * (not bypassed) pedals' {@link Pedal#latencySamples()}. Any thread; a bypass switched a moment
     * ago counts at once, though its crossfade takes {@link Pedal#FADE_SECONDS}.
     */
    public double latencySamples() {
        double sum = 0;
        for (Pedal p : chain) {
            if (!p.isBypassed()) {
                sum += p.latencySamples();
            }
        }
        return sum;
    }

    public int size() {
        return chain.length;
    }

    public Pedal get(int index) {
        return chain[checkIndex(index, chain.length)];
    }

    /** Makes a pedal of the type, prepared for this board, not yet on it. */
    public Pedal create(PedalType type) {
        Pedal p = type.create();
        p.attach(transport, irs, aside);
        p.prepare(sampleRate, maxBlock);
        return p;
    }

    /** Puts a pedal (prepared by {@link #create}) at {@code index}; it fades in. */
    public synchronized void insert(int index, Pedal pedal) {
        Pedal[] old = chain;
        checkIndex(index, old.length + 1);
        if (List.of(old).contains(pedal)) {
            throw new IllegalArgumentException(pedal + " is already on this board");
        }
        if (old.length >= MAX_PEDALS) {
            throw new IllegalStateException("a chain holds at most " + MAX_PEDALS + " pedals");
        }
        if (running()) {
            pedal.startSilent();
        }
        Pedal[] next = new Pedal[old.length + 1];
        System.arraycopy(old, 0, next, 0, index);
        next[index] = pedal;
        System.arraycopy(old, index, next, index + 1, old.length - index);
        chain = next;
    }

    /** Appends a pedal (prepared by {@link #create}); it fades in. */
    public void add(Pedal pedal) {
        insert(size(), pedal);
    }

    /** Fades the pedal at {@code index} out, then takes it off the board. */
    public synchronized Pedal remove(int index) {
        Pedal[] old = chain;
        Pedal gone = old[checkIndex(index, old.length)];
        fadeOut(List.of(gone));
        Pedal[] next = new Pedal[old.length - 1];
        System.arraycopy(old, 0, next, 0, index);
        System.arraycopy(old, index + 1, next, index, old.length - index - 1);
        chain = next;
        gone.hold(false);
        return gone;
    }

    /** Moves a pedal: it fades out, changes place, and fades back in. */
    public synchronized void move(int from, int to) {
        Pedal[] old = chain;
        checkIndex(from, old.length);
        checkIndex(to, old.length);
        if (from == to) {
            return;
        }
        Pedal moving = old[from];
        fadeOut(List.of(moving));
        List<Pedal> order = new ArrayList<>(List.of(old));
        order.remove(from);
        order.add(to, moving);
        chain = order.toArray(new Pedal[0]);
        moving.hold(false);
    }

    /** Replaces the whole chain: the old pedals fade out, the new ones (from {@link #create}) fade in. */
    public synchronized void load(List<Pedal> pedals) {
        if (pedals.size() > MAX_PEDALS) {
            throw new IllegalArgumentException("a chain holds at most " + MAX_PEDALS + " pedals, not " + pedals.size());
        }
        if (pedals.stream().distinct().count() != pedals.size()) {
            throw new IllegalArgumentException("a pedal appears twice in the chain");
        }
        Pedal[] old = chain;
        fadeOut(List.of(old));
        if (running()) {
            for (Pedal p : pedals) {
                p.startSilent();
            }
        }
        chain = pedals.toArray(new Pedal[0]);
        for (Pedal p : old) {
            p.hold(false);
        }
    }

    private void fadeOut(List<Pedal> pedals) {
        for (Pedal p : pedals) {
            p.hold(true);
        }
        long start = System.nanoTime();
        while (running() && !pedals.stream().allMatch(Pedal::isSilent)) {
            if (System.nanoTime() - start > FADE_TIMEOUT_NANOS) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private static int checkIndex(int index, int size) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("position " + index + " is not on a board of " + size + " pedals");
        }
        return index;
    }
}
