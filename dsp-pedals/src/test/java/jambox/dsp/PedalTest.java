package jambox.dsp;

import static jambox.dsp.Signals.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import be.tarsos.dsp.AudioEvent;
import be.tarsos.dsp.io.TarsosDSPAudioFormat;
import jambox.dsp.pedal.Boost;

class PedalTest {

    @Test
    void aPedalIsATarsosAudioProcessor() {
        Pedal boost = pedal(Boost.TYPE);
        boost.set("gain", 20);
        AudioEvent event = new AudioEvent(new TarsosDSPAudioFormat(FS, 16, 1, true, false));
        float[] buf = new float[BLOCK];
        java.util.Arrays.fill(buf, 0.01f);
        event.setFloatBuffer(buf);
        assertTrue(boost.process(event));
        assertEquals(0.1f, event.getFloatBuffer()[BLOCK - 1], 1e-4f);
        event.setFloatBuffer(new float[BLOCK * 2]);
        assertThrows(IllegalStateException.class, () -> boost.process(event), "a block larger than prepared is refused");
    }

    @Test
    void aPoisonedSampleBecomesSilenceAndThePedalPlaysOn() {
        Pedal boost = pedal(Boost.TYPE);
        float[] block = new float[BLOCK];
        java.util.Arrays.fill(block, 0.5f);
        block[10] = Float.NaN;
        block[20] = Float.NEGATIVE_INFINITY;
        block[30] = 1e9f;
        block[40] = 1e-39f;
        boost.run(block, BLOCK);
        assertEquals(0f, block[10]);
        assertEquals(0f, block[20]);
        assertEquals(Pedal.OUTPUT_LIMIT, block[30]);
        assertEquals(0f, block[40]);
        assertEquals(0.5f * (float) Math.pow(10, 6 / 20.0), block[50], 1e-4f);
    }
}
