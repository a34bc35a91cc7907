package jambox.appliance.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jambox.appliance.audio.AudioInterface;
import jambox.appliance.store.JsonRules;

/**
 * Follows the file in which {@code jambox jack-probe} says which sound card JACK runs on (JACK
 * restarts, and the probe rewrites it, when a card is plugged in or pulled out). Once a second it
 * looks at the file's attributes, reads it only when they change, and says each new choice in
 * one line of the log. A file that cannot be read is said once and changes nothing; no file means
 * JACK was not started by jambox-jack (a laptop): nothing to say.
 */
public final class AudioInterfaceWatch implements AutoCloseable {
    public static final Path DEFAULT_FILE = Path.of("/run/jambox/audio-interface.json");
    /** Where tests and unusual installs put the file instead: a system property, else this variable. */
    static final String PROPERTY = "jambox.audioInterfaceFile";
    static final String VARIABLE = "JAMBOX_AUDIO_INTERFACE_FILE";
    private static final long CHECK_MILLIS = 1000;

    private final Path file;
    private final PrintStream log;
    private final Consumer<AudioInterface> onChange;
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jambox-audio-interface");
        t.setDaemon(true);
        return t;
    });
    /** The attributes of the file last looked at; null while there is none. Watch thread only. */
    private Version seen;
    private volatile AudioInterface current;

    /** A rewrite is a rename over the old file: a new inode, even within one timestamp tick. */
    private record Version(Object key, FileTime modified, long size) {
    }

    private AudioInterfaceWatch(Path file, PrintStream log, Consumer<AudioInterface> onChange) {
        this.file = file;
        this.log = log;
        this.onChange = onChange;
    }

    /** The file to follow: {@link #PROPERTY}, else {@link #VARIABLE}, else {@link #DEFAULT_FILE}. */
    public static Path file() {
        String p = System.getProperty(PROPERTY, System.getenv(VARIABLE));
        return p == null || p.isBlank() ? DEFAULT_FILE : Path.of(p);
    }

    /**
     * Reads {@code file} now, then follows it; {@code onChange} hears every new reading (null: the
     * file is gone) on the watch's own thread.
     */
    public static AudioInterfaceWatch start(Path file, PrintStream log, Consumer<AudioInterface> onChange) {
        return start(file, log, onChange, CHECK_MILLIS);
    }

    static AudioInterfaceWatch start(Path file, PrintStream log, Consumer<AudioInterface> onChange, long checkMillis) {
        AudioInterfaceWatch w = new AudioInterfaceWatch(file, log, onChange);
        w.clock.execute(w::check);
        w.clock.scheduleWithFixedDelay(w::check, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
        return w;
    }

    /** The card JACK runs on as the probe last said, or null when there is no probe file. */
    public AudioInterface current() {
        return current;
    }

    private void check() {
        Version now;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            now = new Version(a.fileKey(), a.lastModifiedTime(), a.size());
        } catch (NoSuchFileException e) {
            now = null;
        } catch (IOException | RuntimeException e) {
            now = seen; // unreadable attributes: look again next time
        }
        if (Objects.equals(now, seen)) {
            return;
        }
        seen = now;
        if (now == null) {
            update(null);
            return;
        }
        try {
            AudioInterface read = AudioInterface.read(file);
            if (!read.equals(current)) {
                log.println("jambox: audio interface: " + read.explain());
                update(read);
            }
        } catch (JsonRules.BadJsonException e) {
            log.println("jambox: " + e.getMessage() + " (the audio interface stays as it was)");
        }
    }

    private void update(AudioInterface a) {
        current = a;
        try {
            onChange.accept(a);
        } catch (RuntimeException e) {
            log.println("jambox: audio interface: " + e); // the watch goes on
        }
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }
}
