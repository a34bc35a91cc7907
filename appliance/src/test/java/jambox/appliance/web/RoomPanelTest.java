package jambox.appliance.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;

import jambox.appliance.app.Appliance;
import jambox.appliance.app.DefaultBoard;
import jambox.appliance.audio.LoopedInput;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.control.ControlPlane;
import jambox.appliance.control.ControlServer;
import jambox.appliance.sim.Riff;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;
import jambox.room.RoomConfig;
import jambox.room.RoomServer;
import jambox.room.ServerConfig;

/**
 * The room panel in a real headless Chromium, on a real box (simulated audio) with a real room
 * server and a second real box on loopback: the figures it shows, the join states as they happen,
 * and the invite.
 */
class RoomPanelTest {
    private static final Path SCREENSHOTS = Path.of("..", "docs", "screenshots");
    private static final String SECRET = "room panel secret";
    private static final By STATUS = By.cssSelector("[data-testid=room-state]");
    private static final By LEAVE = By.cssSelector("[data-testid=room-leave]");

    @TempDir
    Path data;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<ControlPlane> controls = new ArrayList<>();
    private RoomServer server;
    private int port;

    @BeforeEach
    void startRoom() throws Exception {
        server = RoomServer.start(ServerConfig.defaults().withPort(0).withStatusPort(0),
                List.of(new RoomConfig("jam", SECRET, 16)));
        open.add(server);
        port = server.address().getPort();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private StreamConfig room(String name) {
        return new StreamConfig("127.0.0.1", port, "jam", SECRET, name, List.of("guitar", "voice"), Codec.PCM16, 64);
    }

    /** A box playing the riff, in the room when {@code room} is given. */
    private Appliance box(StreamConfig room) throws Exception {
        Appliance a = Appliance.start(new ApplianceConfig(ApplianceConfig.Audio.DEFAULT, null, room,
                ApplianceConfig.DEFAULT.jitter()), DefaultBoard.load(), new SimulatedBackend(48_000, 64, true,
                Long.MAX_VALUE, LoopedInput.firstInput(Riff.render(48_000, 8, 120)), null));
        open.add(a);
        return a;
    }

    /** The page of {@code box}, open in a new browser of {@code width} x {@code height}, connected. */
    private Browser page(Appliance box, int width, int height) throws Exception {
        ControlPlane control = ControlPlane.start(box, new StreamConfig("localhost", StreamConfig.DEFAULT_PORT, "jam",
                "template secret", "me", List.of("guitar", "voice"), Codec.PCM16, 64), data.resolve("box-" + open.size()),
                new ControlServer.Settings("127.0.0.1", 0, null));
        open.add(control);
        controls.add(control);
        Browser b = Browser.open(width, height);
        open.add(b);
        // The room panel is a view of its own since the stage view came (the phone's default).
        b.get(control.url() + "#room");
        connected(b.driver());
        return b;
    }

    private static void connected(WebDriver d) {
        new org.openqa.selenium.support.ui.WebDriverWait(d, Browser.WAIT).withMessage("the page connected")
                .until(x -> "open".equals(x.findElement(By.id("conn")).getAttribute("data-state"))
                        && x.findElement(STATUS).getAttribute("data-status") != null);
    }

    private static WebElement input(WebDriver d, String name) {
        return d.findElement(By.cssSelector("[data-testid=room-join-form] input[name=" + name + "]"));
    }

    private void type(WebDriver d, String secret, String name) {
        input(d, "host").sendKeys("127.0.0.1");
        input(d, "port").sendKeys(Integer.toString(port));
        input(d, "room").sendKeys("jam");
        input(d, "secret").sendKeys(secret);
        input(d, "name").sendKeys(name);
    }

    /**
     * Records, on the page's own clock, when the Join button is pressed and when the status line
     * first shows each join status after it (performance.now(), ms).
     */
    private static void watchStatus(Browser b) {
        b.script("window.roomTimes = {};"
                + "const s = document.querySelector('[data-testid=room-state]');"
                + "document.querySelector('[data-testid=room-join]').addEventListener('click',"
                + " () => { window.roomTimes = {click: performance.now()}; }, true);"
                + "new MutationObserver(() => { const t = window.roomTimes;"
                + " if (t.click != null && t[s.dataset.status] == null) t[s.dataset.status] = performance.now(); })"
                + ".observe(s, {attributes: true, childList: true, characterData: true, subtree: true});");
    }

    /** How long after the click the status line first showed {@code status}, ms; waits for it. */
    private static double msAfterClick(Browser b, String status) {
        Object ms = b.waitFor("status " + status + " on the page", d -> b.script(
                "const t = window.roomTimes; return t[arguments[0]] == null ? null : t[arguments[0]] - t.click;", status));
        return ((Number) ms).doubleValue();
    }

    @Test
    void theRoomPanelShowsRttLossAndDriftAsNumbersFromALiveRoom() throws Exception {
        box(room("Ann"));
        Browser b = page(box(room("Bob")), 1280, 900);
        // Read in one script: the rows are rebuilt at each stats push, and an element found a moment
        // earlier may be gone by the next call.
        @SuppressWarnings("unchecked")
        Map<String, String> cells = b.waitFor("Ann's row with figures", d -> (Map<String, String>) b.script(
                "const rows = document.querySelectorAll('[data-testid=room-member]');"
                        + "if (rows.length !== 1 || !document.querySelector('[data-testid=room-rtt]').textContent) return null;"
                        + "const m = {name: rows[0].querySelector('th').textContent};"
                        + "rows[0].querySelectorAll('td').forEach((td) => { m[td.dataset.col] = td.textContent; });"
                        + "return m.loss === '–' ? null : m;"));
        String rtt = b.driver().findElement(By.cssSelector("[data-testid=room-rtt]")).getText();
        System.out.println("room panel: " + rtt + "; Ann: " + cells);
        assertTrue(rtt.matches("Round trip to the room server: \\d+(\\.\\d)? ms"), rtt);
        assertEquals("Ann", cells.get("name"));
        assertTrue(cells.get("loss").matches("\\d+(\\.\\d{1,2})? %"), "loss: " + cells.get("loss"));
        assertTrue(cells.get("drift").matches("-?\\d+(\\.\\d)? ppm"), "drift: " + cells.get("drift"));
        assertTrue(cells.get("buffer").matches("\\d+(\\.\\d)? / \\d+(\\.\\d)? ms"), "buffer in ms: " + cells.get("buffer"));
        assertTrue(cells.get("mouthToEar").matches("\\d+(\\.\\d)? ms"), "mouth to ear: " + cells.get("mouthToEar"));
        assertEquals("joined", b.driver().findElement(STATUS).getAttribute("data-status"));
        assertTrue(b.driver().findElement(STATUS).getText().startsWith("In room 'jam' at 127.0.0.1:" + port + " as Bob"));

        Files.createDirectories(SCREENSHOTS);
        WebElement panel = b.driver().findElement(By.id("room")).findElement(By.xpath(".."));
        // Just below the sticky header, which would otherwise cover the panel's top in the picture.
        b.script("const top = document.querySelector('.top');"
                + "window.scrollTo(0, arguments[0].getBoundingClientRect().top + window.scrollY"
                + " - (top ? top.offsetHeight : 0) - 8);", panel);
        Files.write(SCREENSHOTS.resolve("room.png"), panel.getScreenshotAs(OutputType.BYTES));
        assertEquals(List.of(), b.consoleErrors());
    }

    /**
     * In a room the server mixes, the box hears the others as one stream: the panel heads its table
     * with that stream's link (buffer, loss, drift, from the box's buffer for member 0), and the
     * state says who mixes.
     */
    @Test
    void inAMixRoomThePanelShowsTheServersMixAsALinkOfItsOwn() throws Exception {
        RoomServer mixServer = RoomServer.start(ServerConfig.defaults().withPort(0).withStatusPort(0),
                List.of(new RoomConfig("jam", SECRET, 16, true)));
        open.add(mixServer);
        int mixPort = mixServer.address().getPort();
        box(new StreamConfig("127.0.0.1", mixPort, "jam", SECRET, "Ann", List.of("guitar", "voice"), Codec.PCM16, 64));
        Appliance bob = box(new StreamConfig("127.0.0.1", mixPort, "jam", SECRET, "Bob", List.of("guitar", "voice"),
                Codec.PCM16, 64));
        Browser b = page(bob, 1280, 900);
        @SuppressWarnings("unchecked")
        Map<String, String> cells = b.waitFor("the server mix's row with figures", d -> (Map<String, String>) b.script(
                "const row = document.querySelector('[data-testid=room-server-mix]');"
                        + "if (!row) return null;"
                        + "const m = {name: row.querySelector('th').textContent};"
                        + "row.querySelectorAll('td').forEach((td) => { m[td.dataset.col] = td.textContent; });"
                        + "return m.loss === '–' ? null : m;"));
        System.out.println("room panel, mix room: server mix " + cells);
        assertEquals("Server mix", cells.get("name"));
        assertTrue(cells.get("loss").matches("\\d+(\\.\\d{1,2})? %"), "loss: " + cells.get("loss"));
        assertTrue(cells.get("buffer").matches("\\d+(\\.\\d)? / \\d+(\\.\\d)? ms"), "buffer: " + cells.get("buffer"));
        assertTrue(cells.get("drift").matches("-?\\d+(\\.\\d)? ppm"), "drift: " + cells.get("drift"));
        assertEquals("server", controls.getLast().service().state().path("room").path("mix").asText(),
                "the state says who mixes");
        assertEquals(List.of(), b.consoleErrors());
    }

    @Test
    void theBoxsOwnLatencySaysWhatSendingOpusAddsForTheOthers() throws Exception {
        box(room("Ann"));
        Browser b = page(box(new StreamConfig("127.0.0.1", port, "jam", SECRET, "Bob", List.of("guitar", "voice"),
                Codec.OPUS, jambox.protocol.Opus.FRAMES)), 1280, 900);
        String own = b.waitFor("the box's own latency with its codec", d -> {
            String t = d.findElement(By.cssSelector("[data-testid=own-latency]")).getText();
            return t.contains("Opus") ? t : null;
        });
        System.out.println("room panel, sending Opus: " + own);
        assertTrue(own.endsWith("Sending Opus adds 2.5 ms for the others"), own);
        assertEquals(List.of(), b.consoleErrors());
    }

    @Test
    void aJoinUpdatesTheOpenPageWithinASecondAndLeaveKeepsTheForm() throws Exception {
        Browser b = page(box(null), 375, 812);
        WebDriver d = b.driver();
        assertEquals("alone", d.findElement(STATUS).getAttribute("data-status"));
        assertFalse(d.findElement(LEAVE).isEnabled(), "nothing to leave");
        assertEquals("7891", input(d, "port").getAttribute("placeholder"), "the room server's default port");
        watchStatus(b);
        type(d, SECRET, "Bob");
        d.findElement(By.cssSelector("[data-testid=room-join]")).click();
        double joinedMs = msAfterClick(b, "joined");
        System.out.printf("join: the page said joined %.0f ms after the click (page times: %s)%n", joinedMs,
                b.script("return JSON.stringify(window.roomTimes);"));
        assertTrue(joinedMs < 1000, "joined on the page within 1 s: " + joinedMs + " ms");
        assertTrue(d.findElement(LEAVE).isEnabled(), "Leave enabled once joined");
        assertEquals("In room 'jam' at 127.0.0.1:" + port + " as Bob", d.findElement(STATUS).getText());

        d.findElement(LEAVE).click();
        b.waitFor("left", x -> "left".equals(x.findElement(STATUS).getAttribute("data-status")));
        assertEquals("Left room 'jam'. Not in a room.", d.findElement(STATUS).getText());
        assertFalse(d.findElement(LEAVE).isEnabled());
        Thread.sleep(1200); // a stats push and any state push: the form must still hold the room
        assertEquals("127.0.0.1", input(d, "host").getAttribute("value"));
        assertEquals(Integer.toString(port), input(d, "port").getAttribute("value"));
        assertEquals("jam", input(d, "room").getAttribute("value"));
        assertEquals(SECRET, input(d, "secret").getAttribute("value"));
        assertEquals("Bob", input(d, "name").getAttribute("value"));
        assertEquals(List.of(), b.consoleErrors());
    }

    @Test
    void aWrongSecretShowsWrongSecretWithinTwoSeconds() throws Exception {
        Browser b = page(box(null), 1280, 800);
        WebDriver d = b.driver();
        watchStatus(b);
        type(d, "not the room's secret", "Eve");
        d.findElement(By.cssSelector("[data-testid=room-join]")).click();
        double ms = msAfterClick(b, "wrongSecret");
        String said = d.findElement(STATUS).getText();
        System.out.printf("wrong secret: said %.0f ms after the click: %s%n", ms, said);
        assertTrue(ms < 2000, "said within 2 s: " + ms + " ms");
        assertTrue(said.startsWith("Wrong secret"), said);
        assertTrue(d.findElement(LEAVE).isEnabled(), "Leave stops the retries");
        Thread.sleep(1500);
        assertEquals("wrongSecret", d.findElement(STATUS).getAttribute("data-status"), "no flicker back to joining");
        assertEquals(null, b.script("return window.roomTimes.joined ?? null;"));
        assertEquals(List.of(), b.consoleErrors());
    }

    @Test
    void anInviteFillsAnotherPagesFormAndCarriesTheSecretOnlyWhenTicked() throws Exception {
        Appliance box = box(null);
        Browser b = page(box, 1280, 800);
        WebDriver d = b.driver();
        type(d, SECRET, "Ann");
        d.findElement(By.cssSelector("[data-testid=room-invite-open]")).click();
        By link = By.cssSelector("[data-testid=room-invite-link]");
        String plain = b.waitFor("the invite link", x -> {
            String v = x.findElement(link).getAttribute("value");
            return v == null || v.isEmpty() ? null : v;
        });
        System.out.println("invite: " + plain);
        assertEquals("http://jambox.local/#join?host=127.0.0.1&port=" + port + "&room=jam", plain);
        assertFalse(plain.contains("secret"), "no secret unless ticked");
        d.findElement(By.cssSelector("[data-testid=room-invite-secret]")).click();
        String withSecret = d.findElement(link).getAttribute("value");
        assertEquals(plain + "&secret=room+panel+secret", withSecret);
        String pageUrl = d.getCurrentUrl().replaceAll("#.*$", "");

        // Another page (a new tab, loaded afresh), opened at the invite: the other player's box page.
        d.switchTo().newWindow(WindowType.TAB);
        d.get(pageUrl + plain.substring(plain.indexOf('#')));
        connected(d);
        Thread.sleep(1200); // state and stats pushes arrive: they must not overwrite the invite
        assertEquals("127.0.0.1", input(d, "host").getAttribute("value"));
        assertEquals(Integer.toString(port), input(d, "port").getAttribute("value"));
        assertEquals("jam", input(d, "room").getAttribute("value"));
        assertEquals("", input(d, "secret").getAttribute("value"), "the secret was not in the invite");
        assertEquals("invited", d.findElement(STATUS).getAttribute("data-status"));
        assertFalse(d.getCurrentUrl().contains("#"), "the invite leaves the address bar: " + d.getCurrentUrl());

        d.switchTo().newWindow(WindowType.TAB);
        d.get(pageUrl + withSecret.substring(withSecret.indexOf('#')));
        connected(d);
        assertEquals(SECRET, b.waitFor("the secret filled", x -> {
            String v = input(x, "secret").getAttribute("value");
            return v.isEmpty() ? null : v;
        }));
        assertEquals("jam", input(d, "room").getAttribute("value"));
        input(d, "name").clear();
        input(d, "name").sendKeys("Bob");
        d.findElement(By.cssSelector("[data-testid=room-join]")).click();
        b.waitFor("joined from the invited form", x -> "joined".equals(x.findElement(STATUS).getAttribute("data-status")));
        assertTrue(box.stream().joined(), box.status());

        // A link pasted into the page's own invite field fills the form as well, and pushes leave it.
        d.findElement(By.cssSelector("[data-testid=room-invite-paste]"))
                .sendKeys("Come and play: http://jambox.local/#join?host=jam.example.org&port=7000&room=other");
        d.findElement(By.cssSelector("[data-testid=room-invite-use]")).click();
        Thread.sleep(1200);
        assertEquals("jam.example.org", input(d, "host").getAttribute("value"));
        assertEquals("7000", input(d, "port").getAttribute("value"));
        assertEquals("other", input(d, "room").getAttribute("value"));
        assertEquals(List.of(), b.consoleErrors());
    }
}
