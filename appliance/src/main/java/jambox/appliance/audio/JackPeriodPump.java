package jambox.appliance.audio;

import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.jaudiolibs.jnajack.JackPort;

import jambox.appliance.engine.Engine;

/**
 * The audio-thread half of {@link JackBackend}: copies JACK's port buffers into arrays that live as
 * long as the backend (across server restarts), runs the engine's period, copies back. It never
 * lets a Throwable reach JNAJack, because JNAJack answers one by stopping the client's audio.
 *
 * <p>The engine hears of a new format on JACK's notification thread (the buffer size and sample
 * rate callbacks, which jackd runs while no process cycle does) or on the opener's thread before
 * activation, never in the process callback: a format may build boards, and that allocates.
 */
final class JackPeriodPump {
    private static final System.Logger LOG = System.getLogger(JackPeriodPump.class.getName());
    /** jackd2's largest period; the arrays are this long from the start so a resize never reallocates. */
    static final int MAX_FRAMES = Engine.MAX_FRAMES;

    private final PeriodCallback callback;
    private final float[][] in = new float[AudioBackend.CHANNELS][MAX_FRAMES];
    private final float[][] out = new float[AudioBackend.CHANNELS][MAX_FRAMES];
    private final float[] silence = new float[MAX_FRAMES];
    /** The ports' views for the period in hand: audio thread only. */
    private final FloatBuffer[] inBuffers = new FloatBuffer[AudioBackend.CHANNELS];
    private final FloatBuffer[] outBuffers = new FloatBuffer[AudioBackend.CHANNELS];
    private final AtomicLong faults = new AtomicLong();

    /**
     * The format the engine was last told. Written by the opener or JACK's notification thread
     * (under this object's lock, so two notifications never interleave), read by the audio thread
     * and status readers.
     */
    private volatile int sampleRate;
    private volatile int periodFrames;
    /** False from {@link #opening} until {@link #announce}: a notification then is the opener's own. */
    private boolean announced; // guarded by this
    /** Periods of a size no notification announced; written by the audio thread only. */
    private volatile long unannounced;

    JackPeriodPump(PeriodCallback callback) {
        this.callback = callback;
    }

    /**
     * A client is being set up: JACK may call the notification callbacks as they are set (jackd2
     * reports the rate at once), before {@link #announce} tells the engine the whole format.
     */
    synchronized void opening() {
        announced = false;
    }

    /** A client is about to be activated with this format: no period runs now, so tell the engine here. */
    synchronized void announce(int rate, int frames) {
        callback.format(rate, frames);
        announced = true;
        periodFrames = frames;
        sampleRate = rate;
    }

    /** JACK's notification thread: the next process cycles will have {@code frames} frames. */
    void bufferSizeChanged(int frames) {
        prepare(sampleRate, frames);
    }

    /** JACK's notification thread: the server runs at {@code rate} now. */
    void sampleRateChanged(int rate) {
        prepare(rate, periodFrames);
    }

    private synchronized void prepare(int rate, int frames) {
        if (!announced) {
            return; // announce follows with the client's whole format
        }
        if (rate == sampleRate && frames == periodFrames) {
            return; // JACK repeats the current format when a callback is set
        }
        try {
            callback.format(rate, frames);
        } catch (RuntimeException e) {
            // The engine cannot run this format (it checks the limits): its periods will be silent.
            faults.incrementAndGet();
            LOG.log(System.Logger.Level.ERROR, "the engine refused " + frames + " frames at " + rate + " Hz", e);
        }
        periodFrames = frames;
        sampleRate = rate;
    }

    int sampleRate() {
        return sampleRate;
    }

    int periodFrames() {
        return periodFrames;
    }

    /**
     * Periods whose size JACK had not announced through the buffer size callback: at most the one
     * in flight at each change on jackd2, which runs clients asynchronously.
     */
    long unannouncedPeriods() {
        return unannounced;
    }

    long faults() {
        return faults.get();
    }

    /** A cycle's other work (its MIDI) failed: counted with the periods' faults. Process thread. */
    void countFault() {
        faults.incrementAndGet();
    }

    /** One JACK cycle; always true, since false would end the client's audio for good. */
    boolean pump(JackPort[] inputs, JackPort[] outputs, int frames) {
        try {
            if (frames > MAX_FRAMES) {
                throw new IllegalStateException("a JACK period longer than " + MAX_FRAMES + " frames");
            }
            int n = frames;
            for (int c = 0; c < AudioBackend.CHANNELS; c++) {
                inBuffers[c] = inputs[c].getFloatBuffer();
                outBuffers[c] = outputs[c].getFloatBuffer();
                n = Math.min(n, Math.min(inBuffers[c].limit(), outBuffers[c].limit()));
            }
            // JNAJack makes a port's view anew only when JACK hands it a different buffer address,
            // sized for that cycle; a cycle of another size at an address seen before keeps the old
            // view. So around a size change (and the one old-size period jackd2 may still run, since
            // it runs clients asynchronously) a view can be shorter than the period: only what it
            // covers is played, where reading past it would throw and silence the whole period.
            if (frames != periodFrames) {
                unannounced++; // single writer
            }
            for (int c = 0; c < AudioBackend.CHANNELS; c++) {
                inBuffers[c].get(0, in[c], 0, n);
            }
            callback.period(in, out, n);
            for (int c = 0; c < AudioBackend.CHANNELS; c++) {
                outBuffers[c].put(0, out[c], 0, n);
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
