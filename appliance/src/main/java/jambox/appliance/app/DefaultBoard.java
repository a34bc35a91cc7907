package jambox.appliance.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jambox.appliance.board.BoardFile;
import jambox.appliance.board.BoardSpec;

/** The board a box plays when its config names none: the one built into the jar. */
public final class DefaultBoard {
    private DefaultBoard() {
    }

    public static BoardSpec load() {
        try (InputStream in = DefaultBoard.class.getResourceAsStream("/jambox/default-board.json")) {
            return BoardFile.read(in, "default-board.json");
        } catch (BoardFile.BadBoardException e) {
            throw new IllegalStateException("the built-in board is broken: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
