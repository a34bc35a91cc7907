package jambox.gpio;

import jambox.gpio.HardwareMap.Adc;
import jambox.gpio.HardwareMap.Encoder;
import jambox.gpio.HardwareMap.Footswitch;
import jambox.gpio.HardwareMap.Led;
import jambox.gpio.HardwareMap.Pot;
import jambox.gpio.HardwareMap.Presses;
import jambox.surface.Target;
import jambox.surface.Target.Kind;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules a hardware map obeys, each broken one reported as {@code "<place>: <reason>"} with the place
 * written as in hardware.json ({@code encoders[1].pins.b}).
 */
final class MapRules {

    static final int FIRST_PIN = 2;
    static final int LAST_PIN = 27;
    /** GPIO 12 is PWM channel 0 and GPIO 13 channel 1 on both the Pi 4 and the Pi 5. */
    static final Map<Integer, Integer> PWM_CHANNELS = Map.of(12, 0, 13, 1);
    static final int MIN_SPI_HZ = 10_000;
    /** The MCP3008's limit at 2.7 V; at 3.3 V it does a little more. */
    static final int MAX_SPI_HZ = 1_350_000;
    static final Set<Kind> ABSOLUTE = EnumSet.of(Kind.PARAM, Kind.MASTER, Kind.MONITOR);
    static final Set<Kind> RELATIVE = EnumSet.of(Kind.PARAM, Kind.MASTER, Kind.MONITOR, Kind.PRESET);
    static final Set<Kind> PRESSED = EnumSet.of(Kind.BYPASS, Kind.PRESET, Kind.TUNER, Kind.TAP, Kind.LOOPER);

    private final Map<Integer, String> pinOwners = new HashMap<>();

    private MapRules() {}

    /** Whether each is inside the target's range is the appliance's to say: it knows the catalog. */
    private static void heelAndToe(String place, Double heel, Double toe) {
        if ((heel == null) != (toe == null)) {
            throw bad(place + (heel == null ? ".heel" : ".toe"), "heel and toe come together: give both, or neither for the whole travel");
        }
        if (heel == null) {
            return;
        }
        if (!Double.isFinite(heel) || !Double.isFinite(toe)) {
            throw bad(place + (Double.isFinite(heel) ? ".toe" : ".heel"), "must be a number");
        }
        if (heel.equals(toe)) {
            throw bad(place + ".toe", "heel and toe are both " + (heel == Math.rint(heel) ? Long.toString(heel.longValue()) : heel.toString()) + ": the pot would do nothing");
        }
    }

    static void check(Adc adc, List<Pot> pots, List<Footswitch> footswitches, List<Encoder> encoders, List<Led> leds) {
        MapRules rules = new MapRules();
        if (adc != null) {
            rules.adc(adc);
        } else if (!pots.isEmpty()) {
            throw bad("pots", "pots are read through an MCP3008: add \"adc\"");
        }
        Map<Integer, String> channelOwners = new HashMap<>();
        for (int i = 0; i < pots.size(); i++) {
            String place = "pots[" + i + "]";
            Pot pot = pots.get(i);
            if (pot.adc() < 0 || pot.adc() > 7) {
                throw bad(place + ".adc", "the MCP3008 has channels 0..7, not " + pot.adc());
            }
            String owner = channelOwners.putIfAbsent(pot.adc(), place);
            if (owner != null) {
                throw bad(place + ".adc", "channel " + pot.adc() + " is already used by " + owner);
            }
            target(place + ".target", pot.target(), ABSOLUTE, "a pot", true);
            heelAndToe(place, pot.heel(), pot.toe());
        }
        for (int i = 0; i < footswitches.size(); i++) {
            String place = "footswitches[" + i + "]";
            rules.pin(place + ".pin", place, footswitches.get(i).pin());
            presses(place, footswitches.get(i).presses());
        }
        for (int i = 0; i < encoders.size(); i++) {
            String place = "encoders[" + i + "]";
            Encoder encoder = encoders.get(i);
            rules.pin(place + ".pins.a", place, encoder.pinA());
            rules.pin(place + ".pins.b", place, encoder.pinB());
            if (encoder.pinPush() != null) {
                rules.pin(place + ".pins.push", place, encoder.pinPush());
                if (encoder.push() == null) {
                    throw bad(place + ".push", "the push pin needs its gestures (\"push\": {\"tap\": ...})");
                }
                presses(place + ".push", encoder.push());
            } else if (encoder.push() != null) {
                throw bad(place + ".pins.push", "\"push\" gestures need a push pin");
            }
            int transitions = encoder.transitionsPerDetent();
            if (transitions != 1 && transitions != 2 && transitions != 4) {
                throw bad(place + ".transitionsPerDetent", "must be 4, 2 or 1, not " + transitions);
            }
            target(place + ".turn", encoder.turn(), RELATIVE, "an encoder", true);
        }
        for (int i = 0; i < leds.size(); i++) {
            String place = "leds[" + i + "]";
            Led led = leds.get(i);
            rules.pin(place + ".pin", place, led.pin());
            if (led.pwm() && !PWM_CHANNELS.containsKey(led.pin())) {
                throw bad(place + ".pwm", "GPIO " + led.pin() + " has no hardware PWM (GPIO 12 and 13 have)");
            }
            if (led.shows() == null) {
                throw bad(place + ".shows", "missing");
            }
        }
    }

    private void adc(Adc adc) {
        if (adc.chipSelect() != 0 && adc.chipSelect() != 1) {
            throw bad("adc.chipSelect", "SPI0 has chip selects 0 (GPIO 8) and 1 (GPIO 7), not " + adc.chipSelect());
        }
        if (adc.hz() < MIN_SPI_HZ || adc.hz() > MAX_SPI_HZ) {
            throw bad("adc.hz", "the MCP3008 is clocked at " + MIN_SPI_HZ + ".." + MAX_SPI_HZ + " Hz, not " + adc.hz());
        }
        // dtparam=spi=on hands CE1, CE0, MISO, MOSI and SCLK (GPIO 7..11) to the kernel's SPI driver.
        for (int pin = 7; pin <= 11; pin++) {
            pinOwners.put(pin, "SPI0 (the ADC)");
        }
    }

    private void pin(String place, String owner, int pin) {
        if (pin < FIRST_PIN || pin > LAST_PIN) {
            throw bad(place, "GPIO " + pin + " is not on the header (BCM " + FIRST_PIN + ".." + LAST_PIN + ")");
        }
        String previous = pinOwners.putIfAbsent(pin, owner);
        if (previous != null) {
            throw bad(place, "GPIO " + pin + " is already used by " + previous);
        }
    }

    private static void presses(String place, Presses presses) {
        if (presses == null || presses.tap() == null && presses.doubleTap() == null && presses.longPress() == null) {
            throw bad(place, "binds none of \"tap\", \"double\", \"long\"");
        }
        target(place + ".tap", presses.tap(), PRESSED, "a press", false);
        target(place + ".double", presses.doubleTap(), PRESSED, "a press", false);
        target(place + ".long", presses.longPress(), PRESSED, "a press", false);
    }

    private static void target(String place, Target target, Set<Kind> allowed, String what, boolean required) {
        if (target == null) {
            if (required) {
                throw bad(place, "missing");
            }
            return;
        }
        if (!allowed.contains(target.kind())) {
            throw bad(place, what + " cannot drive " + target.kind().jsonName() + " (it can drive "
                    + String.join(", ", allowed.stream().map(Kind::jsonName).toList()) + ")");
        }
    }

    private static IllegalArgumentException bad(String place, String reason) {
        return new IllegalArgumentException(place + ": " + reason);
    }
}
