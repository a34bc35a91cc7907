package jambox.appliance.preset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import jambox.appliance.board.BoardFile;
import jambox.appliance.board.BoardSpec;

/**
 * The boards a new box comes with, shipped in the jar under {@code /jambox/presets/}.
 * {@link PresetStore#open} copies them into an empty preset folder.
 */
public final class FactoryPresets {
    // A jar cannot list a resource folder, so the files are named here.
    private static final List<String> FILES = List.of(
            "clean.json", "crunch.json", "lead.json", "ambient.json", "surf.json", "guitar-and-voice.json");

    private FactoryPresets() {
    }

    /** Their names, in the order the files are listed (roughly clean to wet). */
    public static List<String> names() {
        return boards().stream().map(BoardSpec::name).toList();
    }

    /** The boards, each named as its preset. */
    public static List<BoardSpec> boards() {
        return Holder.BOARDS;
    }

    private static final class Holder {
        static final List<BoardSpec> BOARDS = load();
    }

    private static List<BoardSpec> load() {
        List<BoardSpec> boards = new ArrayList<>();
        for (String file : FILES) {
            String path = "/jambox/presets/" + file;
            try (InputStream in = FactoryPresets.class.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("the jar has no factory preset " + path);
                }
                boards.add(BoardFile.read(in, path));
            } catch (BoardFile.BadBoardException e) {
                throw new IllegalStateException("a factory preset is broken: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.copyOf(boards);
    }
}
