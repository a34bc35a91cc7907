package jambox.appliance.preset;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class PresetNameTest {

    @Test
    void namesAreTrimmedAndComposedSoOneLookIsOneName() throws Exception {
        assertEquals("Lead", PresetName.check("  Lead \t"));
        assertEquals("Café", PresetName.check("Cafe\u0301"));
        assertEquals(PresetName.key("LEAD"), PresetName.key("lead"));
        assertEquals("😀 smile", PresetName.check("😀 smile"), "characters beyond 16 bits are fine");
        assertEquals(64, PresetName.check("😀".repeat(64)).codePointCount(0, 128), "the limit counts characters, not chars");
    }

    @Test
    void slugsArePlainAsciiThatCannotLeaveAFolder() throws Exception {
        assertEquals("ac-dc", PresetName.slug("AC/DC"));
        assertEquals("cafe-creme", PresetName.slug("Café  Crème"));
        assertEquals("x", PresetName.slug("../x"));
        assertEquals("etc-passwd", PresetName.slug("../../etc/passwd"));
        assertEquals("hidden", PresetName.slug(".hidden"));
        for (String nothingLeft : new String[] {".", "..", "/", "\\", "~", "ключ", "---"}) {
            assertEquals("preset", PresetName.slug(nothingLeft), nothingLeft);
        }
        String slug = PresetName.slug("a-".repeat(32));
        assertTrue(slug.length() <= 40 && slug.matches("[a-z0-9]+(-[a-z0-9]+)*"), slug);
    }
}
