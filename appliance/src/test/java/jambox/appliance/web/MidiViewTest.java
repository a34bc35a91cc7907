package jambox.appliance.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jambox.appliance.app.Appliance;
import jambox.appliance.app.DefaultBoard;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.board.Boards;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.control.ControlPlane;
import jambox.appliance.control.ControlServer;
import jambox.appliance.stream.StreamConfig;
import jambox.common.midi.MidiPorts;
import jambox.midi.MidiMap;
import jambox.protocol.Codec;

/**
 * The MIDI view in a real headless Chromium on a real box (simulated audio, whose MIDI output loops
 * back to its input: a CC sent there arrives as a controller's would, through the box's MIDI thread).
 * Learn is pressed on the page, the box binds the next CC, the page shows the binding, and the
 * engine's drive follows the CC; the page's program-change setting makes a program change load the
 * preset it lists; the last message shows, pushed at most ten times a second.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MidiViewTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] WIDTHS = {320, 375, 390, 1280, 1920};
    private static final By LEARN_DRIVE = By.cssSelector(
            "[data-testid=midi-learn][data-kind=param][data-pedal=overdrive][data-param=drive]");

    @TempDir
    static Path data;
    private final List<AutoCloseable> open = new ArrayList<>();
    private Appliance box;
    private ControlPlane control;
    private Browser b;

    @BeforeAll
    void start() throws Exception {
        box = Appliance.start(ApplianceConfig.DEFAULT, DefaultBoard.load(), new SimulatedBackend(48_000, 64, true,
                Long.MAX_VALUE, null, null));
        open.add(box);
        control = ControlPlane.start(box, new StreamConfig("localhost", 7891, "jam", "template secret", "me",
                List.of("guitar", "voice"), Codec.PCM16, 64), data, new ControlServer.Settings("127.0.0.1", 0, null));
        open.add(control);
        b = Browser.open(390, 844);
        open.add(b);
        b.get(control.url() + "#stage");
        b.waitFor("connected", d -> "open".equals(d.findElement(By.id("conn")).getAttribute("data-state")));
    }

    @AfterAll
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** The board changes with a preset: the overdrive's place on it now. */
    private int overdrive() {
        return Boards.indexOf(box.engine().board(), "overdrive");
    }

    private double drive() {
        return box.engine().runningBoard(0).get(overdrive()).get("drive");
    }

    private String text(String testid) {
        return b.driver().findElement(By.cssSelector("[data-testid=" + testid + "]")).getText();
    }

    private void show(String view) {
        b.script("location.hash = arguments[0];", "#" + view);
        b.waitFor("the " + view + " view", d -> view.equals(b.script("return document.body.dataset.view;")));
        ((JavascriptExecutor) b.driver()).executeAsyncScript(
                "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));");
    }

    @Test
    @Order(1)
    void learnOnThePageBindsTheNextCcToTheDriveAndTheEngineFollowsIt() throws Exception {
        b.waitFor("the stage", d -> "stage".equals(b.script("return document.body.dataset.view;")));
        b.driver().findElement(By.cssSelector("[data-testid=tab-midi]")).click();
        b.waitFor("the MIDI view one tap from the stage", d -> d.findElement(By.id("midi")).isDisplayed());
        b.waitFor("the overdrive's drive in the learn list", d -> d.findElement(LEARN_DRIVE).isDisplayed());
        WebElement learn = b.driver().findElement(LEARN_DRIVE);
        b.script("arguments[0].scrollIntoView({block: 'center'});", learn);
        learn.click();
        b.waitFor("the page to say learn is armed (pushed by the box)", d ->
                d.findElement(By.cssSelector("[data-testid=midi-learning]")).isDisplayed()
                        && text("midi-learning-text").contains("Overdrive · Drive"));
        assertEquals("drive", control.service().state().at("/midi/learning/param").asText(), "armed on the box");

        double before = drive();
        box.backend().midi().send(MidiPorts.NOW, 0xB2, 20, 10);   // CC 20 on channel 3: learned
        b.waitFor("the binding on the page", d -> d.findElements(By.cssSelector("[data-testid=midi-binding]")).stream()
                .anyMatch(e -> e.getText().contains("CC 20 · ch 3") && e.getText().contains("Overdrive · Drive")));
        b.waitFor("learn disarmed on the page", d -> !d.findElement(By.cssSelector("[data-testid=midi-learning]")).isDisplayed());
        assertTrue(control.service().state().at("/midi/learning").isNull());
        assertEquals(20, MidiMap.read(data.resolve("midi.json")).bindings().get(0).source().number(), "saved");
        assertEquals(before, drive(), 1e-9, "the learned message moved nothing");

        // The box has the drive at 0.45 of its travel: the fader takes it over once it passes there.
        box.backend().midi().send(MidiPorts.NOW, 0xB2, 20, 30);
        Thread.sleep(200);
        assertEquals(before, drive(), 1e-9, "a fader below the box's value does not jump it");
        box.backend().midi().send(MidiPorts.NOW, 0xB2, 20, 127);
        b.waitFor("the drive taken over at 40 dB", d -> Math.abs(drive() - 40) < 1e-6);
        List<String> figures = new ArrayList<>();
        for (int value : new int[] {96, 64, 32, 0, 100}) {
            double expected = value / 127.0 * 40;
            long sent = System.nanoTime();
            box.backend().midi().send(MidiPorts.NOW, 0xB2, 20, value);
            // Polled here, not by the browser's wait (every 500 ms): the figure is the box's own.
            while (Math.abs(drive() - expected) > 1e-6) {
                assertTrue(System.nanoTime() - sent < Browser.WAIT.toNanos(), "the drive to follow CC 20 = " + value);
                Thread.sleep(1);
            }
            double ms = (System.nanoTime() - sent) / 1e6;
            b.waitFor("the page's knob state", d -> Math.abs(control.service().state()
                    .at("/board/channels/0/pedals/" + overdrive() + "/params/drive").asDouble() - expected) < 1e-6);
            figures.add(String.format("CC %d -> %.2f dB in %.1f ms", value, expected, ms));
        }
        System.out.println("the engine followed: " + figures);
        b.waitFor("the last message on the page", d -> text("midi-last").equals("CC 20 = 100 · ch 3"));
        assertEquals(List.of(), b.consoleErrors());
    }

    /**
     * A burst of 1,000 CCs over about a second: the page hears of it in at most ten pushes a second,
     * the last of which counts every message and names the last one.
     */
    @Test
    @Order(2)
    void theLastMessageIsPushedAtMostTenTimesASecondHoweverBusyTheController() throws Exception {
        show("midi");
        // A second socket of the page's own, to count what the box pushes.
        b.script("window.midiPushes = []; const ws = new WebSocket(`ws://${location.host}/ws`); window.countSocket = ws;"
                + "ws.onmessage = (e) => { const m = JSON.parse(e.data); if (m.type === 'midi') window.midiPushes.push([performance.now(), m.heard, m.last && m.last.text]); };");
        b.waitFor("the counting socket open", d -> Boolean.TRUE.equals(b.script("return window.countSocket.readyState === 1;")));
        long heardBefore = control.service().midiHeard();
        long start = System.nanoTime();
        int burst = 1000;
        for (int i = 0; i < burst; i++) {
            box.backend().midi().send(MidiPorts.NOW, 0xB0, 7, i % 128);      // CC 7 ch 1: unbound
            if (i % 10 == 9) {
                Thread.sleep(10);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long expectHeard = heardBefore + burst;
        b.waitFor("the box to have read all " + burst, d -> control.service().midiHeard() == expectHeard);
        b.waitFor("the page's count to reach every message", d -> {
            Object n = b.script("const p = window.midiPushes; return p.length ? p[p.length - 1][1] : -1;");
            return n instanceof Number k && k.longValue() == expectHeard;
        });
        Thread.sleep(300); // nothing more comes once the controller is still
        @SuppressWarnings("unchecked")
        List<List<Object>> pushes = (List<List<Object>>) b.script("window.countSocket.close(); return window.midiPushes;");
        double spanMs = ((Number) pushes.get(pushes.size() - 1).get(0)).doubleValue() - ((Number) pushes.get(0).get(0)).doubleValue();
        double minGap = Double.MAX_VALUE;
        for (int i = 1; i < pushes.size(); i++) {
            minGap = Math.min(minGap, ((Number) pushes.get(i).get(0)).doubleValue() - ((Number) pushes.get(i - 1).get(0)).doubleValue());
        }
        System.out.printf("%d CCs in %.2f s: %d midi pushes over %.0f ms, closest two %.1f ms apart; last: %s%n",
                burst, seconds, pushes.size(), spanMs, minGap, pushes.get(pushes.size() - 1));
        assertTrue(pushes.size() <= Math.ceil(spanMs / 100) + 2, pushes.size() + " pushes in " + spanMs + " ms");
        assertTrue(pushes.size() >= 3, "the page hears of a second's activity as it happens: " + pushes.size());
        assertEquals("CC 7 ch 1 = " + (burst - 1) % 128, pushes.get(pushes.size() - 1).get(2));
        b.waitFor("the page shows it", d -> text("midi-last").equals("CC 7 = " + (burst - 1) % 128 + " · ch 1")
                && text("midi-heard").equals(expectHeard + " messages received"));
        assertEquals(List.of(), b.consoleErrors());
    }

    @Test
    @Order(3)
    void aProgramChangeLoadsThePresetThePageListsForIt() throws Exception {
        show("midi");
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) ((JavascriptExecutor) b.driver()).executeAsyncScript(
                "const done = arguments[0]; window.jambox.send({cmd: 'preset.list'}).then((r) => done(r.presets));");
        assertTrue(names.size() >= 3, names.toString());
        WebElement first = b.driver().findElement(By.cssSelector("[data-testid=midi-programs-first]"));
        b.script("arguments[0].scrollIntoView({block: 'center'});", first);
        first.clear();
        first.sendKeys("10");
        b.driver().findElement(By.cssSelector("[data-testid=midi-programs-save]")).click();
        b.waitFor("the box to use program 10 as the first preset", d ->
                control.service().state().at("/midi/map/programs/first").asInt(-1) == 10);
        b.waitFor("the page to list program 12 as " + names.get(2), d -> d.findElements(
                By.cssSelector("[data-testid=midi-program][data-program='12']")).stream().anyMatch(e -> e.getText().contains(names.get(2))));
        String wanted = names.get(2).equals(control.service().state().at("/preset").asText()) ? names.get(1) : names.get(2);
        int program = 10 + names.indexOf(wanted);
        box.backend().midi().send(MidiPorts.NOW, 0xC5, program);
        b.waitFor("program " + program + " to load " + wanted, d -> wanted.equals(control.service().state().at("/preset").asText()));
        b.waitFor("the page to show the program change", d -> text("midi-last").equals("Program " + program + " · ch 6"));
        box.backend().midi().send(MidiPorts.NOW, 0xC5, 9);      // below the first: nothing
        b.waitFor("program 9 heard", d -> text("midi-last").equals("Program 9 · ch 6"));
        assertEquals(wanted, control.service().state().at("/preset").asText());
        System.out.printf("program %d loaded '%s' (first = 10)%n", program, wanted);
        assertEquals(List.of(), b.consoleErrors());
    }

    @Test
    @Order(4)
    void anEditedBindingIsSavedAndARemovedOneNoLongerMovesTheDrive() throws Exception {
        show("midi");
        if (overdrive() < 0) { // the preset the program change loaded has none
            control.service().handle(json("{\"v\":1,\"cmd\":\"insert\",\"channel\":0,\"index\":0,\"type\":\"overdrive\"}"));
        }
        WebElement edit = b.driver().findElement(By.cssSelector("[data-testid=midi-binding] [data-testid=midi-binding-edit]"));
        b.script("arguments[0].scrollIntoView({block: 'center'});", edit);
        edit.click();
        WebElement min = b.driver().findElement(By.cssSelector("[data-testid=midi-edit-min]"));
        min.sendKeys("10");
        b.driver().findElement(By.cssSelector("[data-testid=midi-edit-max]")).sendKeys("20");
        // A toast from an earlier step (a preset loaded) may sit over the button at the foot of a phone's screen.
        b.script("document.getElementById('toasts').replaceChildren();");
        WebElement save = b.driver().findElement(By.cssSelector("[data-testid=midi-edit-save]"));
        b.script("arguments[0].scrollIntoView({block: 'center'});", save);
        save.click();
        b.waitFor("the range on the box", d -> control.service().state().at("/midi/map/bindings/0/range/max").asDouble() == 20);
        b.waitFor("and on the page", d -> text("midi-bindings").contains("range 10 – 20 linear"));
        // A new map's fader catches the box's value first: put the drive inside the range, at 15 dB
        // (the middle of it), and sweep the fader from the top down through it.
        control.service().handle(json("{\"v\":1,\"cmd\":\"set\",\"channel\":0,\"index\":" + overdrive()
                + ",\"param\":\"drive\",\"value\":15}"));
        box.backend().midi().send(MidiPorts.NOW, 0xB2, 20, 127);
        box.backend().midi().send(MidiPorts.NOW, 0xB2, 20, 0);
        b.waitFor("the drive within its new range", d -> Math.abs(drive() - 10) < 1e-6);

        WebElement remove = b.driver().findElement(By.cssSelector("[data-testid=midi-binding] [data-testid=midi-binding-remove]"));
        remove.click();
        b.waitFor("no binding on the box", d -> control.service().state().at("/midi/map/bindings").isEmpty());
        b.waitFor("none on the page", d -> d.findElements(By.cssSelector("[data-testid=midi-binding]")).isEmpty());
        box.backend().midi().send(MidiPorts.NOW, 0xB2, 20, 127);
        b.waitFor("the CC heard", d -> text("midi-last").equals("CC 20 = 127 · ch 3"));
        Thread.sleep(200);
        assertEquals(10, drive(), 1e-6, "a removed binding moves nothing");
        assertTrue(MidiMap.read(data.resolve("midi.json")).bindings().isEmpty(), "saved");
        assertEquals(List.of(), b.consoleErrors());
    }

    @Test
    @Order(5)
    void theViewFitsFromAPhoneToAWideDesktopWithNoTextUnder16Px() throws Exception {
        // A binding of each kind and a learn armed: the longest the view gets.
        control.service().handle(json("{\"v\":1,\"cmd\":\"midi.set\",\"map\":{\"version\":1,\"programs\":{\"channel\":16,\"first\":100},"
                + "\"bindings\":[{\"cc\":74,\"channel\":16,\"range\":{\"min\":400,\"max\":2000,\"curve\":\"log\"},"
                + "\"target\":{\"kind\":\"param\",\"pedal\":\"eq\",\"param\":\"midFreq\"}},"
                + "{\"cc\":20,\"relative\":\"twosComplement\",\"target\":{\"kind\":\"master\"}},"
                + "{\"note\":61,\"channel\":10,\"preset\":\"previous\",\"target\":{\"kind\":\"preset\"}},"
                + "{\"program\":127,\"channel\":10,\"target\":{\"kind\":\"tuner\"}}]}}"));
        control.service().handle(json("{\"v\":1,\"cmd\":\"midi.learn\",\"target\":{\"kind\":\"monitor\",\"channel\":1},\"seconds\":300}"));
        box.backend().midi().send(MidiPorts.NOW, 0x99, 61, 100);
        show("midi");
        b.waitFor("four bindings and the learn", d -> d.findElements(By.cssSelector("[data-testid=midi-binding]")).size() == 4
                && d.findElement(By.cssSelector("[data-testid=midi-learning]")).isDisplayed());
        b.waitFor("the note on the page", d -> text("midi-last").equals("Note on C#4 (61) vel 100 · ch 10"));
        b.script("arguments[0].click();", b.driver().findElement(By.cssSelector("[data-testid=midi-binding] [data-testid=midi-binding-edit]")));
        List<String> all = new ArrayList<>();
        for (int width : WIDTHS) {
            b.resize(width, width < 700 ? 844 : 900);
            show("midi");
            @SuppressWarnings("unchecked")
            List<String> found = (List<String>) b.script(StageViewTest.OVERFLOWS);
            System.out.printf("%d px, midi: %d overflows%n", width, found.size());
            b.screenshot(Path.of("target", "views", "midi-" + width + ".png"));
            found.forEach(p -> all.add(width + " px: " + p));
        }
        assertEquals(List.of(), all, "elements outside their card or cut off");
        for (int width : new int[] {320, 390}) {
            b.resize(width, 844);
            show("midi");
            @SuppressWarnings("unchecked")
            List<Object> small = (List<Object>) b.script(StageViewTest.SMALL_TEXT);
            System.out.printf("midi at %d px: smallest text %s px%n", width, small.get(0));
            assertEquals(List.of(), small.get(1), "text under 16 px in the MIDI view at " + width + " px");
        }
        // The view as docs/midi.md shows it: a phone, a learn armed, the last message a pad.
        b.resize(390, 844);
        show("midi");
        b.script("document.getElementById('toasts').replaceChildren(); document.getElementById('views').scrollTop = 0;");
        b.screenshot(Path.of("..", "docs", "screenshots", "midi-phone.png"));
        b.driver().findElement(By.cssSelector("[data-testid=midi-learn-cancel]")).click();
        b.waitFor("learn cancelled on the box and the page", d -> control.service().state().at("/midi/learning").isNull()
                && !d.findElement(By.cssSelector("[data-testid=midi-learning]")).isDisplayed());
        assertEquals(List.of(), b.consoleErrors());
    }

    /** The system reply's MIDI ports, as the system view and the MIDI view show them. */
    /**
     * The clock's settings on the page: turning the output off and taking the tempo from an incoming
     * clock reach the box, are saved in midi-clock.json, and the page says what the clock does.
     */
    @Test
    @Order(50)
    void theClockSettingsAreSetOnThePageAndSaved() throws Exception {
        show("midi");
        WebElement sendBox = b.driver().findElement(By.cssSelector("[data-testid=midi-clock-send]"));
        b.waitFor("the clock's settings from the state", d -> sendBox.isSelected());
        b.script("arguments[0].scrollIntoView({block: 'center'});", sendBox);
        sendBox.click();
        b.waitFor("the output off on the box", d -> !control.service().state().at("/midi/clock/send").asBoolean(true));
        b.waitFor("and on the page", d -> text("midi-clock-now").equals("Clock output off"));
        WebElement follow = b.driver().findElement(By.cssSelector("[data-testid=midi-clock-follow]"));
        new org.openqa.selenium.support.ui.Select(follow).selectByValue("midi-in");
        b.waitFor("following MIDI in on the box", d -> "midi-in".equals(
                control.service().state().at("/midi/clock/follow").asText()));
        b.waitFor("the page waits for a clock", d -> text("midi-clock-now").equals("Waiting for a MIDI clock on MIDI in"));
        JsonNode saved = JSON.readTree(data.resolve("midi-clock.json").toFile());
        assertEquals(false, saved.get("send").asBoolean(true), saved.toString());
        assertEquals("midi-in", saved.get("follow").asText(), saved.toString());
        // Back as it was, for the tests after.
        new org.openqa.selenium.support.ui.Select(follow).selectByValue("room");
        b.script("arguments[0].click();", sendBox);
        b.waitFor("the clock back on", d -> control.service().state().at("/midi/clock/send").asBoolean(false)
                && "room".equals(control.service().state().at("/midi/clock/follow").asText()));
    }

    @Test
    @Order(60)
    void thePortsCountersShowInTheSystemAndMidiViews() throws Exception {
        b.resize(390, 844);
        show("more");
        b.script("document.getElementById('system').scrollIntoView();");
        long received = box.backend().midi().counters().received();
        b.waitFor("the MIDI counters in the system view", d -> {
            String t = d.findElement(By.cssSelector("[data-testid=system]")).getText();
            return t.contains("Midi received") && t.contains("Midi dropped in") ? t : null;
        });
        show("midi");
        b.waitFor("the ports' counters in the MIDI view", d -> text("midi-counters").startsWith("Ports: ")
                && Long.parseLong(text("midi-counters").replaceAll("^Ports: (\\d+) received.*", "$1")) >= received);
        assertEquals("No hardware MIDI here (simulated audio)", text("midi-devices"));
        System.out.println("MIDI view: " + text("midi-counters") + "; " + Map.of("received at start of check", received));
        assertEquals(List.of(), b.consoleErrors());
    }

    private static JsonNode json(String command) throws Exception {
        return JSON.readTree(command);
    }
}
