package jambox.surface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A target is well formed or is not made: every surface's map can trust the ones it holds. */
class TargetTest {

    @Test
    void eachKindCarriesExactlyTheFieldsItNeeds() {
        assertEquals("param overdrive.drive", Target.param("overdrive", "drive").toString());
        assertEquals("bypass delay", Target.bypass("delay").toString());
        assertEquals("monitor 1", Target.monitor(1).toString());
        assertEquals("preset", Target.preset().toString());
        assertEquals("looper undo", Target.looper("undo").toString());
        assertEquals("undo", Target.looper("undo").action());
        assertEquals(null, Target.tap().action());
        assertEquals("master", Target.master().kind().jsonName());
    }

    @Test
    void aMalformedTargetIsRefusedWithTheReason() {
        var noPedal = assertThrows(IllegalArgumentException.class, () -> new Target(Target.Kind.PARAM, null, "drive", 0));
        assertTrue(noPedal.getMessage().contains("pedal"), noPedal.getMessage());
        var badId = assertThrows(IllegalArgumentException.class, () -> Target.param("Overdrive", "drive"));
        assertTrue(badId.getMessage().contains("Overdrive"), badId.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Target(Target.Kind.MASTER, "overdrive", null, 0));
        assertThrows(IllegalArgumentException.class, () -> new Target(Target.Kind.BYPASS, "delay", "time", 0));
        var channel = assertThrows(IllegalArgumentException.class, () -> Target.monitor(2));
        assertTrue(channel.getMessage().contains("0 or 1"), channel.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Target(Target.Kind.TAP, null, null, 1));
        assertThrows(IllegalArgumentException.class, () -> Target.looper("erase"));
        assertThrows(IllegalArgumentException.class, () -> new Target(Target.Kind.LOOPER, null, null, 0));
        assertThrows(IllegalArgumentException.class, () -> new Target(Target.Kind.TAP, null, null, 0, "record"));
    }
}
