package jambox.appliance.board;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import jambox.dsp.Board;

class BoardFileTest {

    private static BoardSpec parse(String json) throws BoardFile.BadBoardException {
        return BoardFile.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
    }

    private static String error(String json) {
        return assertThrows(BoardFile.BadBoardException.class, () -> parse(json)).getMessage();
    }

    @Test
    void readsChannelsPedalsBypassAndParameters() throws Exception {
        BoardSpec spec = parse("""
                {"version": 1, "name": "Lead",
                 "channels": [{"pedals": [{"type": "boost", "bypass": true, "params": {"gain": 9.5}}]},
                              {"pedals": []}]}""");
        assertEquals("Lead", spec.name());
        assertEquals(2, spec.channels().size());
        Board b = spec.build(0, 48000, 64);
        assertEquals(1, b.size());
        assertEquals(9.5, b.get(0).get("gain"), 1e-6);
        assertTrue(b.get(0).isBypassed());
        assertEquals(0, spec.build(1, 48000, 64).size());
        assertEquals(0, spec.build(5, 48000, 64).size(), "channels past the file's repeat its last");
    }

    @Test
    void everyMistakeIsReportedWithWhereItIs() {
        assertTrue(error("{\"version\": 1}").startsWith("test.json: channels:"));
        assertTrue(error("{\"version\": 1, \"channels\": [{\"pedals\": [{\"type\": \"boost\", \"params\": {\"volume\": 1}}]}]}")
                .contains("channels[0].pedals[0].params.volume: boost has no parameter 'volume'"));
        assertTrue(error("{\"version\": 1, \"channels\": [{\"pedals\": [{\"type\": \"boost\", \"params\": {\"gain\": \"loud\"}}]}]}")
                .contains("channels[0].pedals[0].params.gain: expected a number"));
        assertTrue(error("{\"version\": 1, \"channels\": [{\"pedals\": [{\"type\": \"boost\", \"params\": {\"gain\": 40}}]}]}")
                .contains("channels[0].pedals[0].params.gain: 40 dB is outside -12 dB .. 24 dB"));
        assertTrue(error("{\"version\": 1, \"channels\": [{\"pedals\": [{\"kind\": \"boost\"}]}]}")
                .contains("channels[0].pedals[0].kind: unknown field"));
        assertTrue(error("{\"version\": 1, \"channels\": [{\"pedals\": [{\"type\": \"boost\", \"bypass\": \"yes\"}]}]}")
                .contains("bypass: expected true or false"));
        assertTrue(error("{\"version\": 1, \"channels\": [{}, {}, {}]}").contains("1 or 2 channels"));
        assertTrue(error("{\"version\": 1, \"version\": 1, \"channels\": []}").contains("not valid JSON"));
        assertTrue(error("{\"version\": 1, \"channels\": [{\"pedals\": [{\"type\": \"boost\"}]}],").contains("not valid JSON"));
    }
}
