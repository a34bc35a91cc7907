package jambox.appliance.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import jambox.appliance.app.Appliance;
import jambox.appliance.app.DefaultBoard;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.control.ControlPlane;
import jambox.appliance.control.ControlServer;
import jambox.dsp.pedal.Looper;

/** The looper's card in a real headless Chromium on a running box: shown with a looper on the board, and its buttons work it. */
class LooperPageTest {
    private static final By PANEL = By.id("looper-panel");
    private static final By STATUS = By.cssSelector("[data-testid=looper-status]");

    @TempDir
    Path data;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private static String state(Browser b) {
        return b.driver().findElement(PANEL).getAttribute("data-looper");
    }

    @Test
    void theCardAppearsWithALooperAndItsButtonsRecordPlayAndClear() throws Exception {
        Appliance box = Appliance.start(ApplianceConfig.DEFAULT, DefaultBoard.load(),
                new SimulatedBackend(48_000, 64, true, Long.MAX_VALUE, null, null));
        open.add(box);
        ControlPlane control = ControlPlane.start(box, null, data, new ControlServer.Settings("127.0.0.1", 0, null));
        open.add(control);
        Browser b = Browser.open(375, 812);
        open.add(b);
        b.get(control.url());
        b.waitFor("the stage", d -> !d.findElements(By.cssSelector("[data-testid=view-stage]")).isEmpty()
                && d.findElement(By.cssSelector("[data-testid=view-stage]")).isDisplayed());
        assertTrue(!b.driver().findElement(PANEL).isDisplayed(), "no looper on the board: no card");

        b.script("return window.jambox.send({cmd: 'insert', channel: 0, index: 8, type: 'looper'});");
        b.waitFor("the looper's card", d -> d.findElement(PANEL).isDisplayed());
        b.waitFor("it says empty", d -> "empty".equals(state(b)));

        b.driver().findElement(By.cssSelector("[data-testid=looper-record]")).click();
        b.waitFor("recording", d -> "recording".equals(state(b)));
        assertEquals("true", b.driver().findElement(By.cssSelector("[data-testid=looper-record]")).getAttribute("aria-pressed"));
        Thread.sleep(500);
        b.driver().findElement(By.cssSelector("[data-testid=looper-record]")).click();
        b.waitFor("playing", d -> "playing".equals(state(b)));
        String status = b.driver().findElement(STATUS).getText();
        System.out.println("looper card: " + status);
        assertTrue(status.matches("Playing · \\d+\\.\\d\\d s"), status);
        Looper running = (Looper) box.engine().runningBoard(0).pedals().stream()
                .filter(p -> p instanceof Looper).findFirst().orElseThrow();
        assertEquals(Looper.State.PLAYING, running.state());

        b.driver().findElement(By.cssSelector("[data-testid=looper-clear]")).click();
        b.waitFor("empty again", d -> "empty".equals(state(b)));
        assertEquals(List.of(), b.consoleErrors());
    }
}
