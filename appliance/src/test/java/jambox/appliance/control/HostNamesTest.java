package jambox.appliance.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The names the page answers to, on a box called kitchen-box reached at 192.0.2.7. */
class HostNamesTest {
    private final HostNames names = new HostNames(List.of("Jambox.Fritz.Box."), () -> "kitchen-box");

    private boolean answers(String host) throws Exception {
        return names.answersTo(HostNames.hostOf(host), InetAddress.getByName("192.0.2.7"));
    }

    @Test
    void theBoxsOwnNamesAndAddressesAndNoOthers() throws Exception {
        for (String own : List.of("kitchen-box.local", "KITCHEN-BOX.local.", "kitchen-box", "jambox.local", "localhost:8080",
                "jambox.fritz.box", "192.0.2.7", "192.0.2.7:80", "127.0.0.1", "127.8.9.10:1", "[::1]:8080")) {
            assertTrue(answers(own), own);
        }
        for (String other : List.of("evil.example", "evil.example:8080", "kitchen-box.local.evil.example", "evil.local",
                "jambox.local.evil.example", "box.localhost", "192.0.2.8", "8.8.8.8", "[2001:db8::1]", "0.0.0.0")) {
            assertFalse(answers(other), other);
        }
    }

    @Test
    void aHostHeaderIsOneNameOrAddressWithAnOptionalPort() {
        assertEquals("jambox.local", HostNames.hostOf("jambox.local:80"));
        assertEquals("[fe80::1]", HostNames.hostOf("[fe80::1]:8080"));
        assertEquals("192.0.2.7", HostNames.hostOf(" 192.0.2.7 "));
        for (String bad : new String[] {null, "", "a b", "evil.example:80:80", "evil.example:http", "[fe80::1", "[nope]",
                "[::1]x", "user@host", "host/path", "x".repeat(300)}) {
            assertNull(HostNames.hostOf(bad), String.valueOf(bad));
        }
    }

    @Test
    void anIpLiteralIsNeverLookedUp() {
        assertNull(HostNames.literal("999.1.1.1"));
        assertNull(HostNames.literal("example.com"));
        assertNull(HostNames.literal("1.2.3"));
        assertEquals("192.0.2.7", HostNames.literal("192.0.2.7").getHostAddress());
        assertTrue(HostNames.literal("[::1]").isLoopbackAddress());
    }

    @Test
    void aBindAddressThatIsANameIsOneOfTheBoxs() throws Exception {
        HostNames bound = HostNames.of(List.of(), "studio.lan");
        assertTrue(bound.answersTo("studio.lan", InetAddress.getByName("192.0.2.7")));
        assertFalse(HostNames.of(List.of(), "0.0.0.0").answersTo("0.0.0.0", InetAddress.getByName("192.0.2.7")));
    }
}
