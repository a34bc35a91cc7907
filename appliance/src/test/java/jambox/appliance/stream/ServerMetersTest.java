package jambox.appliance.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import jambox.protocol.message.Levels;

/** A mix room's meters as the box keeps them: the last LEVELS, clips counted once, gone when stale. */
class ServerMetersTest {
    @Test
    void theLastLevelsAreTheMetersAndAMemberNotListedIsSilent() {
        ServerMeters m = new ServerMeters();
        assertFalse(m.live(), "nothing heard yet");
        long now = System.nanoTime();
        m.update(new Levels(List.of(new Levels.Level(2, Levels.centiDb(0.5f), false),
                new Levels.Level(5, Levels.centiDb(1.0f), true))), now);
        assertTrue(m.live());
        assertEquals(0.5f, m.peak(2), 0.001f);
        assertEquals(1.0f, m.peak(5), 0.001f);
        assertEquals(0f, m.peak(3));
        m.update(new Levels(List.of(new Levels.Level(5, Levels.centiDb(0.25f), true))), now);
        assertEquals(0f, m.peak(2), "member 2 is no longer listed: silent");
        assertEquals(0.25f, m.peak(5), 0.001f);
        assertEquals(2, m.takeClips(5), "two windows clipped");
        assertEquals(0, m.takeClips(5), "taken: counted once");
        assertEquals(0, m.takeClips(2));
        m.update(new Levels(List.of()), now - ServerMeters.STALE_NANOS - 1);
        assertFalse(m.live(), "levels older than half a second are gone");
    }
}
