package jambox.appliance.ir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jambox.appliance.store.IoReason;
import jambox.common.AtomicFiles;
import jambox.dsp.ir.BadWavException;
import jambox.dsp.ir.ImpulseResponse;
import jambox.dsp.ir.IrBank;
import jambox.dsp.ir.WavReader;

/**
 * The player's uploaded impulse responses on disk ({@code /var/lib/jambox/irs}), one per user slot
 * of the box's {@link IrBank}: {@code slot-N.wav} (N = 1 .. {@value IrBank#USER_SLOTS}) holds the
 * file exactly as uploaded, {@code slot-N.json} its name. The WAV is the truth: the name file also
 * records the WAV's length and CRC-32, so a name left from an earlier file (a power cut between
 * the two writes) is noticed and the slot is called "user N" instead.
 *
 * <p>A file is checked whole ({@link WavReader}) before anything is written; a refused one
 * changes nothing, on disk or in the bank. Writes are atomic ({@link AtomicFiles}). At start every
 * slot file is loaded into the bank; a bad one is reported with its path and reason and the
 * others still load. Each file is at most {@link #MAX_FILE_BYTES}, so the folder holds at most
 * {@value IrBank#USER_SLOTS} of those.
 *
 * <p>File I/O: the control thread (one operation at a time under the library's lock), never the audio thread.
 */
public final class IrLibrary {
    /**
     * The largest file taken: the longest response the box takes, 0.5 s of stereo 32-bit at
     * 384 kHz, is 1.47 MiB of samples; the rest leaves room for the chunks editors add.
     */
    public static final int MAX_FILE_BYTES = 2 << 20;
    /** A name is what the page shows in a menu: short. */
    public static final int MAX_NAME_CHARS = 40;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(IrLibrary.class.getName());

    /** A slot file that could not be used, and why. */
    public record Problem(int slot, Path file, String reason) {
    }

    private final Path folder;
    private final IrBank bank;
    private final List<Problem> problems = new ArrayList<>();
    /** The response whose channels {@link #channelCount} holds, per slot. */
    private final ImpulseResponse[] counted = new ImpulseResponse[IrBank.USER_SLOTS];
    private final int[] channelCount = new int[IrBank.USER_SLOTS];

    private IrLibrary(Path folder, IrBank bank) {
        this.folder = folder;
        this.bank = bank;
    }

    /**
     * Opens the folder (removing what a crash left half-written) and loads every slot file into
     * {@code bank}. A missing folder is an empty library: it is made by the first upload, so a box
     * that never takes one leaves its data folder as it was. A folder that cannot be read is the
     * only failure; a bad slot file is a {@link #problems() problem}, logged, and its slot stays empty.
     */
    public static IrLibrary open(Path folder, IrBank bank) throws IOException {
        IrLibrary library = new IrLibrary(folder.toAbsolutePath().normalize(), bank);
        if (!Files.exists(library.folder, LinkOption.NOFOLLOW_LINKS)) {
            return library;
        }
        try {
            AtomicFiles.removeLeftovers(library.folder, "slot-");
        } catch (IOException e) {
            throw new IOException("cannot use the IR folder " + library.folder + ": " + IoReason.of(e), e);
        }
        for (int slot = 1; slot <= IrBank.USER_SLOTS; slot++) {
            library.load(slot);
        }
        return library;
    }

    public Path folder() {
        return folder;
    }

    /** The slot files that could not be used, as found at start and not replaced or cleared since. */
    public synchronized List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** Where slot {@code slot}'s WAV is kept. */
    public Path wav(int slot) {
        return folder.resolve("slot-" + slot + ".wav");
    }

    private Path nameFile(int slot) {
        return folder.resolve("slot-" + slot + ".json");
    }

    private void load(int slot) {
        Path wav = wav(slot);
        if (!Files.exists(wav, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        byte[] bytes;
        try {
            if (!Files.isRegularFile(wav, LinkOption.NOFOLLOW_LINKS)) {
                throw new IrRefused("not a plain file");
            }
            bytes = readAtMost(wav, MAX_FILE_BYTES);
            bank.setUser(slot - 1, WavReader.read(name(slot, bytes), bytes));
        } catch (IrRefused e) {
            problem(slot, wav, e.getMessage());
        } catch (BadWavException e) {
            problem(slot, wav, e.getMessage());
        } catch (IOException e) {
            problem(slot, wav, "cannot read it: " + IoReason.of(e));
        }
    }

    private void problem(int slot, Path file, String reason) {
        problems.add(new Problem(slot, file, reason));
        LOG.log(System.Logger.Level.WARNING, "impulse response {0} not loaded: {1}", file, reason);
    }

    /** The name kept for the WAV {@code bytes} in slot {@code slot}, or "user N" when none fits it. */
    private String name(int slot, byte[] bytes) {
        Path file = nameFile(slot);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return defaultName(slot);
        }
        try {
            JsonNode n = JSON.readTree(readAtMost(file, 4096));
            String name = n == null ? null : n.path("name").textValue();
            if (name == null || n.path("bytes").asLong(-1) != bytes.length || n.path("crc32").asLong(-1) != crc(bytes)) {
                return defaultName(slot); // a name left from the slot's earlier file
            }
            return checkName(name);
        } catch (IOException | IrRefused e) {
            LOG.log(System.Logger.Level.WARNING, "the name of impulse response {0} is unreadable ({1}); called {2}",
                    file, e.getMessage(), defaultName(slot));
            return defaultName(slot);
        }
    }

    private static byte[] readAtMost(Path file, int max) throws IOException, IrRefused {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new IrRefused(tooBig(Files.size(file)), true);
            }
            return bytes;
        }
    }

    static String defaultName(int slot) {
        return "user " + slot;
    }

    /** "2.1 MiB: ... at most 2 MiB": rounded up, so a file just over the limit never reads as at it. */
    public static String tooBig(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB: an impulse response file is at most %d MiB",
                Math.ceil(bytes / 104857.6) / 10, MAX_FILE_BYTES >> 20);
    }

    /** {@code name} stripped, if it is one the page can show: 1 .. 40 characters, none of them control characters. */
    public static String checkName(String name) throws IrRefused {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty() || n.codePointCount(0, n.length()) > MAX_NAME_CHARS
                || n.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.SURROGATE)) {
            throw new IrRefused("a name is 1 to " + MAX_NAME_CHARS + " characters, none of them control characters");
        }
        return n;
    }

    private static void checkSlot(int slot) throws IrRefused {
        if (slot < 1 || slot > IrBank.USER_SLOTS) {
            throw new IrRefused("no IR slot " + slot + ": the slots are 1 .. " + IrBank.USER_SLOTS);
        }
    }

    private static long crc(byte[] bytes) {
        CRC32 c = new CRC32();
        c.update(bytes);
        return c.getValue();
    }

    /**
     * Checks {@code wav} whole and, if it is a response the box takes, keeps it in slot
     * {@code slot} (1-based) under {@code name} (null: "user N") and puts it in the bank, in place
     * of what was there. Refused (nothing changed): a wrong slot or name, a file over
     * {@link #MAX_FILE_BYTES}, a WAV {@link WavReader} refuses, a write that fails.
     */
    public synchronized ImpulseResponse put(int slot, String name, byte[] wav) throws IrRefused {
        checkSlot(slot);
        String n = name == null ? defaultName(slot) : checkName(name);
        if (wav.length > MAX_FILE_BYTES) {
            throw new IrRefused(tooBig(wav.length), true);
        }
        ImpulseResponse ir;
        try {
            ir = WavReader.read(n, wav);
        } catch (BadWavException e) {
            throw new IrRefused(e.getMessage());
        }
        ObjectNode meta = JSON.createObjectNode().put("name", n).put("bytes", wav.length).put("crc32", crc(wav));
        try {
            Files.createDirectories(folder);
            AtomicFiles.write(wav(slot), wav);
        } catch (IOException e) {
            throw new IrRefused("cannot save it: " + IoReason.of(e));
        }
        try {
            AtomicFiles.write(nameFile(slot), meta.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The sound is saved and is what matters; the slot is "user N" after a restart.
            LOG.log(System.Logger.Level.WARNING, "impulse response {0} saved without its name: {1}", wav(slot),
                    IoReason.of(e));
        }
        bank.setUser(slot - 1, ir);
        problems.removeIf(p -> p.slot() == slot);
        return ir;
    }

    /** Empties slot {@code slot}: its files go and the bank's slot is emptied. Clearing an empty slot is no error. */
    public synchronized void clear(int slot) throws IrRefused {
        checkSlot(slot);
        try {
            // The WAV first: without it the slot is empty whatever the name file says.
            deleteIfThere(wav(slot));
            deleteIfThere(nameFile(slot));
        } catch (IOException e) {
            throw new IrRefused("cannot delete it: " + IoReason.of(e));
        }
        bank.setUser(slot - 1, null);
        problems.removeIf(p -> p.slot() == slot);
    }

    private static void deleteIfThere(Path file) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            AtomicFiles.delete(file); // its going survives a power cut too
        }
    }

    /** One slot as the page shows it: {@code slot}, and its {@code name}, {@code rate}, {@code channels}, {@code seconds}, or {@code empty}. */
    public synchronized ObjectNode describe(int slot) {
        ObjectNode o = JSON.createObjectNode().put("slot", slot);
        ImpulseResponse ir = bank.user(slot - 1);
        if (ir == null) {
            return o.put("empty", true);
        }
        // ImpulseResponse counts its channels only by copying them all (up to 1.5 MB); the state
        // is described after every knob turn, so each response is counted once.
        if (counted[slot - 1] != ir) {
            counted[slot - 1] = ir;
            channelCount[slot - 1] = ir.channels().length;
        }
        return o.put("name", ir.name()).put("rate", ir.sampleRate()).put("channels", channelCount[slot - 1])
                .put("seconds", Math.round(ir.seconds() * 1000) / 1000.0);
    }

    /** Every slot, 1 .. 8, as {@link #describe}. */
    public synchronized ArrayNode describeAll() {
        ArrayNode slots = JSON.createArrayNode();
        for (int slot = 1; slot <= IrBank.USER_SLOTS; slot++) {
            slots.add(describe(slot));
        }
        return slots;
    }
}
