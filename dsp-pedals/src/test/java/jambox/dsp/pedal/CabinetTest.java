package jambox.dsp.pedal;

import static jambox.dsp.Signals.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import jambox.dsp.Pedal;

class CabinetTest {

    private static double response(String voicing, double hz) {
        Pedal p = pedal(Cabinet.TYPE);
        p.set("voicing", Cabinet.TYPE.param("voicing").choiceIndex(voicing));
        return gainDbAt(p, hz, 0.1);
    }

    @Test
    void everyVoicingSoundsLikeASpeakerNotAFullRangeLine() {
        for (String v : new String[] {"1x12", "2x12", "4x12"}) {
            double mid = response(v, 1000);
            assertTrue(response(v, 10000) < mid - 20, v + ": 10 kHz only " + (mid - response(v, 10000)) + " dB under 1 kHz");
            assertTrue(response(v, 40) < response(v, 110) - 6, v + ": 40 Hz not under the resonance");
            assertTrue(response(v, 16000) < mid - 40, v + ": fizz at 16 kHz");
        }
    }

    @Test
    void theVoicingsDifferAsTheirBoxesDo() {
        double low1 = response("1x12", 100) - response("1x12", 1000);
        double low4 = response("4x12", 100) - response("4x12", 1000);
        assertTrue(low4 > low1 + 3, "the closed 4x12 has more low end: " + low4 + " vs " + low1);
        double top1 = response("1x12", 4000) - response("1x12", 1000);
        double top4 = response("4x12", 4000) - response("4x12", 1000);
        assertTrue(top1 > top4 + 3, "the open 1x12 is brighter: " + top1 + " vs " + top4);
    }

    @Test
    void levelIsInDb() {
        Pedal p = pedal(Cabinet.TYPE);
        double flat = gainDbAt(p, 1000, 0.1);
        Pedal q = pedal(Cabinet.TYPE);
        q.set("level", -7.5);
        assertEquals(flat - 7.5, gainDbAt(q, 1000, 0.1), 0.05);
    }
}
