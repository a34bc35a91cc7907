package jambox.gpio;

import jambox.surface.Target;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Which pins and ADC channels the box has and what each is bound to: the content of hardware.json.
 * Pins are BCM GPIO numbers. A map that exists is valid: the constructor checks every rule
 * ({@link MapRules}) and names the place of the first one broken.
 *
 * @param adc          the MCP3008 on SPI0, or null when the build has no pots
 * @param pots         pots on ADC channels, each setting a target absolutely
 * @param footswitches momentary switches to GND
 * @param encoders     rotary encoders, with an optional push switch
 * @param leds         LEDs to GND through a resistor
 */
public record HardwareMap(Adc adc, List<Pot> pots, List<Footswitch> footswitches, List<Encoder> encoders, List<Led> leds) {

    public static final int VERSION = 1;

    /**
     * An MCP3008 on SPI0.
     *
     * @param chipSelect 0 (CE0, GPIO 8) or 1 (CE1, GPIO 7)
     * @param hz         the SPI clock
     */
    public record Adc(int chipSelect, int hz) {}

    /**
     * A pot on an ADC channel (0..7); its target is PARAM, MASTER or MONITOR.
     *
     * @param heel the target's value with the pot all the way down (an expression pedal's heel), in
     *             the target's own units (a parameter's, dB for the master and monitors); with
     *             {@code toe}, or both null for the target's whole travel
     * @param toe  the value all the way up; below {@code heel} turns the pot round. Between the two
     *             the pot follows the target's taper, as its knob on the page does
     */
    public record Pot(int adc, Target target, Double heel, Double toe) {
        /** A pot over its target's whole travel. */
        public Pot(int adc, Target target) {
            this(adc, target, null, null);
        }

        public boolean hasRange() {
            return heel != null;
        }
    }

    /**
     * What a switch does by gesture; each may be null. Targets are BYPASS, PRESET (next), TUNER or TAP.
     * Binding {@code doubleTap} makes a single tap wait out the double-tap window; binding {@code longPress}
     * makes a tap fire on release; with neither, a tap fires the moment the switch closes.
     */
    public record Presses(Target tap, Target doubleTap, Target longPress) {}

    /** A footswitch on a pin. */
    public record Footswitch(int pin, Presses presses) {}

    /**
     * A rotary encoder.
     *
     * @param pinA                 contact A
     * @param pinB                 contact B (A leading B is +1; swap them to turn the direction round)
     * @param pinPush              the push switch, or null
     * @param transitionsPerDetent quadrature transitions from one detent to the next: 4 (most), 2 or 1
     * @param turn                 PARAM, MASTER, MONITOR or PRESET
     * @param push                 the push switch's gestures, or null (exactly when pinPush is null)
     */
    public record Encoder(int pinA, int pinB, Integer pinPush, int transitionsPerDetent, Target turn, Presses push) {}

    /** An LED on a pin; {@code pwm} only where the pin has hardware PWM (GPIO 12, 13), for brightness. */
    public record Led(int pin, boolean pwm, Shows shows) {}

    /** What an LED shows: a pedal's bypass state (lit when the pedal is on), the box's status, or the beat. */
    public record Shows(Kind kind, String pedal) {
        public enum Kind { BYPASS, STATUS, BEAT }

        public Shows {
            Objects.requireNonNull(kind, "kind");
            if (kind == Kind.BYPASS ? !Target.isId(pedal) : pedal != null) {
                throw new IllegalArgumentException(kind == Kind.BYPASS
                        ? "bypass needs a pedal id like \"overdrive\", not " + pedal : kind + " takes no pedal");
            }
        }

        public static Shows bypass(String pedal) {
            return new Shows(Kind.BYPASS, pedal);
        }

        public static Shows status() {
            return new Shows(Kind.STATUS, null);
        }

        public static Shows beat() {
            return new Shows(Kind.BEAT, null);
        }
    }

    public HardwareMap {
        pots = List.copyOf(pots);
        footswitches = List.copyOf(footswitches);
        encoders = List.copyOf(encoders);
        leds = List.copyOf(leds);
        MapRules.check(adc, pots, footswitches, encoders, leds);
    }

    /** A hardware map is a few KiB; a file this big is not one, and is refused without being read whole. */
    static final int MAX_FILE_BYTES = 1 << 20;

    /** Reads and checks a hardware.json; the exception's message starts with the path. */
    public static HardwareMap read(Path file) throws BadHardwareException {
        if (Files.isDirectory(file)) {
            throw new BadHardwareException(file + ": is a directory, not a file");
        }
        byte[] json;
        try (InputStream in = Files.newInputStream(file)) {
            json = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new BadHardwareException(file + ": no such file", e);
        } catch (IOException e) {
            throw new BadHardwareException(file + ": cannot read it: " + e, e);
        }
        if (json.length > MAX_FILE_BYTES) {
            throw new BadHardwareException(file + ": larger than " + MAX_FILE_BYTES / 1024 + " KiB; not a hardware map");
        }
        return parse(json, file.toString());
    }

    /** Parses and checks hardware.json bytes; {@code origin} starts every error message (a path, "the page", ...). */
    public static HardwareMap parse(byte[] json, String origin) throws BadHardwareException {
        return MapReader.read(json, origin);
    }

    /** The reference build of docs/hardware.md, shipped in the jar as jambox/gpio/hardware.json. */
    public static HardwareMap defaults() {
        String resource = "hardware.json";
        try (InputStream in = HardwareMap.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("jambox/gpio/" + resource + " is missing from the jar");
            }
            return parse(in.readAllBytes(), "jambox/gpio/" + resource);
        } catch (IOException | BadHardwareException e) {
            throw new IllegalStateException("the built-in hardware map is broken: " + e.getMessage(), e);
        }
    }

    /** This map as hardware.json (UTF-8, indented); {@link #parse} gives back an equal map. */
    public byte[] toJson() {
        return MapWriter.write(this);
    }
}
