package jambox.appliance.audio;

import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jaudiolibs.jnajack.Jack;
import org.jaudiolibs.jnajack.JackClient;
import org.jaudiolibs.jnajack.JackException;
import org.jaudiolibs.jnajack.JackOptions;
import org.jaudiolibs.jnajack.JackPort;
import org.jaudiolibs.jnajack.JackPortFlags;
import org.jaudiolibs.jnajack.JackPortType;
import org.jaudiolibs.jnajack.JackStatus;

/**
 * The far side of the backend under test, as a second JACK client: it plays a sine into the
 * backend's inputs and records the backend's outputs, wired by name, not through system ports.
 */
public final class SineProbe implements AutoCloseable {
    private final JackClient client;
    private final JackPort[] send = new JackPort[AudioBackend.CHANNELS];
    private final JackPort[] receive = new JackPort[AudioBackend.CHANNELS];
    private final double step;
    private final float amplitude;
    private double phase;
    private volatile Recording recording;
    private final ProcessThreadExit processExit = new ProcessThreadExit();

    private record Recording(float[][] samples, int[] filled, CountDownLatch done) {
    }

    public SineProbe(String server, double hertz, float amplitude) throws JackException {
        Jack jack = Jack.getInstance();
        client = JackServerSelector.openOn(server, () -> jack.openClient("probe",
                EnumSet.of(JackOptions.JackNoStartServer), EnumSet.noneOf(JackStatus.class)));
        this.amplitude = amplitude;
        for (int c = 0; c < AudioBackend.CHANNELS; c++) {
            send[c] = client.registerPort("to_" + (c + 1), JackPortType.AUDIO, JackPortFlags.JackPortIsOutput);
            receive[c] = client.registerPort("from_" + (c + 1), JackPortType.AUDIO, JackPortFlags.JackPortIsInput);
        }
        step = 2 * Math.PI * hertz / client.getSampleRate();
        client.setProcessCallback(this::process);
        client.setBuffersizeCallback((c, frames) -> {
            JnaJackPorts.forgetBuffers(send);
            JnaJackPorts.forgetBuffers(receive);
        });
        client.activate();
    }

    /** Sine into {@code client}'s in_N, {@code client}'s out_N into the recorder. */
    public void wire(String backendClient) throws JackException {
        wire(backendClient, backendClient);
    }

    /** Sine into {@code sendTo}'s in_N, {@code receiveFrom}'s out_N into the recorder. */
    public void wire(String sendTo, String receiveFrom) throws JackException {
        Jack jack = Jack.getInstance();
        for (int c = 0; c < AudioBackend.CHANNELS; c++) {
            jack.connect(client, send[c].getName(), sendTo + ":in_" + (c + 1));
            jack.connect(client, receiveFrom + ":out_" + (c + 1), receive[c].getName());
        }
    }

    private boolean process(JackClient c, int frames) {
        if (processExit.requested()) {
            return processExit.leave();
        }
        double p = phase;
        for (int i = 0; i < frames; i++) {
            float s = (float) (amplitude * Math.sin(p));
            send[0].getFloatBuffer().put(i, s);
            send[1].getFloatBuffer().put(i, s);
            p += step;
        }
        phase = p % (2 * Math.PI);
        Recording r = recording;
        if (r != null && r.filled[0] < r.samples[0].length) {
            int n = Math.min(frames, r.samples[0].length - r.filled[0]);
            for (int ch = 0; ch < AudioBackend.CHANNELS; ch++) {
                receive[ch].getFloatBuffer().get(0, r.samples[ch], r.filled[0], n);
            }
            r.filled[0] += n;
            if (r.filled[0] == r.samples[0].length) {
                r.done.countDown();
            }
        }
        return true;
    }

    /** The next {@code frames} frames of what arrives, or null if they did not arrive in time. */
    public float[][] record(int frames, long timeoutSeconds) throws InterruptedException {
        Recording r = new Recording(new float[AudioBackend.CHANNELS][frames], new int[1], new CountDownLatch(1));
        recording = r;
        boolean complete = r.done.await(timeoutSeconds, TimeUnit.SECONDS);
        recording = null;
        return complete ? r.samples : null;
    }

    @Override
    public void close() throws InterruptedException {
        processExit.awaitExit(2000);
        client.close();
    }
}
