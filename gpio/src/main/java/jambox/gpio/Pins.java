package jambox.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.IO;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.io.pwm.Pwm;
import com.pi4j.io.pwm.PwmType;
import com.pi4j.io.spi.Spi;
import com.pi4j.io.spi.SpiBus;
import com.pi4j.io.spi.SpiMode;

import java.util.ArrayList;
import java.util.List;

/**
 * Opens the Pi4J I/O the map asks for, remembering each so that all can be released together, and
 * naming each by its place in hardware.json (the Pi4J id), so a failure says which control it was.
 */
final class Pins {

    /** LEDs are dimmed above what the eye sees as flicker. */
    static final int PWM_HZ = 1000;

    private final Context context;
    private final List<IO<?, ?, ?>> opened = new ArrayList<>();

    Pins(Context context) {
        this.context = context;
    }

    /**
     * A contact to GND with the pin's pull-up. Pi4J's own debounce is off: it holds every edge back until
     * the line has been quiet, which is latency on a switch and lost steps on an encoder; the
     * {@link Debouncer} and the {@link QuadratureDecoder} deal with bounce instead.
     */
    DigitalInput contact(String place, int pin) {
        return open(place, pin, () -> context.create(DigitalInput.newConfigBuilder(context)
                .id(place).name(place).address(pin).pull(PullResistance.PULL_UP).debounce(0L)));
    }

    /** An LED to GND: high is lit. */
    DigitalOutput led(String place, int pin) {
        return open(place, pin, () -> context.create(DigitalOutput.newConfigBuilder(context)
                .id(place).name(place).address(pin).initial(DigitalState.LOW).shutdown(DigitalState.LOW)));
    }

    /** An LED on a hardware PWM channel. */
    Pwm pwmLed(String place, int pin) {
        int channel = MapRules.PWM_CHANNELS.get(pin);
        return open(place, pin, () -> context.create(Pwm.newConfigBuilder(context)
                .id(place).name(place).address(channel).pwmType(PwmType.HARDWARE)
                .frequency(PWM_HZ).initial(0).shutdown(0)));
    }

    /** The MCP3008 on SPI0: mode 0, most significant bit first. */
    Spi adc(HardwareMap.Adc adc) {
        return open("adc", -1, () -> context.create(Spi.newConfigBuilder(context)
                .id("adc").name("MCP3008").bus(SpiBus.BUS_0).address(adc.chipSelect())
                .mode(SpiMode.MODE_0).baud(adc.hz())));
    }

    private <T extends IO<?, ?, ?>> T open(String place, int pin, java.util.function.Supplier<T> create) {
        try {
            T io = create.get();
            opened.add(io);
            return io;
        } catch (RuntimeException e) {
            String what = pin < 0 ? "SPI0" : "GPIO " + pin;
            throw new IllegalStateException(place + " (" + what + "): " + e.getMessage(), e);
        }
    }

    /** Releases every pin opened here; Pi4J puts outputs in their shutdown state (LEDs dark). */
    void releaseAll() {
        for (IO<?, ?, ?> io : opened.reversed()) {
            try {
                context.shutdown(io.id());
            } catch (RuntimeException e) {
                System.getLogger(Pins.class.getName()).log(System.Logger.Level.WARNING,
                        "releasing " + io.id() + ": " + e.getMessage());
            }
        }
        opened.clear();
    }
}
