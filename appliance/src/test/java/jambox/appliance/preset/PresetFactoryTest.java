package jambox.appliance.preset;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import jambox.appliance.board.BoardFile;
import jambox.appliance.board.BoardSpec;

class PresetFactoryTest {

    @Test
    void theFactoryPresetsAreFourToSixDistinctBoardsThatBuild() throws Exception {
        List<BoardSpec> boards = FactoryPresets.boards();
        assertTrue(boards.size() >= 4 && boards.size() <= 6, boards.size() + " presets");
        assertEquals(List.of("Clean", "Crunch", "Lead", "Ambient", "Surf", "Guitar and voice"), FactoryPresets.names());
        assertEquals(boards.size(), new HashSet<>(boards.stream().map(b -> PresetName.key(b.name())).toList()).size());
        for (BoardSpec board : boards) {
            assertEquals(board.name(), PresetName.check(board.name()));
            assertEquals(board, BoardFile.read(BoardFile.write(board)), board.name());
            for (int c = 0; c < 2; c++) {
                assertFalse(board.build(c, 48_000, 64).size() == 0, board.name() + " channel " + c);
            }
        }
    }
}
