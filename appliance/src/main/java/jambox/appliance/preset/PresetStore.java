package jambox.appliance.preset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jambox.appliance.board.BoardFile;
import jambox.appliance.board.BoardSpec;
import jambox.common.AtomicFiles;
import jambox.appliance.store.IoReason;
import jambox.appliance.store.JsonRules;

/**
 * The player's presets: a folder ({@code /var/lib/jambox/presets} on the box) with one file per
 * preset, {@code <slug>.json} in {@link BoardFile}'s format, whose {@code "name"} is what the player
 * sees. The name in the file is the truth; the file name is only derived from it, so two names
 * that make the same slug ("Lead!" and "Lead?") simply get {@code lead.json} and {@code lead-2.json}.
 * Names that differ only in case are the same preset.
 *
 * <p>Every write is atomic ({@link AtomicFiles}), and an operation that fails throws a
 * {@link PresetException} and leaves the folder as it was. A file that is not a preset is never
 * overwritten or deleted: it is reported by {@link #list} until someone fixes or removes it.
 *
 * <p>Safe to call from several control threads (each operation holds the store's lock); one
 * process owns the folder. File I/O: never call from the audio thread.
 */
public final class PresetStore {
    /** A preset is a few kilobytes; anything this big is not one, and reading it whole would cost the heap. */
    static final int MAX_FILE_BYTES = JsonRules.MAX_FILE_BYTES;
    private static final String SUFFIX = ".json";

    private final Path folder;

    private PresetStore(Path folder) {
        this.folder = folder;
    }

    /**
     * Opens the preset folder, creating it if it is missing; removes the temporary files a crash
     * left; and on first start, when it holds no preset files, copies the {@link FactoryPresets} in.
     */
    public static PresetStore open(Path folder) throws PresetException {
        PresetStore store = new PresetStore(folder.toAbsolutePath().normalize());
        boolean firstStart;
        try {
            Files.createDirectories(store.folder);
            AtomicFiles.removeLeftovers(store.folder, "");
            firstStart = store.presetFiles().isEmpty();
        } catch (IOException e) {
            throw new PresetException("cannot use the preset folder " + store.folder + ": " + IoReason.of(e), e);
        }
        if (firstStart) {
            store.installFactory();
        }
        return store;
    }

    public Path folder() {
        return folder;
    }

    /** The presets by name, sorted ignoring case, and a problem for each file that is not a usable preset. */
    public synchronized PresetList list() {
        try {
            Scan scan = scan();
            List<String> names = new ArrayList<>(scan.byKey.values().stream().map(Found::name).toList());
            names.sort(String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder()));
            return new PresetList(names, scan.problems);
        } catch (IOException e) {
            return new PresetList(List.of(), List.of(new PresetList.Problem(folder, "cannot read the folder: " + IoReason.of(e))));
        }
    }

    /** The board saved under this name (its {@code name} is the preset's). */
    public synchronized BoardSpec load(String name) throws PresetException {
        return find(PresetName.check(name)).board;
    }

    /** Saves the board under this name, replacing the preset of that name if there is one. */
    public synchronized void save(String name, BoardSpec board) throws PresetException {
        String n = PresetName.check(name);
        byte[] bytes = encode(n, board);
        Scan scan = scanOrFail();
        Found existing = scan.byKey.get(PresetName.key(n));
        write(existing != null ? existing.file : freeFile(n), bytes, n);
    }

    /**
     * Gives a preset another name. Refuses if another preset has that name. The new file is written
     * before the old one goes, so a crash in between leaves both, never neither.
     */
    public synchronized void rename(String from, String to) throws PresetException {
        String f = PresetName.check(from);
        String t = PresetName.check(to);
        Scan scan = scanOrFail();
        Found source = find(scan, f);
        Found taken = scan.byKey.get(PresetName.key(t));
        if (taken != null && taken != source) {
            throw new PresetException("a preset named '" + taken.name + "' already exists; pick another name or delete that one first");
        }
        byte[] bytes = encode(t, source.board);
        if (taken == source) {
            write(source.file, bytes, t); // only the case changes: one atomic replace does it
            return;
        }
        Path target = freeFile(t);
        write(target, bytes, t);
        try {
            AtomicFiles.delete(source.file);
        } catch (IOException e) {
            try {
                AtomicFiles.delete(target);
            } catch (IOException undo) {
                e.addSuppressed(undo);
            }
            throw new PresetException("cannot rename '" + source.name + "': " + IoReason.of(e), e);
        }
    }

    public synchronized void delete(String name) throws PresetException {
        Found found = find(PresetName.check(name));
        try {
            AtomicFiles.delete(found.file);
        } catch (IOException e) {
            throw new PresetException("cannot delete '" + found.name + "': " + IoReason.of(e), e);
        }
    }

    /**
     * Adds a preset from a board file someone shared. The file is checked whole before anything is
     * written. It never replaces a preset: a name already in use is refused.
     *
     * @param nameOverride the name to save it under; null or blank: the name in the file
     * @return the name it was saved under
     */
    public synchronized String importJson(byte[] json, String nameOverride) throws PresetException {
        if (json.length > MAX_FILE_BYTES) {
            throw new PresetException("not a preset: the file is " + json.length / 1024 + " KiB; a preset is at most "
                    + MAX_FILE_BYTES / 1024 + " KiB");
        }
        BoardSpec board;
        try {
            board = BoardFile.read(json);
        } catch (BoardFile.BadBoardException e) {
            throw new PresetException("not a preset: " + e.getMessage(), e);
        }
        boolean override = nameOverride != null && !nameOverride.isBlank();
        if (!override && board.name().isBlank()) {
            throw new PresetException("the file has no name; give the preset one");
        }
        String n = PresetName.check(override ? nameOverride : board.name());
        Scan scan = scanOrFail();
        Found taken = scan.byKey.get(PresetName.key(n));
        if (taken != null) {
            throw new PresetException("a preset named '" + taken.name + "' already exists; import this one under another name");
        }
        write(freeFile(n), encode(n, board), n);
        return n;
    }

    /** The preset as a board file to share; {@link #importJson} takes it back. */
    public synchronized byte[] exportJson(String name) throws PresetException {
        return BoardFile.write(load(name));
    }

    /**
     * Copies in each factory preset whose name no preset has, so a player's own preset of that name
     * is never replaced. {@link #open} does this on first start; {@link #restoreFactory} also puts back changed ones.
     *
     * @return the names it added
     */
    public synchronized List<String> installFactory() throws PresetException {
        List<String> added = new ArrayList<>();
        for (BoardSpec board : FactoryPresets.boards()) {
            Scan scan = scanOrFail();
            if (!scan.byKey.containsKey(PresetName.key(board.name()))) {
                write(freeFile(board.name()), encode(board.name(), board), board.name());
                added.add(board.name());
            }
        }
        return added;
    }

    /**
     * Puts every factory preset back as it came: one deleted is written again, one changed
     * (its pedals, settings or the case of its name) is overwritten, in its own file. A preset of
     * another name, the player's own, is never touched; nor is a file that is not a preset. Files
     * already as they came are not rewritten.
     *
     * @return the names it wrote back
     */
    public synchronized List<String> restoreFactory() throws PresetException {
        List<String> restored = new ArrayList<>();
        for (BoardSpec board : FactoryPresets.boards()) {
            byte[] bytes = encode(board.name(), board);
            Found found = scanOrFail().byKey.get(PresetName.key(board.name()));
            if (found == null) {
                write(freeFile(board.name()), bytes, board.name());
            } else if (!java.util.Arrays.equals(bytes, readBytes(found.file))) {
                write(found.file, bytes, board.name());
            } else {
                continue;
            }
            restored.add(board.name());
        }
        return restored;
    }

    /** A preset file's bytes; null when it cannot be read (then it is rewritten). */
    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }

    private record Found(Path file, String name, BoardSpec board) {
    }

    private record Scan(Map<String, Found> byKey, List<PresetList.Problem> problems) {
    }

    /** Reads every preset file; the first file (by file name) to claim a name keeps it. */
    private Scan scan() throws IOException {
        Map<String, Found> byKey = new HashMap<>();
        List<PresetList.Problem> problems = new ArrayList<>();
        for (Path file : presetFiles()) {
            try {
                BoardSpec board = readFile(file);
                String name;
                try {
                    name = PresetName.check(board.name());
                } catch (PresetException e) {
                    throw new PresetException("name: " + e.getMessage());
                }
                Found first = byKey.putIfAbsent(PresetName.key(name), new Found(file, name, board));
                if (first != null) {
                    throw new PresetException("has the same name as " + first.file.getFileName() + " ('" + first.name
                            + "'); rename or remove one of them");
                }
            } catch (PresetException e) {
                problems.add(new PresetList.Problem(file, e.getMessage()));
            }
        }
        return new Scan(byKey, problems);
    }

    private Scan scanOrFail() throws PresetException {
        try {
            return scan();
        } catch (IOException e) {
            throw new PresetException("cannot read the preset folder " + folder + ": " + IoReason.of(e), e);
        }
    }

    /** The files that should be presets, sorted by file name; temporary and hidden files are not. */
    private List<Path> presetFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder, f -> {
            String n = f.getFileName().toString();
            return n.endsWith(SUFFIX) && !n.startsWith(".");
        })) {
            dir.forEach(files::add);
        }
        files.sort(Comparator.comparing(f -> f.getFileName().toString()));
        return files;
    }

    private static BoardSpec readFile(Path file) throws PresetException {
        if (Files.isDirectory(file)) {
            throw new PresetException("is a directory, not a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new PresetException("not a file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new PresetException("cannot read: " + IoReason.of(e), e);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new PresetException("larger than " + MAX_FILE_BYTES / 1024 + " KiB; not a preset");
        }
        try {
            return BoardFile.read(bytes);
        } catch (BoardFile.BadBoardException e) {
            throw new PresetException(e.getMessage(), e);
        }
    }

    private Found find(String name) throws PresetException {
        return find(scanOrFail(), name);
    }

    private static Found find(Scan scan, String name) throws PresetException {
        Found found = scan.byKey.get(PresetName.key(name));
        if (found == null) {
            throw new PresetException("there is no preset named '" + name + "'");
        }
        return found;
    }

    /** A file for a new preset: its slug, or the slug with -2, -3, ... if some file (even a broken one) has it. */
    private Path freeFile(String name) {
        String slug = PresetName.slug(name);
        Path file = folder.resolve(slug + SUFFIX);
        for (int i = 2; Files.exists(file); i++) {
            file = folder.resolve(slug + "-" + i + SUFFIX);
        }
        return file;
    }

    /** The board as its preset file, named; checked as a file from outside would be, so what is saved always loads. */
    private static byte[] encode(String name, BoardSpec board) throws PresetException {
        byte[] bytes = BoardFile.write(new BoardSpec(name, board.channels()));
        try {
            BoardFile.read(bytes);
        } catch (BoardFile.BadBoardException e) {
            throw new PresetException("cannot save '" + name + "': " + e.getMessage(), e);
        }
        return bytes;
    }

    private void write(Path file, byte[] bytes, String name) throws PresetException {
        try {
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw new PresetException("cannot save '" + name + "': " + IoReason.of(e), e);
        }
    }
}
