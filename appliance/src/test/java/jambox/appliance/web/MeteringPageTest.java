package jambox.appliance.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import jambox.appliance.app.Appliance;
import jambox.appliance.app.DefaultBoard;
import jambox.appliance.audio.LoopedInput;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.control.ControlPlane;
import jambox.appliance.control.ControlServer;
import jambox.appliance.engine.Meter;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;

/**
 * The mixer's meters in a real headless Chromium, on a running box (simulated audio) whose input the
 * test rewrites while it plays: the master on top, the dB figures against the engine's own meter,
 * and the clip latch that outlasts the clip until it is tapped.
 */
class MeteringPageTest {
    private static final int RATE = 48_000;
    private static final By PRE = By.cssSelector("#mixer [data-testid=meter-pre-0]"); // the stage has one too

    @TempDir
    Path data;
    private final List<AutoCloseable> open = new ArrayList<>();
    /** Input 1, looped by the box: what the audio interface delivers, changed by the test as it plays. */
    private final float[] input = new float[RATE];

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private void play(double amplitude, boolean square) {
        for (int i = 0; i < RATE; i++) {
            double s = Math.sin(2 * Math.PI * 1000 * i / RATE);
            input[i] = (float) (amplitude * (square ? Math.signum(s) : s));
        }
    }

    private static String attribute(Browser b, By meter, String name) {
        return b.driver().findElement(meter).getAttribute(name);
    }

    /** The figure a meter shows, in dB ("-inf" as negative infinity). */
    private static double figure(Browser b, String key) {
        String text = (String) b.script("return document.querySelector('[data-testid=meter-' + arguments[0] + ']')"
                + ".querySelector('[data-testid=meter-db]').textContent;", key);
        return text.equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(text);
    }

    @Test
    void theMasterIsOnTopTheFiguresMatchTheEngineAndAClipStaysLitUntilTapped() throws Exception {
        play(Math.pow(10, -12 / 20.0), false);
        Appliance box = Appliance.start(ApplianceConfig.DEFAULT, DefaultBoard.load(), new SimulatedBackend(RATE, 64,
                true, Long.MAX_VALUE, LoopedInput.firstInput(input), null));
        open.add(box);
        ControlPlane control = ControlPlane.start(box, new StreamConfig("localhost", 7891, "jam", "template secret",
                "me", List.of("guitar", "voice"), Codec.PCM16, 64), data, new ControlServer.Settings("127.0.0.1", 0, null));
        open.add(control);
        Browser b = Browser.open(375, 812);
        open.add(b);
        b.get(control.url() + "#mixer"); // the mixer's view: a phone opens on the stage
        b.waitFor("the mixer's meters", d -> !d.findElements(PRE).isEmpty());

        // The master first; every strip metered where the issue asks.
        @SuppressWarnings("unchecked")
        Map<String, Object> layout = (Map<String, Object>) b.script(
                "const strips = [...document.querySelectorAll('#mixer .strip')];"
                        + "const keys = (s) => [...s.querySelectorAll('.meter')].map((m) => m.dataset.key).join(',');"
                        + "return {first: strips[0].dataset.testid, master: keys(strips[0]),"
                        + " input: keys(document.querySelector('[data-testid=strip-input]')),"
                        + " self: keys(document.querySelector('[data-testid=strip-self]'))};");
        System.out.println("mixer layout: " + layout);
        assertEquals("strip-master", layout.get("first"), "the master is the first strip");
        assertEquals("out-0,out-1", layout.get("master"));
        assertEquals("pre-0,in-0", layout.get("input"), "the In strip: at the interface, then after the pedals");
        assertEquals("self-0", layout.get("self"));

        // A steady tone: the figure (held peak) within 1 dB of the engine's meter, and no clip.
        double engine = Meter.dbfs(box.engine().preMeter(0).peak());
        double shown = b.waitFor("the pre figure to settle near the engine's",
                d -> Math.abs(figure(b, "pre-0") - engine) <= 1 ? figure(b, "pre-0") : null);
        Thread.sleep(2000); // several pushes and a few figure updates later: still there
        double later = figure(b, "pre-0");
        double engineLater = Meter.dbfs(box.engine().preMeter(0).peak());
        double out = figure(b, "out-0");
        double engineOut = Meter.dbfs(box.engine().outputMeter(0).peak());
        System.out.printf("-12 dBFS tone: pre figure %.1f (engine %.2f), 2 s later %.1f (engine %.2f); out-0 figure"
                + " %.1f (engine %.2f)%n", shown, engine, later, engineLater, out, engineOut);
        assertEquals(engineLater, later, 1.0, "pre figure against the engine");
        assertEquals(engineOut, out, 1.0, "out figure against the engine");
        assertEquals("false", attribute(b, PRE, "data-clip"), "a -12 dBFS tone does not clip");

        // The interface clips: the latch lights, and stays lit long after the input has gone quiet.
        play(1.0, true);
        long clipAt = System.nanoTime();
        b.waitFor("the pre clip light", d -> "true".equals(attribute(b, PRE, "data-clip")));
        System.out.printf("clip light lit %.0f ms after the input clipped%n", (System.nanoTime() - clipAt) / 1e6);
        play(0, false);
        b.waitFor("the pre meter to fall (the input quiet)", d -> Double.parseDouble(
                attribute(b, PRE, "data-db").replace("-inf", "-999")) < -40);
        Thread.sleep(2500);
        assertEquals("true", attribute(b, PRE, "data-clip"), "still lit 2.5 s after the quiet");
        b.script("document.getElementById('mixer').scrollIntoView();");
        b.screenshot(Path.of("target", "metering-phone.png")); // to look at, not to keep: the docs' shots are WebPageTest's
        String label = b.driver().findElement(PRE).findElement(By.cssSelector("[data-testid=meter-clip]"))
                .getAttribute("aria-label");
        assertEquals("Input 1 at the interface clipped: tap to clear", label);
        assertEquals("false", attribute(b, By.cssSelector("[data-testid=meter-self-1]"), "data-clip"),
                "a silent input's strip is not lit");

        // A tap on the meter clears it, and nothing lights it again while the input is quiet.
        b.driver().findElement(PRE).click();
        b.waitFor("the clip light cleared", d -> "false".equals(attribute(b, PRE, "data-clip")));
        Thread.sleep(1000);
        assertEquals("false", attribute(b, PRE, "data-clip"), "still clear a second after the tap");
        assertTrue(b.driver().findElement(PRE).findElement(By.cssSelector("[data-testid=meter-clip]"))
                .getAttribute("aria-label").endsWith(": no clip"));
        assertEquals(List.of(), b.consoleErrors());
    }
}
