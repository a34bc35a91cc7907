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

import jambox.appliance.board.BoardFile;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.store.AtomicFiles;
import jambox.appliance.store.IoReason;

/**
 * The board as the player left it, kept in {@code <state folder>/last-board.json} so a box that
 * loses power comes back sounding the same.
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
    public static final Duration DELAY = Duration.ofSeconds(1);
    private static final System.Logger LOG = System.getLogger(LastState.class.getName());

    private final Path folder;
    private final Path file;
    private final Consumer<String> report;
    private final ScheduledExecutorService worker;
    private final AtomicReference<BoardSpec> pending = new AtomicReference<>();
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

    /** The board changed: it will be written within {@link #DELAY}. */
    public synchronized void changed(BoardSpec board) {
        Objects.requireNonNull(board);
        if (closed) {
            throw new IllegalStateException("the last state is closed");
        }
        pending.set(board);
        if (!scheduled) {
            scheduled = true;
            worker.schedule(this::writeOrReport, DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Writes the latest change now, on the caller's thread, if one is waiting. */
    public void flush() throws IOException {
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
            flush();
        } catch (IOException e) {
            report.accept(file + ": cannot save the current board: " + IoReason.of(e));
        } catch (RuntimeException e) {
            report.accept(file + ": cannot save the current board: " + e);
        }
    }
}
