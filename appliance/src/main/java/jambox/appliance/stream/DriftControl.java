package jambox.appliance.stream;

/**
 * Audio thread: the rate at which we read a member's stream, steered so the buffer holds its
 * target depth whatever the sender's clock does.
 *
 * <p>The measured depth is jagged (packets land in steps, the network adds jitter), so it is first
 * smoothed with a 0.3 s time constant. A PI loop then sets the read rate: the integral term
 * converges on the clock difference, the proportional term pulls the
 * depth back to the target. The loop is tuned near critical damping with a natural frequency of
 * 0.5 rad/s: slow enough that jitter makes no audible vibrato (a 20-frame error moves the rate by
 * about 300 ppm, half a cent), fast enough to settle a 200 ppm clock difference within seconds
 * and to follow a new target at the rate limit. Limits: the integral to +-1000 ppm (no two sound
 * cards differ more), the rate to +-2000 ppm (3.5 cents, unheard, and a packet's worth of depth
 * in under a second at 64 frames).
 *
 * <p>The integral term alone is a noisy drift estimate (it carries the loop's reaction to jitter),
 * so the published estimate is the correction actually applied, averaged over ten seconds.
 */
final class DriftControl {
    private static final double SMOOTHING_SECONDS = 0.3;
    private static final double OMEGA = 0.5;
    private static final double DAMPING = 0.8;
    private static final double KP = 2 * DAMPING * OMEGA / JitterBuffer.SAMPLE_RATE;
    private static final double KI = OMEGA * OMEGA / JitterBuffer.SAMPLE_RATE;
    private static final double MAX_DRIFT = 1000e-6;
    private static final double MAX_CORRECTION = 2000e-6;
    private static final double ESTIMATE_SECONDS = 10;

    private double depth;
    private double drift;
    private double estimate;

    /** Playback (re)starts at this depth: the smoothing starts from it, the drift estimate stays. */
    void start(double depthFrames) {
        depth = depthFrames;
    }

    /**
     * Input frames to read per output frame for the next {@code periodFrames}, given the depth now;
     * exactly 1 when tracking is off.
     */
    double ratio(double depthFrames, double targetFrames, int periodFrames, boolean tracking) {
        double dt = (double) periodFrames / JitterBuffer.SAMPLE_RATE;
        depth += Math.min(1, dt / SMOOTHING_SECONDS) * (depthFrames - depth);
        if (!tracking) {
            return 1.0;
        }
        double error = depth - targetFrames;
        drift = clamp(drift + KI * error * dt, MAX_DRIFT);
        double correction = clamp(drift + KP * error, MAX_CORRECTION);
        estimate += Math.min(1, dt / ESTIMATE_SECONDS) * (correction - estimate);
        return 1.0 + correction;
    }

    /** The smoothed depth in frames. */
    double depth() {
        return depth;
    }

    /** How much faster the sender's clock runs than ours, in parts per million. */
    double driftPpm() {
        return estimate * 1e6;
    }

    private static double clamp(double x, double limit) {
        return Math.max(-limit, Math.min(limit, x));
    }
}
