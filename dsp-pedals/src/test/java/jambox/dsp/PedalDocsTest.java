package jambox.dsp;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class PedalDocsTest {

    @Test
    void docsPedalsMdIsCurrent() throws Exception {
        Path doc = Path.of("..", "docs", "pedals.md");
        assertTrue(Files.exists(doc), "docs/pedals.md is missing: run ./jambox docs");
        assertEquals(PedalDocs.markdown(), Files.readString(doc),
                "docs/pedals.md does not match the pedal descriptors: run ./jambox docs and commit it");
    }

    @Test
    void everyPedalAndParameterIsDocumented() {
        String md = PedalDocs.markdown();
        for (PedalType t : Catalog.ALL) {
            assertTrue(md.contains("## " + t.id()), t.id());
            String latency = t.latencySamples() == 0 ? "*Latency:* 0 samples." : "*Latency:* " + (long) t.latencySamples() + " samples (";
            assertTrue(md.contains(latency), t.id() + " latency");
            for (ParamSpec p : t.params()) {
                assertTrue(md.contains("| `" + p.id() + "` | " + p.name() + " |"), t.id() + "." + p.id());
            }
        }
    }
}
