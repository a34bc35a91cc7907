package jambox.appliance.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import jambox.appliance.app.Appliance;
import jambox.appliance.app.DefaultBoard;
import jambox.appliance.audio.AudioInterface;
import jambox.appliance.audio.CardProbe;
import jambox.appliance.audio.LoopedInput;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.control.ControlPlane;
import jambox.appliance.control.ControlServer;
import jambox.appliance.sim.Riff;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;

/** The control page in a real headless Chromium, driving a running box. */
class WebPageTest {
    private static final Path SCREENSHOTS = Path.of("..", "docs", "screenshots");

    @TempDir
    Path data;
    private final List<AutoCloseable> open = new ArrayList<>();
    private Appliance box;
    private ControlPlane control;
    private String url;

    @BeforeEach
    void start() throws Exception {
        box = Appliance.start(ApplianceConfig.DEFAULT, DefaultBoard.load(), new SimulatedBackend(48_000, 64, true,
                Long.MAX_VALUE, LoopedInput.firstInput(Riff.render(48_000, 8, 120)), null));
        open.add(box);
        control = ControlPlane.start(box, new StreamConfig("localhost", 7891, "jam", "template secret",
                "me", List.of("guitar", "voice"), Codec.PCM16, 64), data, new ControlServer.Settings("127.0.0.1", 0, null));
        open.add(control);
        url = control.url();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Browser browser(int width, int height) {
        Browser b = Browser.open(width, height);
        open.add(b);
        b.get(url);
        int pedals = box.engine().board().channel(0).size();
        b.waitFor("the board's " + pedals + " pedals on the page",
                d -> d.findElements(By.cssSelector("[data-testid=pedal]")).size() == pedals);
        return b;
    }

    /** Shows one of the page's views (the stage is a phone's default, the board a desktop's). */
    private static void show(Browser b, String view) {
        b.script("location.hash = arguments[0];", "#" + view);
        b.waitFor("the " + view + " view", d -> view.equals(b.script("return document.body.dataset.view;")));
    }

    private int indexOf(String type) {
        return jambox.appliance.board.Boards.indexOf(box.engine().board(), type);
    }

    private static By knob(int index, String param) {
        return By.cssSelector("[data-testid=knob][data-channel='0'][data-index='" + index + "'][data-param='" + param + "']");
    }

    @Test
    void thePageLoadsCleanlyOnAPhoneAndADesktopAndTheScreenshotsAreSaved() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        for (int[] size : new int[][] {{375, 812}, {1280, 800}}) {
            Browser b = browser(size[0], size[1]);
            b.waitFor("meters moving", d -> !d.findElements(By.cssSelector("[data-testid=meter-in-0]")).isEmpty());
            Thread.sleep(1500); // a few meter frames and a stats push, as a player would see it
            String name = size[0] < 500 ? "phone.png" : "desktop.png";
            Path shot = b.screenshot(SCREENSHOTS.resolve(name));
            BufferedImage image = ImageIO.read(shot.toFile());
            assertEquals(size[0], image.getWidth(), name);
            Object overflow = b.script("return document.documentElement.scrollWidth > window.innerWidth;");
            assertEquals(false, overflow, "no sideways scrolling at " + size[0] + " px");
            assertEquals(List.of(), b.consoleErrors(), "console errors at " + size[0] + " px");
        }
    }

    @Test
    void draggingAKnobTurnsTheParameterInTheRunningEngine() {
        Browser b = browser(1280, 800);
        int index = indexOf("overdrive");
        double before = box.engine().runningBoard(0).get(index).get("drive");
        WebElement knob = b.driver().findElement(knob(index, "drive"));
        new Actions(b.driver()).moveToElement(knob).clickAndHold().moveByOffset(0, -40).moveByOffset(0, -40)
                .release().perform();
        double after = b.waitFor("the engine's drive to move", d -> {
            double v = box.engine().runningBoard(0).get(index).get("drive");
            return v != before ? v : null;
        });
        assertTrue(after > before, "dragging up turns it up: " + before + " -> " + after);
        assertEquals(after, box.engine().runningBoard(1).get(index).get("drive"), 1e-9, "both inputs' boards");
        double shown = Double.parseDouble(b.driver().findElement(knob(index, "drive")).getAttribute("data-value"));
        assertEquals(after, shown, 1e-6, "the knob shows what the engine has");
        assertEquals(List.of(), b.consoleErrors());
    }

    @Test
    void removingAPedalTakesTwoTapsSoAStrayOneLosesNothing() throws InterruptedException {
        Browser b = browser(375, 812);
        show(b, "board");
        int index = indexOf("chorus");
        int pedals = box.engine().board().channel(0).size();
        By remove = By.cssSelector("[data-testid=pedal][data-index='" + index + "'] [data-testid=remove]");
        b.driver().findElement(remove).click();
        Thread.sleep(700);
        assertEquals(pedals, box.engine().runningBoard(0).size(), "one tap removes nothing");
        b.driver().findElement(remove).click();
        b.waitFor("the chorus off the running board", d -> box.engine().runningBoard(0).size() == pedals - 1);
        assertTrue(box.engine().board().channel(0).stream().noneMatch(p -> p.type().equals("chorus")));
        assertEquals(List.of(), b.consoleErrors());
    }

    @Test
    void theMetronomeStartsFromThePageAndShowsItsBarWithBeatOneMarked() {
        Browser b = browser(375, 812);
        show(b, "more");
        assertTrue(!box.engine().click().on());
        b.driver().findElement(By.cssSelector("[data-testid=click]")).click();
        b.waitFor("the click to start", d -> box.engine().click().on());
        b.waitFor("the button to show it", d -> "true".equals(d.findElement(By.cssSelector("[data-testid=click]"))
                .getAttribute("aria-pressed")));
        new org.openqa.selenium.support.ui.Select(b.driver().findElement(By.cssSelector("[data-testid=beats-per-bar]")))
                .selectByValue("5");
        b.waitFor("a bar of five dots", d -> d.findElements(By.cssSelector("[data-testid=bar] .dot")).size() == 5);
        assertEquals(1, b.driver().findElements(By.cssSelector("[data-testid=bar] .dot.accent")).size());
        assertTrue(b.driver().findElement(By.cssSelector("[data-testid=bar] .dot:first-child")).getAttribute("class")
                .contains("accent"), "beat 1 is the accented one");
        // A click level the box refuses is said, and changes nothing.
        b.script("window.jambox.send({v: 1, cmd: 'metronome', levelDb: 6});");
        b.waitFor("the error to be shown", d -> d.getPageSource().contains("outside -60 .. 0 dBFS"));
        assertEquals(-12.0, control.service().state().at("/tempo/levelDb").asDouble());
        assertEquals(5, control.service().state().at("/tempo/beatsPerBar").asInt());
        assertEquals(List.of(), b.consoleErrors());
    }

    @Test
    void aChangeMadeOnOnePageShowsOnTheOther() {
        Browser first = browser(375, 812);
        Browser second = browser(1280, 800);
        int index = indexOf("delay");
        var spec = jambox.dsp.Catalog.byId("delay").params().get(0);
        String id = spec.id();
        double target = spec.min() + 0.25 * (spec.max() - spec.min());
        assertNotEquals(target, box.engine().runningBoard(0).get(index).get(id));
        second.script("window.jambox.send({v: 1, cmd: 'set', channel: 0, index: arguments[0], param: arguments[1],"
                + " value: arguments[2]});", index, id, target);
        first.waitFor("the first page's knob to follow", d -> {
            String v = d.findElement(knob(index, id)).getAttribute("data-value");
            return v != null && Math.abs(Double.parseDouble(v) - target) < 1e-6;
        });
        assertEquals(target, box.engine().runningBoard(0).get(index).get(id), 1e-9);
        assertEquals(List.of(), first.consoleErrors());
        assertEquals(List.of(), second.consoleErrors());
    }

    @Test
    void aPageLeftOpenKeepsItsSocketPastTheIdleTimeout() throws Exception {
        // The same box served with a 1 s idle limit: the page sends nothing of its own for longer
        // (its system poll is every 5 s); only its browser's answers to the box's pings keep it.
        ControlServer shortIdle = ControlServer.start(control.service(), new ControlServer.Settings("127.0.0.1", 0, null,
                List.of(), new ControlServer.Limits(java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(1), 64)));
        open.add(shortIdle);
        Browser b = Browser.open(375, 812);
        open.add(b);
        b.get("http://127.0.0.1:" + shortIdle.address().getPort() + "/");
        b.waitFor("connected", d -> "open".equals(d.findElement(By.id("conn")).getAttribute("data-state")));
        b.script("window.connStates = [];"
                + "new MutationObserver(() => window.connStates.push(document.getElementById('conn').dataset.state))"
                + ".observe(document.getElementById('conn'), {attributes: true, attributeFilter: ['data-state']});");
        Thread.sleep(4000);
        assertEquals(List.of(), b.script("return window.connStates;"), "the socket was never lost");
        assertEquals(List.of(), b.consoleErrors());
    }

    @Test
    void noAudioInterfaceIsSaidAtTheTopOfThePageUntilACardComesBack() throws Exception {
        control.service().setAudioInterface(new AudioInterface("dummy", null, null, "none", "no card here can record",
                CardProbe.NO_INTERFACE, 48_000, 64, 2));
        Browser b = browser(375, 812);
        By problems = By.cssSelector("[data-testid=problems]");
        String said = b.waitFor("the problem at the top", d -> {
            WebElement e = d.findElement(problems);
            return e.isDisplayed() && !e.getText().isEmpty() ? e.getText() : null;
        });
        assertEquals("No audio interface found: plug in a USB audio interface and JACK restarts on it", said);
        Files.createDirectories(Path.of("target"));
        b.screenshot(Path.of("target", "no-audio-interface.png"));
        control.service().setAudioInterface(new AudioInterface("alsa", "CODEC", "USB Audio CODEC", "usb",
                "the first USB audio interface", null, 48_000, 64, 2));
        b.waitFor("the problem gone at the next look (5 s)", d -> !d.findElement(problems).isDisplayed());
        assertEquals(List.of(), b.consoleErrors());
    }

    @Test
    void aMistakeInTheConfigIsSaidAtTheTopOfThePage() {
        String mistake = "/etc/jambox/jambox.json: room: the room secret needs at least 8 characters";
        control.service().setConfigError(mistake);
        control.service().setAudioInterface(new AudioInterface("dummy", null, null, "none", "no card here can record",
                CardProbe.NO_INTERFACE, 48_000, 64, 2));
        Browser b = browser(375, 812);
        List<String> said = b.waitFor("both problems at the top", d -> {
            List<String> lines = d.findElements(By.cssSelector("[data-testid=problems] p")).stream()
                    .map(WebElement::getText).toList();
            return lines.size() == 2 ? lines : null;
        });
        assertEquals("The config has a mistake, so the box plays alone with its built-in settings until it is fixed"
                + " and the box restarted: " + mistake, said.get(0));
        assertTrue(said.get(1).startsWith("No audio interface found"), said.get(1));
        b.screenshot(Path.of("target", "problems.png"));
        assertEquals(List.of(), b.consoleErrors());
    }

    /**
     * The chain's latency is summed from the catalog's per-type figures and follows the bypass; the
     * room panel says the box's own input-to-headphones figure (48 kHz, 64 x 2: 2.67 ms each way, and
     * the safety limiter's 22 samples).
     */
    @Test
    void thePageSaysTheChainsAndTheBoxsOwnLatency() {
        control.service().setAudioInterface(new AudioInterface("alsa", "CODEC", "USB Audio CODEC", "usb",
                "the first USB audio interface", null, 48_000, 64, 2));
        Browser b = browser(375, 812);
        show(b, "board");
        By chain = By.cssSelector("[data-testid=chain-latency][data-channel='0']");
        By own = By.cssSelector("[data-testid=own-latency]");
        assertEquals("Latency: 15 samples (0.31 ms)", b.waitFor("the chain's latency",
                d -> d.findElement(chain).getText().startsWith("Latency: 1") ? d.findElement(chain).getText() : null));
        String ownText = b.waitFor("the box's own latency",
                d -> d.findElement(own).getAttribute("textContent").isEmpty() ? null
                        : d.findElement(own).getAttribute("textContent"));
        assertEquals("This box, input to headphones: 6.1 ms (sound card 2.67 ms in and out, pedals 0.31 ms,"
                + " limiter 0.46 ms)", ownText);

        int overdrive = indexOf("overdrive");
        b.driver().findElement(By.cssSelector("[data-testid=bypass][data-channel='0'][data-index='" + overdrive + "']")).click();
        b.waitFor("no latency once the overdrive is bypassed", d -> d.findElement(chain).getText().equals("Latency: none"));
        b.waitFor("the box's own figure without it (the next state)",
                d -> d.findElement(own).getAttribute("textContent").startsWith("This box, input to headphones: 5.8 ms"));
        assertEquals(List.of(), b.consoleErrors());
    }

    /** The system panel's switch turns the box's safety limiter off and on, and says which it is. */
    @Test
    void theSystemPanelSwitchesTheSafetyLimiter() {
        Browser b = browser(375, 812);
        show(b, "more");
        By toggle = By.cssSelector("[data-testid=limiter-toggle]");
        By note = By.cssSelector("[data-testid=limiter-note]");
        b.waitFor("the limiter shown on", d -> "true".equals(d.findElement(toggle).getAttribute("aria-pressed")));
        assertEquals("On: your headphones never go over -1 dB true peak (adds 0.46 ms)", b.driver().findElement(note).getText());
        b.driver().findElement(toggle).click();
        b.waitFor("the limiter off in the engine", d -> !box.engine().limiter().on());
        b.waitFor("the page says so", d -> d.findElement(note).getText().startsWith("Off"));
        assertEquals("false", b.driver().findElement(toggle).getAttribute("aria-pressed"));
        b.driver().findElement(toggle).click();
        b.waitFor("on again", d -> box.engine().limiter().on());
        assertEquals(List.of(), b.consoleErrors());
    }
}
