package jambox.stream;

/**
 * Audio thread: the rate at which we read a member's stream, steered so the buffer holds its
 * target depth whatever the sender's clock does.
 *
 * <p>The measured depth is jagged (packets land in steps, the network adds jitter), so it is first
 * smoothed with a 0.3 s time constant. A PI loop then sets the read rate: the integral term
 * converges on the clock difference, the proportional term pulls the depth back to where it should
 * be. The loop is tuned near critical damping with a natural frequency of 0.5 rad/s: slow enough
 * that jitter makes no audible vibrato (a 20-frame error moves the rate by about 300 ppm, half a
 * cent), fast enough to settle a 200 ppm clock difference within seconds.
 *
 * <p>A new target is not handed to the loop as a step, which would wind up the integral and
 * corrupt the drift estimate; the set point glides towards it at 1000 ppm of the stream (48 frames
 * a second) and the glide's own rate is fed forward, so the loop only sees the tracking error.
 * Limits: the integral to +-1000 ppm (no two sound cards differ more), the whole correction to
 * +-2000 ppm (3.5 cents, unheard). The published drift estimate is the integral averaged over ten
 * seconds, which takes the jitter out of it.
 */
final class DriftControl {
    private static final double SMOOTHING_SECONDS = 0.3;
    private static final double OMEGA = 0.5;
    private static final double DAMPING = 0.8;
    private static final double KP = 2 * DAMPING * OMEGA / JitterBuffer.SAMPLE_RATE;
    private static final double KI = OMEGA * OMEGA / JitterBuffer.SAMPLE_RATE;
    private static final double GLIDE = 1000e-6;
    private static final double MAX_DRIFT = 1000e-6;
    private static final double MAX_CORRECTION = 2000e-6;
    private static final double ESTIMATE_SECONDS = 10;
    /** Two packets of 64: drift at 1000 ppm with the loop settled stays far inside this. */
    private static final double INTEGRATE_WITHIN_FRAMES = 128;

    private double depth;
    private double setPoint;
    private double drift;
    private double estimate;

    /** Playback (re)starts at this depth: smoothing and set point start from it, the drift stays. */
    void start(double depthFrames) {
        depth = depthFrames;
        setPoint = depthFrames;
    }

    /**
     * Input frames to read per output frame for the next {@code periodFrames}, given the depth now;
     * exactly 1 when tracking is off.
     */
    double ratio(double depthFrames, double targetFrames, int periodFrames, boolean tracking) {
        double dt = (double) periodFrames / JitterBuffer.SAMPLE_RATE;
        depth += Math.min(1, dt / SMOOTHING_SECONDS) * (depthFrames - depth);
        if (!tracking) {
            setPoint = targetFrames;
            return 1.0;
        }
        double glide = clamp(targetFrames - setPoint, GLIDE * periodFrames);
        setPoint += glide;
        double error = depth - setPoint;
        if (Math.abs(error) < INTEGRATE_WITHIN_FRAMES) {
            // Only a small, lasting error is a clock difference. A large one is a burst or a stall
            // (the proportional term and the catch-up deal with those); integrating it would wind
            // the drift estimate far from the truth and slur the pitch for seconds after.
            drift = clamp(drift + KI * error * dt, MAX_DRIFT);
        }
        estimate += Math.min(1, dt / ESTIMATE_SECONDS) * (drift - estimate);
        return 1.0 + clamp(drift + KP * error - glide / periodFrames, MAX_CORRECTION);
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
