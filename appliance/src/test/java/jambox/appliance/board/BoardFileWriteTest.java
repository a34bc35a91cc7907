package jambox.appliance.board;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jambox.appliance.app.DefaultBoard;
import jambox.dsp.Catalog;
import jambox.dsp.ParamSpec;
import jambox.dsp.PedalType;

class BoardFileWriteTest {

    /** Every parameter away from its default, a fractional value where the parameter allows one. */
    private static Map<String, Double> offDefault(PedalType type) {
        Map<String, Double> params = new LinkedHashMap<>();
        for (ParamSpec p : type.params()) {
            params.put(p.id(), p.isChoice() ? p.max() : p.min() + (p.max() - p.min()) * 0.3719);
        }
        return params;
    }

    @Test
    void everyPedalTypeReadsBackEqualWithDefaultAndChangedValues() throws Exception {
        for (PedalType type : Catalog.ALL) {
            // One of each a chain: a chain holds at most one looper.
            for (BoardSpec board : List.of(
                    new BoardSpec("All of " + type.id(), List.of(
                            List.of(new PedalSpec(type.id(), false, Map.of())),
                            List.of(new PedalSpec(type.id(), true, offDefault(type))))),
                    new BoardSpec("Lowest " + type.id(), List.of(
                            List.of(new PedalSpec(type.id(), false, Map.of(type.params().get(0).id(), type.params().get(0).min()))))))) {
                byte[] json = BoardFile.write(board);
                assertEquals(board, BoardFile.read(json), type.id() + ":\n" + new String(json, StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void writesTheFileFormatPrettyWithChoicesByName() throws Exception {
        BoardSpec board = new BoardSpec("Stack", List.of(List.of(
                new PedalSpec("cabinet", false, Map.of("voicing", 2.0, "level", -1.5)),
                new PedalSpec("overdrive", true, Map.of("drive", 20.0)))));
        String json = new String(BoardFile.write(board), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\n  \"version\": 1,\n  \"name\": \"Stack\",\n  \"channels\": ["), json);
        assertTrue(json.contains("\"voicing\": \"4x12\""), json);
        assertTrue(json.contains("\"level\": -1.5"), json);
        assertTrue(json.contains("\"drive\": 20\n"), "whole numbers without .0: " + json);
        assertTrue(json.contains("\"bypass\": true"), json);
        assertTrue(json.indexOf("voicing") < json.indexOf("\"level\""), "parameters in the catalog's order");
        assertTrue(json.endsWith("}\n"));
    }

    @Test
    void theBuiltInBoardReadsBackEqual() throws Exception {
        BoardSpec board = DefaultBoard.load();
        assertEquals(board, BoardFile.read(BoardFile.write(board)));
    }

    @Test
    void aSpecNoFileCouldHoldIsWrittenAsItIsAndReadReportsIt() {
        BoardSpec unknownType = new BoardSpec("x", List.of(List.of(new PedalSpec("fuzzbox", false, Map.of("gain", 3.0)))));
        String e = assertThrows(BoardFile.BadBoardException.class, () -> BoardFile.read(BoardFile.write(unknownType))).getMessage();
        assertTrue(e.startsWith("channels[0].pedals[0].type: no pedal type 'fuzzbox'"), e);

        BoardSpec outOfRange = new BoardSpec("x", List.of(List.of(new PedalSpec("cabinet", false, Map.of("voicing", 7.0)))));
        e = assertThrows(BoardFile.BadBoardException.class, () -> BoardFile.read(BoardFile.write(outOfRange))).getMessage();
        assertTrue(e.contains("channels[0].pedals[0].params.voicing: 7 is not one of the choices 0 .. 2 [1x12, 2x12, 4x12]"), e);

        BoardSpec notANumber = new BoardSpec("x", List.of(List.of(new PedalSpec("boost", false, Map.of("gain", Double.NaN)))));
        e = assertThrows(BoardFile.BadBoardException.class, () -> BoardFile.read(BoardFile.write(notANumber))).getMessage();
        assertTrue(e.contains("channels[0].pedals[0].params.gain: expected a number"), e);
    }

    @Test
    void readingBytesReportsWithoutAFileName() {
        String e = assertThrows(BoardFile.BadBoardException.class,
                () -> BoardFile.read("{\"version\": 2, \"channels\": []}".getBytes(StandardCharsets.UTF_8))).getMessage();
        assertEquals("version: expected 1, found 2", e);
        for (String empty : new String[] {"", " \n"}) {
            assertEquals("empty: there is no board in it", assertThrows(BoardFile.BadBoardException.class,
                    () -> BoardFile.read(empty.getBytes(StandardCharsets.UTF_8))).getMessage());
        }
    }
}
