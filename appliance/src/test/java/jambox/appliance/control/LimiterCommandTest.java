package jambox.appliance.control;

import static jambox.appliance.control.CommandFixture.TEMPLATE;
import static jambox.appliance.control.CommandFixture.box;
import static jambox.appliance.control.CommandFixture.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import jambox.appliance.app.Appliance;
import jambox.appliance.preset.LimiterSetting;

/** The safety limiter's switch: on by default, in the state and the latency, kept across restarts. */
class LimiterCommandTest {
    private static JsonNode state(ControlPlane plane) throws Exception {
        return command(plane, "{\"v\":1,\"cmd\":\"state\"}").get("state");
    }

    @Test
    void onByDefaultCountedInTheLatencyAndOffAcrossARestart(@TempDir Path data) throws Exception {
        try (Appliance box = box(); ControlPlane plane = ControlPlane.start(box, TEMPLATE, data, null)) {
            JsonNode s = state(plane);
            System.out.println("limiter " + s.get("limiter") + ", latency " + s.get("latency"));
            assertTrue(s.at("/limiter/on").booleanValue(), s.toString());
            assertEquals(-1.0, s.at("/limiter/ceilingDbtp").asDouble());
            int lookahead = s.at("/limiter/lookaheadSamples").asInt();
            assertEquals(box.engine().limiter().lookaheadSamples(), lookahead);
            JsonNode l = s.get("latency");
            assertEquals(lookahead, l.get("limiterSamples").asInt());
            double limiterMs = 1000.0 * lookahead / 48_000;
            assertEquals(limiterMs, l.get("limiterMs").asDouble(), 0.001);
            double withIt = l.get("inputToOutputMs").asDouble();
            assertEquals(2 * l.get("soundCardMs").asDouble() + l.at("/boardMs/0").asDouble() + limiterMs, withIt, 0.002);
            assertFalse(Files.exists(data.resolve(LimiterSetting.FILE)), "nothing written while nothing changed");

            command(plane, "{\"v\":1,\"cmd\":\"limiter\",\"on\":false}");
            s = state(plane);
            assertFalse(s.at("/limiter/on").booleanValue());
            assertFalse(box.engine().limiter().on());
            assertEquals(0, s.at("/latency/limiterSamples").asInt());
            assertEquals(withIt - limiterMs, s.at("/latency/inputToOutputMs").asDouble(), 0.002);
            assertTrue(plane.service().meters().has("limiterDb"));
        }
        System.out.println(LimiterSetting.FILE + ": " + Files.readString(data.resolve(LimiterSetting.FILE)).strip());
        try (Appliance box = box(); ControlPlane plane = ControlPlane.start(box, TEMPLATE, data, null)) {
            assertFalse(box.engine().limiter().on(), "still off after a restart");
            assertFalse(state(plane).at("/limiter/on").booleanValue());
            command(plane, "{\"v\":1,\"cmd\":\"limiter\",\"on\":true}");
        }
        try (Appliance box = box(); ControlPlane plane = ControlPlane.start(box, TEMPLATE, data, null)) {
            assertTrue(box.engine().limiter().on(), "on again after the next");
        }
    }

    @Test
    void aBadCommandChangesNothing(@TempDir Path data) throws Exception {
        try (Appliance box = box(); ControlPlane plane = ControlPlane.start(box, TEMPLATE, data, null)) {
            for (String bad : List.of("{\"v\":1,\"cmd\":\"limiter\"}", "{\"v\":1,\"cmd\":\"limiter\",\"on\":\"no\"}",
                    "{\"v\":1,\"cmd\":\"limiter\",\"on\":false,\"ceiling\":0}")) {
                BadCommandException e = assertThrows(BadCommandException.class, () -> command(plane, bad));
                System.out.println(bad + " -> " + e.getMessage());
                assertTrue(box.engine().limiter().on());
            }
        }
        assertFalse(Files.exists(data.resolve(LimiterSetting.FILE)));
    }

    @Test
    void aFileThatCannotBeReadIsReportedAndTheLimiterIsOn(@TempDir Path data) throws Exception {
        for (String content : List.of("{\"version\": 1, \"on\": \"off\"}", "{\"version\": 1, \"on\": false, \"x\": 1}",
                "{\"version\": 1, \"on\": fal", "[]")) {
            Files.writeString(data.resolve(LimiterSetting.FILE), content);
            List<String> problems = new ArrayList<>();
            assertTrue(new LimiterSetting(data, problems::add).restore(), content);
            System.out.println(content + " -> " + problems);
            assertEquals(1, problems.size());
            assertTrue(problems.get(0).startsWith(data.resolve(LimiterSetting.FILE).toAbsolutePath().toString()),
                    problems.get(0));
        }
        Files.writeString(data.resolve(LimiterSetting.FILE), "{\"version\": 1, \"on\": false}");
        assertFalse(new LimiterSetting(data, p -> { throw new AssertionError(p); }).restore());
    }
}
