package jambox.dsp.pedal;

import static jambox.dsp.Signals.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import jambox.dsp.Pedal;

class EqualizerTest {

    private static Pedal eq(double bass, double mid, double midFreq, double treble) {
        Pedal p = pedal(Equalizer.TYPE);
        p.set("bass", bass);
        p.set("mid", mid);
        p.set("midFreq", midFreq);
        p.set("treble", treble);
        return p;
    }

    @Test
    void flatIsFlat() {
        for (double hz : new double[] {40, 120, 800, 3200, 12000}) {
            assertEquals(0, gainDbAt(eq(0, 0, 800, 0), hz, 0.25), 0.1, hz + " Hz");
        }
    }

    @Test
    void theMidBandHasItsGainAtItsCentreWherEverItIsSet() {
        for (double f : new double[] {200, 450, 800, 2000, 5000}) {
            for (double g : new double[] {-15, -6, 9, 15}) {
                assertEquals(g, gainDbAt(eq(0, g, f, 0), f, 0.1), 0.5, g + " dB at " + f + " Hz");
            }
        }
    }

    @Test
    void theShelvesHaveTheirGainOnTheirPlateaus() {
        for (double g : new double[] {-15, -8, 6, 15}) {
            assertEquals(g, gainDbAt(eq(g, 0, 800, 0), 30, 0.1), 0.5, "bass " + g + " dB at 30 Hz");
            assertEquals(g, gainDbAt(eq(0, 0, 800, g), 16000, 0.1), 0.5, "treble " + g + " dB at 16 kHz");
            // and leave the other end alone
            assertEquals(0, gainDbAt(eq(g, 0, 800, 0), 5000, 0.1), 0.3, "bass shelf at 5 kHz");
            assertEquals(0, gainDbAt(eq(0, 0, 800, g), 60, 0.1), 0.3, "treble shelf at 60 Hz");
        }
    }

    @Test
    void allBandsTogether() {
        Pedal p = eq(6, -9, 700, 4);
        assertEquals(-9, gainDbAt(p, 700, 0.1), 0.5);
        assertEquals(6, gainDbAt(eq(6, -9, 700, 4), 30, 0.1), 0.5);
        assertEquals(4, gainDbAt(eq(6, -9, 700, 4), 16000, 0.1), 0.5);
    }
}
