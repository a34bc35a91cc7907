package jambox.appliance.preset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import jambox.common.AtomicFiles;
import jambox.appliance.store.IoReason;
import jambox.appliance.store.JsonRules;

/**
 * Whether the safety limiter is on, kept in {@code <state folder>/limiter.json} next to the last
 * board, so a box the player switched it off on comes back that way. No file: on (the default).
 * A file that cannot be read is reported with its path and the reason, and the limiter is on:
 * when in doubt, protect the ears.
 *
 * <p>File I/O: control threads only, never the audio thread. The toggle is rare: each change is
 * written at once (atomically).
 */
public final class LimiterSetting {
    public static final String FILE = "limiter.json";

    private final Path folder;
    private final Path file;
    private final Consumer<String> report;
    private Boolean saved; // guarded by this

    /** @param report gets each problem as a sentence naming the file and what is wrong with it */
    public LimiterSetting(Path stateFolder, Consumer<String> report) {
        this.folder = stateFolder.toAbsolutePath();
        this.file = folder.resolve(FILE);
        this.report = Objects.requireNonNull(report);
    }

    /** Problems go to the log as warnings. */
    public LimiterSetting(Path stateFolder) {
        this(stateFolder, problem -> System.getLogger(LimiterSetting.class.getName()).log(System.Logger.Level.WARNING, problem));
    }

    public Path file() {
        return file;
    }

    /** On or off as saved; on when nothing is saved or the file is bad (reported). */
    public synchronized boolean restore() {
        if (!Files.exists(file)) {
            saved = true;
            return true;
        }
        try {
            JsonNode root = JsonRules.parse(JsonRules.readFile(file));
            JsonRules.object(root, file.toString());
            JsonRules.only(root, file + ": ", Set.of("version", "on"));
            JsonRules.integer(root.get("version"), file + ": version", 1, 1);
            if (!root.path("on").isBoolean()) {
                throw new JsonRules.BadJsonException(file + ": on: expected true or false");
            }
            saved = root.get("on").booleanValue();
        } catch (JsonRules.BadJsonException e) {
            String m = e.getMessage();
            report.accept((m.startsWith(file.toString()) ? m : file + ": " + m) + "; the limiter is on");
            saved = true;
        }
        return saved;
    }

    /** Writes {@code on} if it is not what the file already says; a failure is reported, not thrown. */
    public synchronized void keep(boolean on) {
        if (saved != null && saved == on) {
            return;
        }
        try {
            Files.createDirectories(folder);
            byte[] json = ("{\"version\": 1, \"on\": " + on + "}\n").getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(file, f -> Files.write(f, json));
            saved = on;
        } catch (IOException e) {
            report.accept(file + ": cannot save the limiter setting: " + IoReason.of(e));
        }
    }
}
