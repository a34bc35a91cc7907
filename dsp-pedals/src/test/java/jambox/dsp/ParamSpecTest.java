package jambox.dsp;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ParamSpecTest {
    private final ParamSpec time = ParamSpec.log("time", "Time", "ms", 10, 2000, 350);
    private final ParamSpec shape = ParamSpec.choice("shape", "Shape", 0, "sine", "triangle", "square");

    @Test
    void validationNamesTheParameterAndTheRange() {
        var e = assertThrows(IllegalArgumentException.class, () -> time.validate(2500));
        assertEquals("time: 2500 ms is outside 10 ms .. 2000 ms", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> time.validate(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> time.validate(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> shape.validate(1.5));
        assertEquals(2, shape.validate(2));
        assertEquals(1, shape.choiceIndex("triangle"));
        assertThrows(IllegalArgumentException.class, () -> shape.choiceIndex("saw"));
    }

    @Test
    void aLogKnobPutsTheGeometricMeanAtHalfTravel() {
        assertEquals(Math.sqrt(10 * 2000), time.fromNormalized(0.5), 1e-9);
        for (double v : new double[] {10, 37, 350, 2000}) {
            assertEquals(v, time.fromNormalized(time.toNormalized(v)), 1e-9);
        }
        assertEquals(1, shape.fromNormalized(0.5));
        assertEquals(0, time.toNormalized(1), "below the range clamps to the start");
    }

    @Test
    void badDescriptorsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ParamSpec.linear("x", "X", "", 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ParamSpec.linear("x", "X", "", 0, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> ParamSpec.log("x", "X", "", 0, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> ParamSpec.linear("Bad id", "X", "", 0, 1, 0));
    }

    @Test
    void aParamGlidesToANewValueAndLands() {
        Param p = new Param(time);
        p.set(1000);
        assertEquals(1000, p.get());
        p.latch();
        float first = p.next();
        assertTrue(first > 350 && first < 400, "the first sample moves a little: " + first);
        for (int i = 0; i < 48000; i++) {
            p.next();
        }
        p.settle();
        assertFalse(p.moving());
        assertEquals(1000f, p.current());
        assertThrows(IllegalArgumentException.class, () -> p.set(-5));
        assertEquals(1000, p.get(), "a refused value changes nothing");
    }
}
