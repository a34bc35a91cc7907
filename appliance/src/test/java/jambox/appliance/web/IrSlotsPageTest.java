package jambox.appliance.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

import jambox.appliance.app.Appliance;
import jambox.appliance.app.DefaultBoard;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.control.ControlPlane;
import jambox.appliance.control.ControlServer;
import jambox.appliance.ir.TestIrs;

/** The page's impulse-response slots in Chromium: a file picked is uploaded and shown, a bad one refused with its reason. */
class IrSlotsPageTest {
    @TempDir
    Path data;
    @TempDir
    Path files;

    private static String slotText(WebDriver d, int slot) {
        return d.findElement(By.cssSelector(".ir[data-slot='" + slot + "'] [data-testid=ir-slot]")).getText();
    }

    @Test
    void aPickedFileFillsTheSlotAndABadOneIsRefusedWithItsReason() throws Exception {
        float[][] x = TestIrs.samples(1, 4800, 21);
        Path good = files.resolve("Greenback.wav");
        Files.write(good, TestIrs.wav24(x, 48_000));
        Path bad = files.resolve("notes.wav");
        Files.writeString(bad, "not audio");
        try (Appliance box = Appliance.start(ApplianceConfig.DEFAULT, DefaultBoard.load(),
                new SimulatedBackend(48_000, 64, true, Long.MAX_VALUE, null, null));
             ControlPlane control = ControlPlane.start(box, null, data, new ControlServer.Settings("127.0.0.1", 0, null));
             Browser b = Browser.open(375, 812)) {
            b.get(control.url() + "#more");
            b.waitFor("eight empty slots", d -> d.findElements(By.cssSelector("[data-testid=ir-slot]")).size() == 8
                    && slotText(d, 2).equals("empty") ? true : null);
            b.driver().findElement(By.cssSelector(".ir[data-slot='2'] [data-testid=ir-file]")).sendKeys(good.toString());
            b.waitFor("slot 2 filled", d -> slotText(d, 2).equals("Greenback · 48 kHz · mono · 100 ms") ? true : null);
            assertArrayEquals(x, box.engine().irs().user(1).channels());
            assertEquals(List.of(), b.consoleErrors());

            b.driver().findElement(By.cssSelector(".ir[data-slot='3'] [data-testid=ir-file]")).sendKeys(bad.toString());
            b.waitFor("the reason shown", d -> d.findElements(By.cssSelector("[data-testid=toast]")).stream()
                    .anyMatch(t -> t.getText().equals("notes.wav: not a WAV file")) ? true : null);
            assertEquals("empty", slotText(b.driver(), 3));
            assertNull(box.engine().irs().user(2));
        }
    }
}
