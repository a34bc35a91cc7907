package jambox.gpio;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.pwm.Pwm;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;

/** The LEDs by what they show; every method runs on the hardware thread. */
final class LedControls {

    private static final System.Logger LOG = System.getLogger(LedControls.class.getName());

    private record Bypass(String pedal, LedPlayer player) {}

    private final Scheduler scheduler;
    private final List<Bypass> bypass = new ArrayList<>();
    private final List<LedPlayer> status = new ArrayList<>();
    private final List<LedPlayer> beat = new ArrayList<>();
    private final List<LedPlayer> all = new ArrayList<>();
    /** What the status LEDs play; hardware thread only. */
    private Status shown;

    LedControls(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    void add(String place, HardwareMap.Led led, DoubleConsumer output) {
        LedPlayer player = new LedPlayer(reportingFirstFailure(place, output), scheduler);
        all.add(player);
        switch (led.shows().kind()) {
            case BYPASS -> bypass.add(new Bypass(led.shows().pedal(), player));
            case STATUS -> status.add(player);
            case BEAT -> beat.add(player);
        }
    }

    static DoubleConsumer output(DigitalOutput pin) {
        return level -> pin.state(level > 0 ? DigitalState.HIGH : DigitalState.LOW);
    }

    /** Pi4J 3.0 takes whole percent duty cycles. */
    static DoubleConsumer output(Pwm pwm) {
        return level -> {
            int duty = (int) Math.round(Math.clamp(level, 0, 1) * 100);
            if (duty == 0) {
                pwm.off();
            } else {
                pwm.on(duty, Pins.PWM_HZ);
            }
        };
    }

    /** A pin that fails keeps failing at the pattern's pace: say it once. */
    private static DoubleConsumer reportingFirstFailure(String place, DoubleConsumer output) {
        boolean[] reported = {false};
        return level -> {
            try {
                output.accept(level);
            } catch (RuntimeException e) {
                if (!reported[0]) {
                    reported[0] = true;
                    LOG.log(Level.WARNING, place + " cannot be set: " + e.getMessage());
                }
            }
        };
    }

    void bypassed(String pedal, boolean bypassed) {
        for (Bypass led : bypass) {
            if (led.pedal().equals(pedal)) {
                led.player().play(bypassed ? LedPattern.OFF : LedPattern.ON);
            }
        }
    }

    void status(Status now) {
        // The appliance says its status ten times a second: restarting the pattern each time would
        // hold every blink in its first step (ALONE and ERROR would look steadily lit).
        if (now == shown) {
            return;
        }
        shown = now;
        status.forEach(player -> player.play(LedPattern.of(now)));
    }

    void beat() {
        beat.forEach(player -> player.play(LedPattern.BEAT));
    }

    void close() {
        all.forEach(LedPlayer::stop);
    }
}
