package jambox.appliance.preset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jambox.appliance.board.BoardFile;
import jambox.appliance.board.BoardSpec;
import jambox.common.AtomicFiles;
import jambox.appliance.store.IoReason;
import jambox.protocol.message.Tempo;

/**
 * The board as the player left it, kept in {@code <state folder>/last-board.json} so a box that
 * loses power comes back sounding the same; and the metronome's settings, in {@code metronome.json}.
 *
 * <p>A change is not written at once: the first change after a write schedules the next one
 * {@link #DELAY} later, and every change until then only replaces what it will write. Turning a
 * knob through a hundred values costs one write a second (an SD card wears), and a power cut loses
 * at most the last second. Writes happen on one daemon thread of this object's own.
 *
 * <p>File I/O: never call from the audio thread. {@link #changed} may be called from any control thread.
 */
public final class LastState implements AutoCloseable {
    public static final String FILE = "last-board.json";
    public static final String SET_ASIDE = FILE + ".bad";
    public static final String METRONOME_FILE = "metronome.json";
    public static final Duration DELAY = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(LastState.class.getName());

    private final Path folder;
    private final Path file;
    private final Consumer<String> report;
    private final ScheduledExecutorService worker;
    private final AtomicReference<BoardSpec> pending = new AtomicReference<>();
    private final AtomicReference<Metronome> pendingMetronome = new AtomicReference<>();
    private final Object writing = new Object();
    private boolean closed; // guarded by this
    private boolean scheduled; // guarded by this
    private long writes; // guarded by writing

    /**
     * @param stateFolder where {@value #FILE} lives ({@code /var/lib/jambox} on the box); created on the first write
     * @param report      gets each problem as a sentence naming the file and what is wrong with it
     */
    public LastState(Path stateFolder, Consumer<String> report) {
        this.folder = stateFolder.toAbsolutePath();
        this.file = folder.resolve(FILE);
        this.report = Objects.requireNonNull(report);
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jambox-last-state");
            t.setDaemon(true);
            return t;
        });
    }

    /** Problems go to the log as warnings. */
    public LastState(Path stateFolder) {
        this(stateFolder, problem -> LOG.log(System.Logger.Level.WARNING, problem));
    }

    public Path file() {
        return file;
    }

    /**
     * The board saved last time, if there is one. A file that is not a board is reported, moved
     * aside to {@value #SET_ASIDE} (so the next write cannot destroy what someone may want to look
     * at) and empty is returned: the caller starts from its default board. Call once, at start,
     * before any {@link #changed}.
     */
    public Optional<BoardSpec> restore() {
        try {
            AtomicFiles.removeLeftovers(folder, FILE);
        } catch (IOException e) {
            report.accept(folder + ": cannot remove the temporary files a crash left: " + IoReason.of(e));
        }
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(BoardFile.read(file));
        } catch (BoardFile.BadBoardException bad) {
            Path aside = folder.resolve(SET_ASIDE);
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                report.accept(bad.getMessage() + "; moved it to " + aside + " and started from the default board");
            } catch (IOException e) {
                report.accept(bad.getMessage() + "; started from the default board (could not move the file aside: "
                        + IoReason.of(e) + ")");
            }
            return Optional.empty();
        }
    }

    /** The metronome as the player set it: tempo (bpm), bar, level and accent (dB), and whether it clicks. */
    public record Metronome(double bpm, int beatsPerBar, double levelDb, double accentDb, boolean on) {
        public static final Metronome DEFAULT = new Metronome(120, 4, -12, 6, false);
        /** The longest bar the box's own metronome is set to (a room's may be longer: {@link Tempo#MAX_BEATS_PER_BAR}). */
        public static final int MAX_BEATS_PER_BAR = 12;

        /** The settings' ranges, as the commands check them; a sentence saying what is wrong, or null. */
        public String problem() {
            if (!Tempo.validBpm(bpm)) {
                return Tempo.outOfRange(bpm);
            }
            if (beatsPerBar < 1 || beatsPerBar > MAX_BEATS_PER_BAR) {
                return "beatsPerBar " + beatsPerBar + " is outside 1 .. " + MAX_BEATS_PER_BAR;
            }
            if (!(levelDb >= -60 && levelDb <= 0)) {
                return "levelDb " + levelDb + " is outside -60 .. 0";
            }
            if (!(accentDb >= 0 && accentDb <= 12)) {
                return "accentDb " + accentDb + " is outside 0 .. 12";
            }
            return null;
        }
    }

    /**
     * The metronome saved last time, if there is one. A file that cannot be read or holds a value
     * out of range is reported and ignored (the defaults hold; the next change replaces it).
     */
    public Optional<Metronome> restoreMetronome() {
        Path m = folder.resolve(METRONOME_FILE);
        try {
            AtomicFiles.removeLeftovers(folder, METRONOME_FILE);
        } catch (IOException e) {
            report.accept(folder + ": cannot remove the temporary files a crash left: " + IoReason.of(e));
        }
        if (!Files.exists(m)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(m.toFile());
            Metronome read = new Metronome(number(n, "bpm"), (int) whole(n, "beatsPerBar"), number(n, "levelDb"),
                    number(n, "accentDb"), bool(n, "on"));
            String problem = read.problem();
            if (problem != null) {
                throw new IOException(problem);
            }
            return Optional.of(read);
        } catch (IOException e) {
            report.accept(m + ": " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException ? "not valid JSON"
                    : IoReason.of(e)) + "; the metronome starts from its defaults");
            return Optional.empty();
        }
    }

    private static double number(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber()) {
            throw new IOException("'" + field + "' is missing or not a number");
        }
        return v.doubleValue();
    }

    private static long whole(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IOException("'" + field + "' is missing or not a whole number");
        }
        return v.intValue();
    }

    private static boolean bool(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isBoolean()) {
            throw new IOException("'" + field + "' is missing or not true or false");
        }
        return v.booleanValue();
    }

    /** The metronome changed: it will be written within {@link #DELAY}, as the board is. */
    public synchronized void changed(Metronome metronome) {
        Objects.requireNonNull(metronome);
        if (closed) {
            throw new IllegalStateException("the last state is closed");
        }
        pendingMetronome.set(metronome);
        schedule();
    }

    /** The board changed: it will be written within {@link #DELAY}. */
    public synchronized void changed(BoardSpec board) {
        Objects.requireNonNull(board);
        if (closed) {
            throw new IllegalStateException("the last state is closed");
        }
        pending.set(board);
        schedule();
    }

    private void schedule() { // under this
        if (!scheduled) {
            scheduled = true;
            worker.schedule(this::writeOrReport, DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Writes the latest changes now, on the caller's thread, if any are waiting. */
    public void flush() throws IOException {
        try {
            flushMetronome();
        } finally {
            flushBoard();
        }
    }

    private void flushBoard() throws IOException {
        // Taking and writing under one lock keeps an older board from landing after a newer one.
        synchronized (writing) {
            BoardSpec board = pending.getAndSet(null);
            if (board == null) {
                return;
            }
            try {
                Files.createDirectories(folder);
                AtomicFiles.write(file, BoardFile.write(board));
                writes++;
            } catch (IOException e) {
                pending.compareAndSet(null, board); // the next change or flush tries again
                throw e;
            }
        }
    }

    private void flushMetronome() throws IOException {
        synchronized (writing) {
            Metronome m = pendingMetronome.getAndSet(null);
            if (m == null) {
                return;
            }
            try {
                Files.createDirectories(folder);
                ObjectNode n = JSON.createObjectNode().put("bpm", m.bpm()).put("beatsPerBar", m.beatsPerBar())
                        .put("levelDb", m.levelDb()).put("accentDb", m.accentDb()).put("on", m.on());
                AtomicFiles.write(folder.resolve(METRONOME_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
            } catch (IOException e) {
                pendingMetronome.compareAndSet(null, m);
                throw e;
            }
        }
    }

    /** Writes what is waiting and stops the worker; later changes are refused. */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            closed = true;
        }
        try {
            flush();
        } finally {
            worker.shutdownNow();
        }
    }

    /** How many times the board has been written: lets a test see that a burst of changes was one write. */
    long writes() {
        synchronized (writing) {
            return writes;
        }
    }

    private void writeOrReport() {
        synchronized (this) {
            scheduled = false; // a change from now on needs a write of its own
        }
        try {
            flushMetronome();
        } catch (IOException | RuntimeException e) {
            report.accept(folder.resolve(METRONOME_FILE) + ": cannot save the metronome: "
                    + (e instanceof IOException io ? IoReason.of(io) : e.toString()));
        }
        try {
            flushBoard();
        } catch (IOException e) {
            report.accept(file + ": cannot save the current board: " + IoReason.of(e));
        } catch (RuntimeException e) {
            report.accept(file + ": cannot save the current board: " + e);
        }
    }
}
