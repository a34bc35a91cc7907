package jambox.appliance.audio;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.jaudiolibs.jnajack.Jack;
import org.jaudiolibs.jnajack.JackClient;
import org.jaudiolibs.jnajack.JackException;
import org.jaudiolibs.jnajack.JackLatencyCallbackMode;
import org.jaudiolibs.jnajack.JackOptions;
import org.jaudiolibs.jnajack.JackPort;
import org.jaudiolibs.jnajack.JackPortFlags;
import org.jaudiolibs.jnajack.JackPortType;
import org.jaudiolibs.jnajack.JackStatus;

/**
 * A JACK client that sends a one-sample impulse every {@code interval} frames into one client's
 * first input and notes the frame at which each arrives at another client's first output. Both
 * frames are read from JACK's own frame clock, so the difference is the path's latency with no
 * second clock to reconcile. The interval is not a multiple of the period, so impulses land at
 * every offset within a period.
 */
public final class ImpulseProbe implements AutoCloseable {
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
    private final ProcessThreadExit processExit = new ProcessThreadExit();

    public ImpulseProbe(String server, int interval) throws JackException {
        this.interval = interval;
        Jack jack = Jack.getInstance();
        client = JackServerSelector.openOn(server, () -> jack.openClient("impulses",
                EnumSet.of(JackOptions.JackNoStartServer), EnumSet.noneOf(JackStatus.class)));
        send = client.registerPort("to_1", JackPortType.AUDIO, JackPortFlags.JackPortIsOutput);
        receive = client.registerPort("from_1", JackPortType.AUDIO, JackPortFlags.JackPortIsInput);
        client.setProcessCallback(this::process);
        client.setBuffersizeCallback((c, frames) -> JnaJackPorts.forgetBuffers(send, receive));
        client.activate();
    }

    /** Impulses into {@code sendTo}:in_1; {@code receiveFrom}:out_1 is listened to. */
    public void wire(String sendTo, String receiveFrom) throws JackException {
        Jack jack = Jack.getInstance();
        jack.connect(client, send.getName(), sendTo + ":in_1");
        jack.connect(client, receiveFrom + ":out_1", receive.getName());
    }

    private boolean process(JackClient c, int frames) {
        if (processExit.requested()) {
            return processExit.leave();
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

    /** Forgets what was heard and notes arrivals from now on. */
    public void listen() {
        listening = false;
        count = 0;
        quietUntil = 0;
        listening = true;
    }

    /** Impulses heard since {@link #listen}. */
    public int heard() {
        return count;
    }

    /** Each heard impulse's latency in frames: its arrival minus the last impulse sent before it. */
    public List<Long> latencies() {
        List<Long> out = new ArrayList<>();
        int n = count;
        for (int i = 0; i < n; i++) {
            out.add(heard[i] % interval);
        }
        return out;
    }

    /**
     * What JACK itself reports for the two connections, in frames: the playback latency downstream
     * of our output and the capture latency upstream of our input, each as "min-max".
     */
    public String reportedLatency() throws JackException {
        JackPort.JackLatencyRange out = new JackPort.JackLatencyRange();
        JackPort.JackLatencyRange in = new JackPort.JackLatencyRange();
        send.getLatencyRange(out, JackLatencyCallbackMode.JackPlaybackLatency);
        receive.getLatencyRange(in, JackLatencyCallbackMode.JackCaptureLatency);
        return "playback " + out.getMin() + "-" + out.getMax() + ", capture " + in.getMin() + "-" + in.getMax();
    }

    @Override
    public void close() throws InterruptedException {
        processExit.awaitExit(2000);
        client.close();
    }
}
