package jambox.appliance.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/** The browser harness itself, against small pages served from this test. */
class BrowserTest {

    // An empty icon: without it Chromium asks for /favicon.ico and logs the 404 as a console error.
    private static final String HEAD = "<!doctype html><meta charset=utf-8><link rel=icon href='data:,'>";

    private static final Map<String, String> PAGES = Map.of(
            "/clean.html", HEAD + """
                    <p id=out>waiting</p>
                    <script type=module>
                      import { greet } from './greet.js';
                      document.getElementById('out').textContent = greet('jambox');
                    </script>
                    """,
            "/greet.js", "export function greet(name) { return 'hello ' + name; }\n",
            "/console-error.html", HEAD + "<script>console.error('marker-console-error');</script>",
            "/throws.html", HEAD + "<script>throw new Error('marker-uncaught');</script>",
            "/module-rejects.html", HEAD
                    + "<script type=module>await Promise.reject(new Error('marker-rejected'));</script>",
            "/colours.html", HEAD + """
                    <style>body { margin: 0; background: linear-gradient(90deg, #146, #c84); }</style>
                    <h1 style='font: 32px sans-serif; color: white; margin: 24px'>jambox</h1>
                    """,
            "/controls.html", HEAD + """
                    <style>
                      body { margin: 20px; }
                      #range { width: 300px; margin: 0; }
                      #knob { width: 120px; height: 120px; border-radius: 50%; background: #468;
                              margin-top: 40px; touch-action: none; }
                    </style>
                    <input id=range type=range min=0 max=100 value=0>
                    <div id=knob data-value=20></div>
                    <script>
                      // A knob as the appliance's pages turn one: pointer capture, up is more.
                      const knob = document.getElementById('knob');
                      let startY = 0, startValue = 0;
                      knob.addEventListener('pointerdown', e => {
                        knob.setPointerCapture(e.pointerId);
                        startY = e.clientY;
                        startValue = Number(knob.dataset.value);
                      });
                      knob.addEventListener('pointermove', e => {
                        if (!knob.hasPointerCapture(e.pointerId)) return;
                        const v = Math.max(0, Math.min(100, startValue + (startY - e.clientY) / 2));
                        knob.dataset.value = String(Math.round(v));
                      });
                    </script>
                    """);

    private static HttpServer server;
    private static String base;

    @BeforeAll
    static void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = PAGES.get(exchange.getRequestURI().getPath());
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String type = exchange.getRequestURI().getPath().endsWith(".js") ? "text/javascript" : "text/html";
            exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void aCleanModulePageLogsNoErrorAndItsTextIsRead() {
        long t0 = System.nanoTime();
        try (Browser browser = Browser.open(1280, 800)) {
            System.out.printf("BrowserTest: one browser started in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            browser.get(base + "/clean.html");
            String text = browser.waitFor("the module's greeting",
                    d -> {
                        String t = d.findElement(By.id("out")).getText();
                        return t.equals("waiting") ? null : t;
                    });
            assertEquals("hello jambox", text);
            assertEquals(List.of(), browser.consoleErrors());
        }
    }

    @Test
    void consoleErrorsAndUncaughtExceptionsAreReported() {
        try (Browser browser = Browser.open(800, 600)) {
            browser.get(base + "/console-error.html");
            assertLogged(browser, "marker-console-error");
            browser.get(base + "/throws.html");
            assertLogged(browser, "marker-uncaught");
            browser.get(base + "/module-rejects.html");
            assertLogged(browser, "marker-rejected");
        }
    }

    private static void assertLogged(Browser browser, String marker) {
        // The log is read while the page runs: give a slow machine time before calling it missing.
        browser.waitFor("a console error with " + marker,
                d -> browser.consoleErrors().stream().anyMatch(e -> e.contains(marker)));
    }

    @Test
    void screenshotsAreAsWideAsThePhoneAndTheDesktopViewport() throws IOException {
        // Kept in target/ to be looked at; the appliance's own pages go to docs/screenshots/.
        Path dir = Path.of("target", "browser-test");
        for (int[] size : new int[][] {{375, 812}, {1280, 800}}) {
            try (Browser browser = Browser.open(size[0], size[1])) {
                browser.get(base + "/colours.html");
                Path png = browser.screenshot(dir.resolve("colours-" + size[0] + ".png"));
                BufferedImage image = ImageIO.read(png.toFile());
                assertEquals(size[0], image.getWidth(), "width of " + png);
                assertEquals(size[1], image.getHeight(), "height of " + png);
                assertEquals(size[0], ((Number) browser.script("return window.innerWidth")).intValue());
                assertEquals(List.of(), browser.consoleErrors());
            }
        }
    }

    @Test
    void draggingARangeAndAKnobChangesTheirValues() {
        try (Browser browser = Browser.open(375, 812)) {
            browser.get(base + "/controls.html");
            WebElement range = browser.driver().findElement(By.id("range"));
            // From the thumb at the left end to the middle of the track.
            int left = -range.getSize().getWidth() / 2 + 4;
            new Actions(browser.driver())
                    .moveToElement(range, left, 0)
                    .clickAndHold()
                    .moveByOffset(75, 0)
                    .moveByOffset(75, 0)
                    .release()
                    .perform();
            int rangeValue = Integer.parseInt(range.getDomProperty("value"));
            assertTrue(rangeValue > 30 && rangeValue < 70, "range at " + rangeValue + " after a drag to its middle");

            WebElement knob = browser.driver().findElement(By.id("knob"));
            new Actions(browser.driver())
                    .moveToElement(knob)
                    .clickAndHold()
                    .moveByOffset(0, -20)
                    .moveByOffset(0, -40)
                    .release()
                    .perform();
            assertEquals("50", knob.getDomAttribute("data-value"), "knob after a 60 px drag up from 20");
            assertEquals(List.of(), browser.consoleErrors());
        }
    }

    @Test
    void closingEndsEveryProcessOfTwoBrowsersOpenAtOnce() {
        Browser a = Browser.open(375, 812);
        Browser b = Browser.open(1280, 800);
        try {
            a.get(base + "/clean.html");
            b.get(base + "/clean.html");
            assertTrue(a.liveProcesses().size() > 1, "a's chromedriver and chromium found: " + a.liveProcesses());
            assertTrue(b.liveProcesses().size() > 1, "b's chromedriver and chromium found: " + b.liveProcesses());
        } finally {
            a.close();
            b.close();
        }
        assertEquals(List.of(), a.liveProcesses());
        assertEquals(List.of(), b.liveProcesses());
    }
}
