package jambox.appliance.audio;

import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.jaudiolibs.jnajack.JackPort;

import jambox.appliance.engine.Engine;

/**
 * The audio-thread half of {@link JackBackend}: copies JACK's port buffers into arrays that live as
 * long as the backend (across server restarts), runs the engine's period, copies back. It never
 * lets a Throwable reach JNAJack, because JNAJack answers one by stopping the client's audio.
 */
final class JackPeriodPump {
    /** jackd2's largest period; the arrays are this long from the start so a resize never reallocates. */
    static final int MAX_FRAMES = Engine.MAX_FRAMES;

    private final PeriodCallback callback;
    private final float[][] in = new float[AudioBackend.CHANNELS][MAX_FRAMES];
    private final float[][] out = new float[AudioBackend.CHANNELS][MAX_FRAMES];
    private final float[] silence = new float[MAX_FRAMES];
    private final AtomicLong faults = new AtomicLong();

    /** Written by JACK's notification thread; volatile also publishes the two fields below it. */
    private volatile int sampleRate;
    private volatile int periodFrames;
    // What the engine was last told; touched by the audio thread, or by an opener while none runs.
    private int announcedRate;
    private int announcedFrames;

    JackPeriodPump(PeriodCallback callback) {
        this.callback = callback;
    }

    /** A client is about to be activated with this format: no period runs now, so tell the engine here. */
    void announce(int rate, int frames) {
        announcedRate = rate;
        announcedFrames = frames;
        callback.format(rate, frames);
        periodFrames = frames;
        sampleRate = rate;
    }

    void sampleRateChanged(int rate) {
        sampleRate = rate;
    }

    int sampleRate() {
        return sampleRate;
    }

    int periodFrames() {
        return periodFrames;
    }

    long faults() {
        return faults.get();
    }

    /** One JACK cycle; always true, since false would end the client's audio for good. */
    boolean pump(JackPort[] inputs, JackPort[] outputs, int frames) {
        try {
            if (frames > MAX_FRAMES) {
                throw new IllegalStateException("a JACK period longer than " + MAX_FRAMES + " frames");
            }
            int rate = sampleRate;
            if (frames != announcedFrames || rate != announcedRate) {
                // The format changed since the last period: the engine hears it before the next one.
                announcedRate = rate;
                announcedFrames = frames;
                periodFrames = frames;
                callback.format(rate, frames);
            }
            for (int c = 0; c < AudioBackend.CHANNELS; c++) {
                inputs[c].getFloatBuffer().get(0, in[c], 0, frames);
            }
            callback.period(in, out, frames);
            for (int c = 0; c < AudioBackend.CHANNELS; c++) {
                outputs[c].getFloatBuffer().put(0, out[c], 0, frames);
            }
        } catch (Throwable t) {
            faults.incrementAndGet();
            silence(outputs, frames);
        }
        return true;
    }

    private void silence(JackPort[] outputs, int frames) {
        for (JackPort port : outputs) {
            try {
                FloatBuffer buffer = port.getFloatBuffer();
                buffer.put(0, silence, 0, Math.min(frames, Math.min(buffer.limit(), MAX_FRAMES)));
            } catch (Throwable ignored) {
                // Nothing more can be done for this period; the fault is counted already.
            }
        }
    }
}
