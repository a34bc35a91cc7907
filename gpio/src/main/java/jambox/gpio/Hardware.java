package jambox.gpio;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import jambox.gpio.HardwareMap.Encoder;
import jambox.gpio.HardwareMap.Footswitch;
import jambox.gpio.HardwareMap.Led;
import jambox.surface.SurfaceListener;
import jambox.surface.Target;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The box's knobs, footswitches and LEDs, running. All of it lives on one thread, {@code jambox-gpio}:
 * the listener is called there, and the methods here only hand their work to it, so they never block
 * and may be called from any thread.
 */
public final class Hardware implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Hardware.class.getName());
    /**
     * Pi4J narrates at INFO (its providers log every SPI transfer: 100 lines a second from the pots);
     * only its warnings belong in the box's log. Held here so the setting is not collected with the logger.
     */
    private static final java.util.logging.Logger PI4J_LOG = java.util.logging.Logger.getLogger("com.pi4j");

    static {
        PI4J_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final Scheduler scheduler;
    private final Pins pins;
    private final Context ownContext;
    private final List<SwitchControl> switches = new ArrayList<>();
    private final LedControls leds;
    /** Set while starting, read on the hardware thread. */
    private volatile PotControls pots;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Hardware(Context pi4j, Scheduler scheduler, Context ownContext) {
        this.scheduler = scheduler;
        this.pins = new Pins(pi4j);
        this.ownContext = ownContext;
        this.leds = new LedControls(scheduler);
    }

    /**
     * Opens every pin of the map on {@code pi4j} and starts reading them; the status LED shows STARTING.
     *
     * @throws IllegalStateException when a pin or the SPI bus cannot be opened; the message names the
     *                               control ({@code "footswitches[0] (GPIO 17): ..."}); nothing stays open
     */
    public static Hardware start(Context pi4j, HardwareMap map, SurfaceListener listener) {
        return start(pi4j, map, listener, new ThreadScheduler(), null);
    }

    /** On a Pi (gpiod + linuxfs available): started; anywhere else: empty, after logging ONE line saying why. */
    public static Optional<Hardware> startOnThisMachine(HardwareMap map, SurfaceListener listener) {
        Optional<String> missing = MachineProbe.missing(map, Path.of("/"));
        if (missing.isPresent()) {
            LOG.log(Level.INFO, "no knobs, footswitches or LEDs: " + missing.get());
            return Optional.empty();
        }
        try {
            Context pi4j = Pi4J.newAutoContext();
            // A start that fails has released its pins and shut this context down.
            return Optional.of(start(pi4j, map, listener, new ThreadScheduler(), pi4j));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "no knobs, footswitches or LEDs: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** @param ownContext the context to shut down on close, when this Hardware made it; else null */
    static Hardware start(Context pi4j, HardwareMap map, SurfaceListener listener, Scheduler scheduler, Context ownContext) {
        Hardware hardware = new Hardware(pi4j, scheduler, ownContext);
        try {
            hardware.open(map, listener);
        } catch (RuntimeException e) {
            hardware.close();
            throw e;
        }
        return hardware;
    }

    private void open(HardwareMap map, SurfaceListener listener) {
        for (int i = 0; i < map.leds().size(); i++) {
            Led led = map.leds().get(i);
            String place = "leds[" + i + "]";
            leds.add(place, led, led.pwm() ? pwmOrOnOff(place, led.pin()) : LedControls.output(pins.led(place, led.pin())));
        }
        scheduler.run(() -> leds.status(Status.STARTING));
        for (int i = 0; i < map.footswitches().size(); i++) {
            Footswitch footswitch = map.footswitches().get(i);
            String place = "footswitches[" + i + "]";
            switches.add(new SwitchControl(pins.contact(place, footswitch.pin()), footswitch.presses(), scheduler, listener));
        }
        for (int i = 0; i < map.encoders().size(); i++) {
            Encoder encoder = map.encoders().get(i);
            String place = "encoders[" + i + "]";
            DigitalInput a = pins.contact(place + ".pins.a", encoder.pinA());
            DigitalInput b = pins.contact(place + ".pins.b", encoder.pinB());
            new EncoderControl(a, b, encoder, scheduler, listener);
            if (encoder.pinPush() != null) {
                DigitalInput push = pins.contact(place + ".pins.push", encoder.pinPush());
                switches.add(new SwitchControl(push, encoder.push(), scheduler, listener));
            }
        }
        if (map.adc() != null && !map.pots().isEmpty()) {
            pots = new PotControls(new Mcp3008(pins.adc(map.adc())), map.pots(), scheduler, listener);
        }
    }

    /**
     * A PWM LED whose channel cannot be opened (no {@code dtoverlay=pwm} in config.txt) lights on
     * and off instead: one LED without brightness must not leave the player without every knob.
     */
    private java.util.function.DoubleConsumer pwmOrOnOff(String place, int pin) {
        try {
            return LedControls.output(pins.pwmLed(place, pin));
        } catch (IllegalStateException e) {
            LOG.log(Level.WARNING, e.getMessage() + "; it lights on and off instead (dtoverlay=pwm,pin=12,func=4"
                    + " in config.txt gives it brightness)");
            return LedControls.output(pins.led(place, pin));
        }
    }

    /** The box's value of {@code target} now, 0..1: the pots bound to it let go until they are turned to it. */
    public void current(Target target, double position) {
        scheduler.run(() -> {
            if (pots != null) {
                pots.current(target, position);
            }
        });
    }

    /** LEDs that show {@code pedal}'s bypass: lit when the pedal is on (engaged), dark when bypassed. */
    public void bypassed(String pedal, boolean bypassed) {
        scheduler.run(() -> leds.bypassed(pedal, bypassed));
    }

    /** The status LED's pattern. */
    public void status(Status status) {
        scheduler.run(() -> leds.status(status));
    }

    /** A short flash on the LEDs that show the beat. */
    public void beat() {
        scheduler.run(leds::beat);
    }

    /** Stops reading, darkens the LEDs and releases every pin (and Pi4J, when this Hardware started it). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        scheduler.close();
        switches.forEach(SwitchControl::close);
        if (pots != null) {
            pots.close();
        }
        leds.close();
        pins.releaseAll();
        if (ownContext != null) {
            try {
                ownContext.shutdown();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "shutting Pi4J down: " + e.getMessage());
            }
        }
    }
}
