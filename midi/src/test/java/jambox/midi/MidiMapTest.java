package jambox.midi;

import jambox.surface.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MidiMapTest {

    /** One of everything midi.json can say. */
    static final MidiMap FULL = new MidiMap(List.of(
            Binding.of(Source.cc(11, 1), Target.param("delay", "time")),
            new Binding(Source.cc(74, Source.ANY), Target.param("eq", "midFreq"), null, new Range(400, 2000, Curve.LOG), Binding.NEXT),
            new Binding(Source.cc(7, 16), Target.master(), null, new Range(-30, 0, Curve.LINEAR), Binding.NEXT),
            new Binding(Source.cc(4, 3), Target.param("wah", "position"), null, new Range(90, 10, Curve.TAPER), Binding.NEXT),
            new Binding(Source.cc(20, 2), Target.param("delay", "mix"), Encoding.TWOS_COMPLEMENT, null, Binding.NEXT),
            new Binding(Source.cc(21, 2), Target.monitor(1), Encoding.SIGNED_BIT, null, Binding.NEXT),
            new Binding(Source.cc(22, 2), Target.preset(), Encoding.BINARY_OFFSET, null, Binding.NEXT),
            Binding.of(Source.cc(80, 1), Target.bypass("overdrive")),
            Binding.of(Source.note(60, Source.ANY), Target.tap()),
            new Binding(Source.note(62, 1), Target.preset(), null, null, Binding.PREVIOUS),
            new Binding(Source.note(64, 1), Target.preset(), null, null, 3),
            Binding.of(Source.program(127, 10), Target.tuner())),
            new Programs(true, 1, 1));

    @Test
    void toJsonRoundTripsThroughAFile(@TempDir Path dir) throws Exception {
        for (MidiMap map : List.of(FULL, MidiMap.EMPTY, new MidiMap(List.of(), Programs.OFF))) {
            byte[] json = map.toJson();
            assertEquals(map, MidiMap.parse(json, "round trip"));
            assertArrayEquals(json, MidiMap.parse(json, "again").toJson());
            Path file = dir.resolve("midi.json");
            map.save(file);
            assertEquals(map, MidiMap.read(file));
        }
    }

    @Test
    void theFileReadsAsItsDocumentationSays() throws Exception {
        String json = """
                {"version": 1,
                 "programs": {"channel": "any", "first": 0},
                 "bindings": [
                   {"cc": 11, "channel": 1, "target": {"kind": "param", "pedal": "overdrive", "param": "drive"}},
                   {"cc": 74, "range": {"min": 400, "max": 2000, "curve": "log"}, "target": {"kind": "param", "pedal": "eq", "param": "midFreq"}},
                   {"cc": 20, "relative": "twosComplement", "target": {"kind": "master"}},
                   {"note": 36, "channel": "any", "target": {"kind": "bypass", "pedal": "delay"}},
                   {"program": 5, "preset": "previous", "target": {"kind": "preset"}}
                 ]}
                """;
        MidiMap map = MidiMap.parse(json.getBytes(StandardCharsets.UTF_8), "docs");
        assertEquals(new MidiMap(List.of(
                Binding.of(Source.cc(11, 1), Target.param("overdrive", "drive")),
                new Binding(Source.cc(74, Source.ANY), Target.param("eq", "midFreq"), null, new Range(400, 2000, Curve.LOG), Binding.NEXT),
                new Binding(Source.cc(20, Source.ANY), Target.master(), Encoding.TWOS_COMPLEMENT, null, Binding.NEXT),
                Binding.of(Source.note(36, Source.ANY), Target.bypass("delay")),
                new Binding(Source.program(5, Source.ANY), Target.preset(), null, null, Binding.PREVIOUS)),
                Programs.DEFAULT), map);
    }

    @Test
    void theExampleInTheDocsIsAMap() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "midi.md"));
        int start = doc.indexOf("```json\n") + "```json\n".length();
        MidiMap map = MidiMap.parse(doc.substring(start, doc.indexOf("```", start)).getBytes(StandardCharsets.UTF_8), "docs/midi.md");
        assertEquals(8, map.bindings().size());
        assertEquals(new Binding(Source.cc(4, Source.ANY), Target.param("wah", "position"), null, new Range(0, 100, Curve.TAPER), Binding.NEXT),
                map.bindings().get(2), "heel and toe follow the parameter's taper");
        assertEquals(new Binding(Source.note(38, Source.ANY), Target.preset(), null, null, Binding.PREVIOUS), map.bindings().get(6));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            cc out of range         | "bindings": [{"cc": 1, "target": {"kind": "master"}}, {"cc": 2, "target": {"kind": "master"}}, {"cc": 130, "target": {"kind": "master"}}] | bindings[2].cc: 130 is not 0..127
            note out of range       | "bindings": [{"note": -1, "target": {"kind": "tap"}}]                       | bindings[0].note: -1 is not 0..127
            cc as text              | "bindings": [{"cc": "11", "target": {"kind": "master"}}]                    | bindings[0].cc: must be a whole number, not "11"
            channel 17              | "bindings": [{"cc": 11, "channel": 17, "target": {"kind": "master"}}]       | bindings[0].channel: 17 is not a channel 1..16 (or "any")
            channel 0               | "bindings": [{"cc": 11, "channel": 0, "target": {"kind": "master"}}]        | bindings[0].channel: is a channel 1..16 or "any", not 0
            two sources             | "bindings": [{"cc": 11, "note": 60, "target": {"kind": "tap"}}]             | bindings[0].note: a binding has one source; it has "cc" already
            no source               | "bindings": [{"channel": 1, "target": {"kind": "tap"}}]                     | bindings[0]: names no source ("cc", "note" or "program")
            source bound twice      | "bindings": [{"cc": 11, "target": {"kind": "master"}}, {"cc": 11, "channel": 1, "target": {"kind": "tap"}}] | bindings[1].cc: CC 11 ch 1 is already bound by bindings[0] (CC 11 any channel)
            relative note           | "bindings": [{"note": 60, "relative": "binaryOffset", "target": {"kind": "tap"}}] | bindings[0].relative: only a CC can be relative, not a note
            unknown encoding        | "bindings": [{"cc": 11, "relative": "offset", "target": {"kind": "master"}}] | bindings[0].relative: "offset" is not one of twosComplement, signedBit, binaryOffset
            note on a param         | "bindings": [{"note": 60, "target": {"kind": "param", "pedal": "overdrive", "param": "drive"}}] | bindings[0].target: a note cannot drive param (it can drive bypass, preset, tuner, tap)
            relative bypass         | "bindings": [{"cc": 11, "relative": "signedBit", "target": {"kind": "bypass", "pedal": "delay"}}] | bindings[0].target: a relative CC cannot drive bypass (it can drive param, preset, master, monitor)
            range on a switch       | "bindings": [{"cc": 11, "range": {"min": 0, "max": 1}, "target": {"kind": "tap"}}] | bindings[0].range: only an absolute CC on param, master or monitor has a range
            log range from 0        | "bindings": [{"cc": 11, "range": {"min": 0, "max": 2000, "curve": "log"}, "target": {"kind": "master"}}] | bindings[0].range: a log curve needs min and max above 0, not 0.0 and 2000.0
            empty range             | "bindings": [{"cc": 11, "range": {"min": 5, "max": 5}, "target": {"kind": "master"}}] | bindings[0].range: min and max are both 5.0: the fader would do nothing
            unknown curve           | "bindings": [{"cc": 11, "range": {"min": 1, "max": 5, "curve": "exp"}, "target": {"kind": "master"}}] | bindings[0].range.curve: "exp" is not linear, log or taper
            heel and min            | "bindings": [{"cc": 11, "range": {"heel": 1, "min": 5}, "target": {"kind": "master"}}] | bindings[0].range: give "heel" and "toe", or "min" and "max", not both
            heel without toe        | "bindings": [{"cc": 11, "range": {"heel": 1}, "target": {"kind": "master"}}] | bindings[0].range: "toe" is missing
            range without max       | "bindings": [{"cc": 11, "range": {"min": 1}, "target": {"kind": "master"}}] | bindings[0].range: "max" is missing
            preset on a bypass      | "bindings": [{"note": 60, "preset": 2, "target": {"kind": "bypass", "pedal": "delay"}}] | bindings[0].preset: only a preset target names a preset
            preset 0                | "bindings": [{"note": 60, "preset": 0, "target": {"kind": "preset"}}]       | bindings[0].preset: is "next", "previous" or a number 1..128, not 0
            preset 200              | "bindings": [{"note": 60, "preset": 200, "target": {"kind": "preset"}}]     | bindings[0].preset: is "next", "previous" or a number 1..128, not 200
            preset by name          | "bindings": [{"note": 60, "preset": "last", "target": {"kind": "preset"}}]  | bindings[0].preset: is "next", "previous" or a number 1..128, not "last"
            relative names a preset | "bindings": [{"cc": 11, "relative": "signedBit", "preset": 3, "target": {"kind": "preset"}}] | bindings[0].preset: a relative CC steps presets by its turn; it names none
            unknown field           | "bindings": [{"cc": 11, "velocity": 3, "target": {"kind": "master"}}]       | bindings[0].velocity: unknown field (known: cc, note, program, channel, relative, range, preset, target)
            unknown kind            | "bindings": [{"cc": 11, "target": {"kind": "metronome"}}]                   | bindings[0].target.kind: "metronome" is not one of param, bypass, preset, tuner, tap, master, monitor, looper
            looper on MIDI          | "bindings": [{"cc": 11, "target": {"kind": "looper", "action": "record"}}]  | bindings[0].target.kind: the looper is driven from footswitches (hardware.json) and the page, not yet from MIDI
            field a kind lacks      | "bindings": [{"cc": 11, "target": {"kind": "tuner", "pedal": "delay"}}]     | bindings[0].target.pedal: tuner takes no "pedal"
            bad pedal id            | "bindings": [{"cc": 11, "target": {"kind": "bypass", "pedal": "Over Drive"}}] | bindings[0].target.pedal: "Over Drive" is not an id (a lower-case letter, then letters and digits)
            monitor channel 2       | "bindings": [{"cc": 11, "target": {"kind": "monitor", "channel": 2}}]       | bindings[0].target.channel: the box's inputs are 0 and 1, not 2
            missing target          | "bindings": [{"cc": 11}]                                                    | bindings[0]: "target" is missing
            bindings not a list     | "bindings": {"cc": 11}                                                      | bindings: must be an array
            first program 128       | "programs": {"first": 128}                                                  | programs.first: 128 is not 0..127
            programs channel 17     | "programs": {"channel": 17}                                                 | programs.channel: 17 is not a channel 1..16 (or "any")
            programs on             | "programs": "on"                                                            | programs: is "off" or {"channel": ..., "first": ...}, not "on"
            unknown top field       | "map": []                                                                   | map: unknown field (known: version, programs, bindings)
            """)
    void aBadMapNamesThePlaceAndTheReason(String what, String body, String message) {
        byte[] json = ("{\"version\": 1, " + body + "}").getBytes(StandardCharsets.UTF_8);
        BadMidiMapException e = assertThrows(BadMidiMapException.class, () -> MidiMap.parse(json, "/var/lib/jambox/midi.json"));
        assertEquals("/var/lib/jambox/midi.json: " + message, e.getMessage(), what);
    }

    @Test
    void aFileThatIsNotJsonOrOfAnotherVersionSaysSo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("midi.json");
        String[][] cases = {
                {"{\"version\": 1,\n \"bindings\": [}", "not JSON at line 2, column 15: Unexpected close marker '}': expected ']'"},
                {"{\"version\": 2}", "version: this box reads version 1, not 2"},
                {"{\"bindings\": []}", "top level: \"version\" is missing"},
                {"[]", "top level: must be an object"},
                {"", "not JSON: the file is empty"},
                {"{\"version\": 1} {}", "not JSON at line 1, column 16: more follows the end of the JSON"},
                {"{\"version\": 1, \"bindings\": [], \"bindings\": []}", "not JSON at line 1, column 42: 'bindings' is given twice in one object"},
                {"{\"version\": 1,\n \"bindings\": [", "not JSON at line 2, column 15: the file ends in the middle of the JSON"},
        };
        for (String[] c : cases) {
            Files.writeString(file, c[0]);
            assertEquals(file + ": " + c[1], assertThrows(BadMidiMapException.class, () -> MidiMap.read(file)).getMessage(), c[0]);
        }
        Path missing = dir.resolve("nothing.json");
        assertEquals(missing + ": no such file", assertThrows(BadMidiMapException.class, () -> MidiMap.read(missing)).getMessage());
        assertEquals(dir + ": is a directory, not a file", assertThrows(BadMidiMapException.class, () -> MidiMap.read(dir)).getMessage());
    }

    @Test
    void aSaveThatFailsLeavesTheOldFileWholeAndNoLeftovers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("midi.json");
        FULL.save(file);
        byte[] before = Files.readAllBytes(file);
        IOException full = new IOException("No space left on device");
        IOException thrown = assertThrows(IOException.class, () -> MidiMap.EMPTY.save(file, tmp -> {
            assertEquals(List.of(file.getFileName().toString(), tmp.getFileName().toString()), names(dir)); // written aside, not over it
            throw full;
        }));
        assertEquals(full, thrown);
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(FULL, MidiMap.read(file));
        assertEquals(List.of("midi.json"), names(dir));
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    private static List<String> names(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted((a, b) -> a.equals("midi.json") ? -1 : b.equals("midi.json") ? 1 : a.compareTo(b)).toList();
        }
    }

    @Test
    void learningASourceReplacesEveryBindingItOverlaps() {
        MidiMap map = new MidiMap(List.of(Binding.of(Source.cc(11, Source.ANY), Target.tap()),
                Binding.of(Source.cc(12, 1), Target.tuner()), Binding.of(Source.note(11, 3), Target.tap())), Programs.DEFAULT);
        MidiMap learned = map.bind(Binding.of(Source.cc(11, 3), Target.master()));
        assertEquals(List.of(Binding.of(Source.cc(12, 1), Target.tuner()), Binding.of(Source.note(11, 3), Target.tap()),
                Binding.of(Source.cc(11, 3), Target.master())), learned.bindings());
    }
}
