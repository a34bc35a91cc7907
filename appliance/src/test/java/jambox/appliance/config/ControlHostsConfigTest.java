package jambox.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** control.hosts: the names, beyond its own, that the box's page answers to. */
class ControlHostsConfigTest {
    @TempDir
    Path dir;

    private Path config(String control) throws Exception {
        return Files.writeString(dir.resolve("jambox.json"), "{\"version\": 1, \"control\": " + control + "}");
    }

    @Test
    void namesAreReadAndNoneIsTheDefault() throws Exception {
        assertEquals(List.of("jambox.fritz.box", "studio"),
                ConfigFile.read(config("{\"hosts\": [\"jambox.fritz.box\", \"studio\"]}")).control().hosts());
        assertEquals(List.of(), ConfigFile.read(config("{\"port\": 80}")).control().hosts());
        assertEquals(List.of(), ApplianceConfig.Control.DEFAULT.hosts());
    }

    @Test
    void somethingThatIsNotAHostNameIsAMistake() throws Exception {
        for (String bad : List.of("\"jambox.fritz.box\"", "[\"http://evil.example/\"]", "[\"a b\"]", "[7]", "[\"-x\"]",
                "[\"\"]")) {
            var e = assertThrows(ConfigFile.BadConfigException.class, () -> ConfigFile.read(config("{\"hosts\": " + bad + "}")));
            assertTrue(e.getMessage().contains("control.hosts"), e.getMessage());
        }
    }
}
