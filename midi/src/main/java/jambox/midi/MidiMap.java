package jambox.midi;

import jambox.common.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which MIDI controls do what: the content of midi.json in the box's data folder. A map that exists is
 * valid: the constructor checks every rule ({@link MapRules}) and names the place of the first one broken.
 *
 * @param bindings sources and their targets, at most one binding for any message
 * @param programs what a program change no binding claims does
 */
public record MidiMap(List<Binding> bindings, Programs programs) {

    public static final int VERSION = 1;
    /** No bindings; program changes load presets by number on any channel. */
    public static final MidiMap EMPTY = new MidiMap(List.of(), Programs.DEFAULT);

    public MidiMap {
        bindings = List.copyOf(bindings);
        MapRules.check(bindings, programs);
    }

    /** The binding {@code source} fires on a message of this kind, number and channel (1..16), or null. */
    public Binding find(Source.Kind kind, int number, int channel) {
        for (Binding b : bindings) {
            if (b.source().matches(kind, number, channel)) {
                return b;
            }
        }
        return null;
    }

    /** This map with {@code binding} added, after dropping every binding its source overlaps (MIDI learn). */
    public MidiMap bind(Binding binding) {
        List<Binding> kept = new ArrayList<>();
        for (Binding b : bindings) {
            if (!b.source().overlaps(binding.source())) {
                kept.add(b);
            }
        }
        kept.add(binding);
        return new MidiMap(kept, programs);
    }

    /** A map is a few KiB; a file this big is not one, and is refused without being read whole. */
    static final int MAX_FILE_BYTES = 1 << 20;

    /** Reads and checks a midi.json; the exception's message starts with the path. */
    public static MidiMap read(Path file) throws BadMidiMapException {
        if (Files.isDirectory(file)) {
            throw new BadMidiMapException(file + ": is a directory, not a file");
        }
        byte[] json;
        try (InputStream in = Files.newInputStream(file)) {
            json = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new BadMidiMapException(file + ": no such file", e);
        } catch (IOException e) {
            throw new BadMidiMapException(file + ": cannot read it: " + e, e);
        }
        if (json.length > MAX_FILE_BYTES) {
            throw new BadMidiMapException(file + ": larger than " + MAX_FILE_BYTES / 1024 + " KiB; not a MIDI map");
        }
        return parse(json, file.toString());
    }

    /** Parses and checks midi.json bytes; {@code origin} starts every error message (a path, "the page", ...). */
    public static MidiMap parse(byte[] json, String origin) throws BadMidiMapException {
        return MapReader.read(json, origin);
    }

    /** This map as midi.json (UTF-8, indented); {@link #parse} gives back an equal map. */
    public byte[] toJson() {
        return MapWriter.write(this);
    }

    /**
     * Writes this map to {@code file} so that it appears whole or not at all, even if the power goes
     * ({@link AtomicFiles}): when anything fails the old file is as it was.
     */
    public void save(Path file) throws IOException {
        save(file, tmp -> { });
    }

    /** A step between writing the temporary file and renaming it: where tests make a save fail. */
    interface BeforeRename {
        void run(Path tmp) throws IOException;
    }

    void save(Path file, BeforeRename beforeRename) throws IOException {
        byte[] json = toJson();
        AtomicFiles.write(file, tmp -> {
            Files.write(tmp, json);
            beforeRename.run(tmp);
        });
    }
}
