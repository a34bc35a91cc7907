package jambox.appliance.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

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

/** The page's recordings list and its factory-preset restore, as a player uses them in Chromium. */
class RecordingsAndFactoryPageTest {
    @TempDir
    Path data;
    private final List<AutoCloseable> open = new ArrayList<>();
    private String url;

    @BeforeEach
    void start() throws Exception {
        Appliance box = Appliance.start(ApplianceConfig.DEFAULT, DefaultBoard.load(), new SimulatedBackend(48_000, 64,
                true, Long.MAX_VALUE, LoopedInput.firstInput(Riff.render(48_000, 8, 120)), null));
        open.add(box);
        ControlPlane control = ControlPlane.start(box, new StreamConfig("localhost", 7891, "jam", "template secret",
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

    private Browser browser() {
        Browser b = Browser.open(375, 812);
        open.add(b);
        // The metronome & recorder and the presets are in the page's "more" view.
        b.get(url + "#more");
        b.waitFor("the recordings list", d -> d.findElement(By.cssSelector("[data-testid=recordings-folder]"))
                .getText().startsWith("Saved on the box in "));
        return b;
    }

    @Test
    void aTakeRecordedFromThePageIsListedWhereItLivesAndItsLinksDownloadTheFiles() throws Exception {
        Browser b = browser();
        Path folder = data.resolve("recordings").toAbsolutePath().normalize();
        assertEquals("Saved on the box in " + folder,
                b.driver().findElement(By.cssSelector("[data-testid=recordings-folder]")).getText());
        b.driver().findElement(By.cssSelector("[data-testid=record]")).click();
        Thread.sleep(800);
        b.driver().findElement(By.cssSelector("[data-testid=record]")).click();
        // The list is drawn again when the take ends and again when the state says so: what the
        // links say is read in one go, and read again if a redraw replaced them meanwhile.
        List<String[]> links = b.waitFor("the take's three files listed", d -> {
            try {
                List<WebElement> found = d.findElements(By.cssSelector("[data-testid=take] [data-testid=recording-file]"));
                WebElement takeItem = d.findElement(By.cssSelector("[data-testid=take]"));
                if (found.size() != 3 || takeItem.getText().contains("recording…")) {
                    return null;
                }
                List<String[]> read = new java.util.ArrayList<>();
                for (WebElement link : found) {
                    read.add(new String[] {takeItem.getAttribute("data-name"), link.getAttribute("data-file"),
                            link.getText(), link.getAttribute("href")});
                }
                return read;
            } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
                return null;
            }
        });
        HttpClient http = HttpClient.newHttpClient();
        for (String[] link : links) {
            String take = link[0];
            String file = link[1];
            assertTrue(link[2].matches("(Mix|Input [12] \\(dry\\)) · [0-9.]+ (kB|MB)"), link[2]);
            byte[] onDisk = Files.readAllBytes(folder.resolve(take).resolve(file));
            HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(URI.create(link[3])).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, res.statusCode(), link[3]);
            assertArrayEquals(onDisk, res.body(), file);
        }
        assertEquals(List.of(), b.consoleErrors());
    }

    @Test
    void restoreFactoryPresetsTakesTwoTapsAndBringsADeletedOneBackAsItCame() throws Exception {
        Path presets = data.resolve("presets");
        byte[] ambient = Files.readAllBytes(presets.resolve("ambient.json"));
        Files.delete(presets.resolve("ambient.json"));
        Files.writeString(presets.resolve("mine.json"), "{\"version\": 1, \"name\": \"Mine\", \"channels\": [{\"pedals\": []}]}");
        byte[] mine = Files.readAllBytes(presets.resolve("mine.json"));
        Browser b = browser();
        WebElement restore = b.driver().findElement(By.cssSelector("[data-testid=preset-restore-factory]"));
        restore.click();
        Thread.sleep(500);
        assertTrue(Files.notExists(presets.resolve("ambient.json")), "one tap restores nothing");
        restore.click();
        b.waitFor("Ambient in the list", d -> d.findElements(By.cssSelector("[data-testid=preset][data-name=Ambient]"))
                .size() == 1);
        assertArrayEquals(ambient, Files.readAllBytes(presets.resolve("ambient.json")));
        assertArrayEquals(mine, Files.readAllBytes(presets.resolve("mine.json")));
        assertEquals(List.of(), b.consoleErrors());
    }
}
