package jambox.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jambox.protocol.Codec;

/**
 * Where the buffer says it plays a sender's sample ({@link JitterBuffer#localFrame}) is where the
 * sample comes out: impulses in the sender's stream are found in what the buffer renders, and each
 * is asked for by its sample position. With drift tracking the read rate differs from 1, so the
 * impulse is interpolated; its peak is then within a frame of the answer.
 */
class JitterBufferTimingTest {
    private static final int IMPULSE_EVERY = 1009;
    private static final long FIRST_POSITION = 5_000_000_123L;

    @ParameterizedTest(name = "periods of {0}, packets of {1}, sender clock {2} ppm fast, drift tracking {3}")
    @CsvSource({"64, 64, 0, false", "64, 64, 300, true", "128, 48, -200, true", "32, 64, 0, false"})
    void anImpulsePlaysAtTheFrameTheBufferGivesForItsSamplePosition(int period, int packet, int ppm, boolean tracking) {
        Sender sender = new Sender(Codec.FLOAT32, 1, packet, 77, FIRST_POSITION,
                (frame, channel) -> frame % IMPULSE_EVERY == 0 ? 0.9f : 0f);
        JitterBuffer buffer = new JitterBuffer(1);
        buffer.setDriftTracking(tracking);
        buffer.setDepthMode(DepthMode.MANUAL);
        buffer.setManualDepth(6);
        long[] clock = {1_000_000};
        buffer.setClock(() -> clock[0]);
        float[][] out = new float[1][period];
        double packetsPerFrame = (1 + ppm / 1e6) / packet;
        double owed = 0;
        long sent = 0;
        List<Long> predicted = new ArrayList<>();
        List<Long> heard = new ArrayList<>();
        long nextImpulse = 0;
        int seconds = 20;
        for (int k = 0; k < seconds * JitterBuffer.SAMPLE_RATE / period; k++) {
            owed += period * packetsPerFrame;
            while (sent < owed) {
                sender.make(sent++).offerTo(buffer, System.nanoTime());
            }
            buffer.pull(out, period);
            // Ask, after each period, where the next impulses not yet played will come out.
            while (true) {
                long at = buffer.localFrame(FIRST_POSITION + nextImpulse);
                if (at == Long.MIN_VALUE || at >= clock[0] + period + 2 * IMPULSE_EVERY) {
                    break;
                }
                if (at >= clock[0] + period) {
                    predicted.add(at);
                    nextImpulse += IMPULSE_EVERY;
                } else {
                    nextImpulse += IMPULSE_EVERY; // already played before we could ask: not counted
                }
            }
            for (int i = 0; i < period; i++) {
                if (out[0][i] > 0.3f && (i == period - 1 || out[0][i] >= out[0][i + 1])
                        && (i == 0 || out[0][i] > out[0][i - 1])) {
                    heard.add(clock[0] + i);
                }
            }
            clock[0] += period;
        }
        long end = clock[0];
        predicted.removeIf(p -> p >= end - IMPULSE_EVERY / 2); // asked for, but due after the run ended
        int matched = 0;
        long worst = 0;
        for (long p : predicted) {
            long nearest = heard.stream().min((x, y) -> Long.compare(Math.abs(x - p), Math.abs(y - p))).orElseThrow();
            if (Math.abs(nearest - p) < IMPULSE_EVERY / 2) {
                matched++;
                worst = Math.max(worst, Math.abs(nearest - p));
            }
        }
        System.out.printf("JitterBufferTimingTest: period %d, packet %d, %+d ppm, tracking %s: %d impulses asked for,"
                + " %d heard, worst %d frames%n", period, packet, ppm, tracking, predicted.size(), matched, worst);
        assertTrue(predicted.size() > seconds * JitterBuffer.SAMPLE_RATE / IMPULSE_EVERY / 2, "impulses asked for");
        assertEquals(predicted.size(), matched, "every impulse asked for was heard");
        assertTrue(worst <= 1, "each within a frame of where the buffer said: worst " + worst);
    }
}
