package jambox.bench.latency;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
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

import jambox.appliance.audio.JackServerSelector;

/**
 * A JACK client that sends a one-sample impulse every {@code interval} frames into one client's
 * first input and notes the frame at which each arrives at another client's first output, both
 * read from JACK's frame clock: one clock, nothing to reconcile. An interval that is not a
 * multiple of the period puts the impulses at every offset within a period.
 */
final class ImpulseProbe implements AutoCloseable {
    private static final float HEIGHT = 0.9f;
    private static final float THRESHOLD = 0.3f;

    private final JackClient client;
    private final JackPort send;
    private final JackPort receive;
    private final int interval;
    private final long[] heard = new long[4096];
    private volatile int count;
    private volatile boolean listening;
    private long quietUntil;
    private volatile boolean stopping;
    private final CountDownLatch stopped = new CountDownLatch(1);

    ImpulseProbe(String server, int interval) throws JackException {
        this.interval = interval;
        Jack jack = Jack.getInstance();
        client = JackServerSelector.openOn(server, () -> jack.openClient("impulses",
                EnumSet.of(JackOptions.JackNoStartServer), EnumSet.noneOf(JackStatus.class)));
        send = client.registerPort("to_1", JackPortType.AUDIO, JackPortFlags.JackPortIsOutput);
        receive = client.registerPort("from_1", JackPortType.AUDIO, JackPortFlags.JackPortIsInput);
        client.setProcessCallback(this::process);
        client.activate();
    }

    /** Impulses into {@code sendTo}:in_1; {@code receiveFrom}:out_1 is listened to. */
    void wire(String sendTo, String receiveFrom) throws JackException {
        Jack jack = Jack.getInstance();
        jack.connect(client, send.getName(), sendTo + ":in_1");
        jack.connect(client, receiveFrom + ":out_1", receive.getName());
    }

    private boolean process(JackClient c, int frames) {
        if (stopping) {
            // Let JNAJack detach this thread before the client closes (see JackSession).
            stopped.countDown();
            return false;
        }
        long start;
        try {
            start = c.getLastFrameTime();
        } catch (JackException e) {
            return true;
        }
        boolean listen = listening;
        for (int i = 0; i < frames; i++) {
            long frame = start + i;
            send.getFloatBuffer().put(i, frame % interval == 0 ? HEIGHT : 0f);
            if (listen && frame >= quietUntil && receive.getFloatBuffer().get(i) > THRESHOLD && count < heard.length) {
                heard[count] = frame;
                count = count + 1;
                quietUntil = frame + interval / 2;
            }
        }
        return true;
    }

    /** Notes arrivals from now on. */
    void listen() {
        listening = true;
    }

    int heard() {
        return count;
    }

    /** Each heard impulse's latency in frames: its arrival minus the last impulse sent before it. */
    List<Long> latencies() {
        List<Long> out = new ArrayList<>();
        int n = count;
        for (int i = 0; i < n; i++) {
            out.add(heard[i] % interval);
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        stopped.await(1, TimeUnit.SECONDS);
        client.close();
    }
}
