package jambox.gpio;

import jambox.gpio.HardwareMap.Adc;
import jambox.gpio.HardwareMap.Encoder;
import jambox.gpio.HardwareMap.Footswitch;
import jambox.gpio.HardwareMap.Led;
import jambox.gpio.HardwareMap.Pot;
import jambox.gpio.HardwareMap.Presses;
import jambox.gpio.HardwareMap.Shows;
import jambox.surface.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HardwareMapTest {

    /** docs/hardware.md's reference build, written out by hand. */
    static final HardwareMap REFERENCE = new HardwareMap(
            new Adc(0, 1_000_000),
            List.of(new Pot(0, Target.param("overdrive", "drive")), new Pot(1, Target.master())),
            List.of(new Footswitch(17, new Presses(Target.bypass("overdrive"), null, null)),
                    new Footswitch(27, new Presses(Target.bypass("delay"), null, null)),
                    new Footswitch(22, new Presses(Target.tap(), null, Target.tuner()))),
            List.of(new Encoder(5, 6, 13, 4, Target.preset(), new Presses(Target.tuner(), null, null)),
                    new Encoder(19, 26, 16, 4, Target.param("delay", "mix"), new Presses(Target.bypass("delay"), null, null))),
            List.of(new Led(23, false, Shows.bypass("overdrive")), new Led(24, false, Shows.bypass("delay")),
                    new Led(12, true, Shows.status()), new Led(25, false, Shows.beat())));

    @Test
    void theDefaultsAreTheReferenceBuild() {
        assertEquals(REFERENCE, HardwareMap.defaults());
    }

    @Test
    void theExampleFileIsTheDefaults() throws Exception {
        Path example = Path.of("..", "examples", "hardware.json");
        assertEquals(HardwareMap.defaults(), HardwareMap.read(example));
    }

    @Test
    void toJsonRoundTrips() throws Exception {
        HardwareMap expression = new HardwareMap(new Adc(1, 500_000),
                List.of(new Pot(2, Target.param("wah", "position"), 0.0, 100.0),
                        new Pot(5, Target.param("eq", "midFreq"), 2000.0, 400.5)),
                List.of(), List.of(), List.of());
        HardwareMap other = new HardwareMap(null, List.of(),
                List.of(new Footswitch(4, new Presses(Target.preset(), Target.tuner(), Target.bypass("reverb"))),
                        new Footswitch(5, new Presses(Target.looper("record"), Target.looper("stop"), Target.looper("undo")))),
                List.of(new Encoder(20, 21, null, 2, Target.monitor(1), null)),
                List.of(new Led(13, true, Shows.beat())));
        for (HardwareMap map : List.of(REFERENCE, other, expression)) {
            byte[] json = map.toJson();
            assertEquals(map, HardwareMap.parse(json, "round trip"));
            assertArrayEquals(json, HardwareMap.parse(json, "again").toJson());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            pin used twice          | "footswitches": [{"pin": 17, "tap": {"kind": "tap"}}], "encoders": [{"pins": {"a": 5, "b": 6}, "turn": {"kind": "master"}}, {"pins": {"a": 20, "b": 17}, "turn": {"kind": "preset"}}]  | encoders[1].pins.b: GPIO 17 is already used by footswitches[0]
            pin off the header      | "footswitches": [{"pin": 28, "tap": {"kind": "tap"}}]                          | footswitches[0].pin: GPIO 28 is not on the header (BCM 2..27)
            pin on SPI0 with an ADC | "adc": {"chipSelect": 0, "hz": 1000000}, "leds": [{"pin": 10, "shows": "beat"}] | leds[0].pin: GPIO 10 is already used by SPI0 (the ADC)
            pwm without PWM         | "leds": [{"pin": 23, "pwm": true, "shows": "status"}]                          | leds[0].pwm: GPIO 23 has no hardware PWM (GPIO 12 and 13 have)
            adc channel twice       | "adc": {"chipSelect": 0, "hz": 1000000}, "pots": [{"adc": 3, "target": {"kind": "master"}}, {"adc": 3, "target": {"kind": "monitor", "channel": 0}}] | pots[1].adc: channel 3 is already used by pots[0]
            adc channel 8           | "adc": {"chipSelect": 0, "hz": 1000000}, "pots": [{"adc": 8, "target": {"kind": "master"}}] | pots[0].adc: must be a whole number 0..7, not 8
            pots without adc        | "pots": [{"adc": 0, "target": {"kind": "master"}}]                             | pots: pots are read through an MCP3008: add "adc"
            unknown field           | "leds": [{"pin": 23, "colour": "red", "shows": "beat"}]                        | leds[0].colour: unknown field (known: pin, pwm, shows)
            unknown kind            | "footswitches": [{"pin": 17, "tap": {"kind": "metronome"}}]                    | footswitches[0].tap.kind: "metronome" is not one of param, bypass, preset, tuner, tap, master, monitor, looper
            looper without action   | "footswitches": [{"pin": 17, "tap": {"kind": "looper"}}]                       | footswitches[0].tap: "action" is missing
            looper wrong action     | "footswitches": [{"pin": 17, "long": {"kind": "looper", "action": "erase"}}]   | footswitches[0].long.action: "erase" is not one of record, overdub, play, stop, undo, clear
            looper on a pot         | "adc": {"chipSelect": 0, "hz": 1000000}, "pots": [{"adc": 0, "target": {"kind": "looper", "action": "record"}}] | pots[0].target: a pot cannot drive looper (it can drive param, master, monitor)
            monitor channel 2       | "encoders": [{"pins": {"a": 5, "b": 6}, "turn": {"kind": "monitor", "channel": 2}}] | encoders[0].turn.channel: must be a whole number 0..1, not 2
            field a kind lacks      | "footswitches": [{"pin": 17, "tap": {"kind": "tuner", "pedal": "delay"}}]      | footswitches[0].tap.pedal: tuner takes no "pedal"
            bad pedal id            | "footswitches": [{"pin": 17, "tap": {"kind": "bypass", "pedal": "Over Drive"}}] | footswitches[0].tap.pedal: "Over Drive" is not an id (a lower-case letter, then letters and digits)
            pot on a bypass         | "adc": {"chipSelect": 0, "hz": 1000000}, "pots": [{"adc": 0, "target": {"kind": "bypass", "pedal": "delay"}}] | pots[0].target: a pot cannot drive bypass (it can drive param, master, monitor)
            switch binding nothing  | "footswitches": [{"pin": 17}]                                                   | footswitches[0]: binds none of "tap", "double", "long"
            push without its pin    | "encoders": [{"pins": {"a": 5, "b": 6}, "turn": {"kind": "preset"}, "push": {"tap": {"kind": "tuner"}}}] | encoders[0].pins.push: "push" gestures need a push pin
            heel without toe        | "adc": {"chipSelect": 0, "hz": 1000000}, "pots": [{"adc": 0, "heel": 10, "target": {"kind": "master"}}] | pots[0].toe: heel and toe come together: give both, or neither for the whole travel
            heel equal to toe       | "adc": {"chipSelect": 0, "hz": 1000000}, "pots": [{"adc": 0, "heel": 3, "toe": 3, "target": {"kind": "master"}}] | pots[0].toe: heel and toe are both 3: the pot would do nothing
            heel not a number       | "adc": {"chipSelect": 0, "hz": 1000000}, "pots": [{"adc": 0, "heel": "low", "toe": 3, "target": {"kind": "master"}}] | pots[0].heel: must be a number, not "low"
            missing target          | "encoders": [{"pins": {"a": 5, "b": 6}}]                                        | encoders[0]: "turn" is missing
            three transitions       | "encoders": [{"pins": {"a": 5, "b": 6}, "transitionsPerDetent": 3, "turn": {"kind": "preset"}}] | encoders[0].transitionsPerDetent: must be 4, 2 or 1, not 3
            pin as text             | "footswitches": [{"pin": "17", "tap": {"kind": "tap"}}]                        | footswitches[0].pin: must be a BCM GPIO number, not "17"
            """)
    void aBadMapNamesThePlaceAndTheReason(String what, String body, String message) {
        byte[] json = ("{\"version\": 1, " + body + "}").getBytes(StandardCharsets.UTF_8);
        BadHardwareException e = assertThrows(BadHardwareException.class, () -> HardwareMap.parse(json, "/etc/jambox/hardware.json"));
        assertEquals("/etc/jambox/hardware.json: " + message, e.getMessage(), what);
    }

    @Test
    void aFileThatIsNotJsonOrOfAnotherVersionSaysSo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hardware.json");
        Files.writeString(file, "{\"version\": 1,\n \"leds\": [}");
        assertEquals(file + ": not JSON at line 2, column 11: Unexpected close marker '}': expected ']'",
                assertThrows(BadHardwareException.class, () -> HardwareMap.read(file)).getMessage());
        Files.writeString(file, "{\"version\": 2}");
        assertEquals(file + ": version: this box reads version 1, not 2",
                assertThrows(BadHardwareException.class, () -> HardwareMap.read(file)).getMessage());
        Files.writeString(file, "{\"leds\": []}");
        assertEquals(file + ": top level: \"version\" is missing",
                assertThrows(BadHardwareException.class, () -> HardwareMap.read(file)).getMessage());
        Path missing = dir.resolve("nothing.json");
        assertEquals(missing + ": no such file",
                assertThrows(BadHardwareException.class, () -> HardwareMap.read(missing)).getMessage());
    }

    @Test
    void onlyStrictJsonIsAMapAndItsMistakesAreSaidInOurWords(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hardware.json");
        String[][] cases = {
                {"{\"version\": 1} }}} garbage", "not JSON at line 1, column 16: more follows the end of the JSON"},
                {"{\"version\": 1}\n{\"version\": 1}", "not JSON at line 2, column 1: more follows the end of the JSON"},
                {"{\"version\": 1, \"leds\": [], \"leds\": []}", "not JSON at line 1, column 34: 'leds' is given twice in one object"},
                {"{\"version\": 1,\n \"leds\": [", "not JSON at line 2, column 11: the file ends in the middle of the JSON"},
                {"{\"version\": 1, \"leds\": " + "[".repeat(40) + "]".repeat(40) + "}", "not JSON: nested more than 16 levels deep"},
        };
        for (String[] c : cases) {
            Files.writeString(file, c[0]);
            String m = assertThrows(BadHardwareException.class, () -> HardwareMap.read(file)).getMessage();
            assertEquals(file + ": " + c[1], m, c[0]);
        }
        assertEquals(dir + ": is a directory, not a file",
                assertThrows(BadHardwareException.class, () -> HardwareMap.read(dir)).getMessage());
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(8L << 30); // sparse: refused after its first megabyte
        }
        assertEquals(file + ": larger than 1024 KiB; not a hardware map",
                assertThrows(BadHardwareException.class, () -> HardwareMap.read(file)).getMessage());
    }

    @Test
    void theConstructorKeepsTheSameRules() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HardwareMap(null, List.of(),
                List.of(new Footswitch(17, new Presses(Target.tap(), null, null)), new Footswitch(17, new Presses(Target.tuner(), null, null))),
                List.of(), List.of()));
        assertEquals("footswitches[1].pin: GPIO 17 is already used by footswitches[0]", e.getMessage());
    }
}
