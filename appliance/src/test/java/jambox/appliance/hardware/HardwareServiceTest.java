package jambox.appliance.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.pwm.MockPwm;
import com.pi4j.plugin.mock.provider.pwm.MockPwmProvider;
import com.pi4j.plugin.mock.provider.spi.MockSpi;
import com.pi4j.plugin.mock.provider.spi.MockSpiProvider;

import jambox.appliance.app.Appliance;
import jambox.appliance.app.AudioInterfaceWatch;
import jambox.appliance.app.DefaultBoard;
import jambox.appliance.audio.AudioInterface;
import jambox.appliance.audio.CardProbe;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.board.Boards;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.control.ControlServer;
import jambox.appliance.control.ControlService;
import jambox.appliance.control.TestPage;
import jambox.appliance.preset.LastState;
import jambox.appliance.preset.PresetStore;
import jambox.common.AtomicFiles;
import jambox.appliance.stream.StreamConfig;
import jambox.dsp.Catalog;
import jambox.gpio.HardwareMap;
import jambox.protocol.Codec;

/**
 * The reference build's knobs, switches and LEDs (Pi4J's mock pins; everything else real) driving
 * a running box through its command service, with a page watching over a real WebSocket.
 */
class HardwareServiceTest {
    private static final long WAIT_NANOS = 20_000_000_000L;

    @TempDir
    Path data;
    private final List<AutoCloseable> open = new ArrayList<>();
    private Context pi4j;
    private Appliance box;
    private ControlService control;
    private TestPage page;

    private void start() throws Exception {
        pi4j = Pi4J.newContextBuilder().noAutoDetect().add(new MockPlatform())
                .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance(),
                        MockPwmProvider.newInstance(), MockSpiProvider.newInstance()).build();
        box = Appliance.start(ApplianceConfig.DEFAULT, DefaultBoard.load(),
                new SimulatedBackend(48_000, 64, true, Long.MAX_VALUE, null, null));
        open.add(box);
        control = new ControlService(box, new ControlService.Options(new StreamConfig("localhost", 7891, "jam",
                "template secret", "me", List.of("guitar"), Codec.PCM16, 64), data.resolve("recordings"),
                PresetStore.open(data.resolve("presets")), new LastState(data)));
        open.add(control);
        ControlServer server = ControlServer.start(control, new ControlServer.Settings("127.0.0.1", 0, null));
        open.add(server);
        open.add(HardwareService.start(box, control, data, pi4j));
        page = new TestPage(server.address().getPort());
        open.add(page);
        page.awaitType("state");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        if (pi4j != null) {
            pi4j.shutdown();
        }
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aMappedPotTurnsTheParameterInTheEngineAndThePageSeesIt() throws Exception {
        start();
        int index = Boards.indexOf(box.engine().board(), "overdrive");
        double before = box.engine().runningBoard(0).get(index).get("drive");
        // The ADC's replies, one reading after another: resting at 300, a turn up to 900, then held
        // there. Both pots read the same (the mock's reply queue already holds the requests of the
        // polls before this, so which reply meets which pot is not ours to choose). Pot 1 holds
        // drive (18 dB, 0.45 of its travel) from the moment it crosses it; pot 2 holds the master,
        // at 0 dB (0.91), which it never reaches: soft takeover leaves the master alone.
        ByteArrayOutputStream replies = new ByteArrayOutputStream();
        for (int i = 0; i < 6000; i++) {
            replies.write(reply(i < 100 ? 300 : Math.min(900, 300 + 5 * (i - 100))));
        }
        MockSpi adc = pi4j.registry().get("adc");
        adc.write(replies.toByteArray());
        double expected = Catalog.byId("overdrive").param("drive").fromNormalized(900 / 1023.0);
        waitFor("drive to follow the pot to " + expected, () ->
                Math.abs(box.engine().runningBoard(0).get(index).get("drive") - expected) < 0.5);
        Thread.sleep(500); // the pot held still: its last reading has settled and gone out
        double after = box.engine().runningBoard(0).get(index).get("drive");
        System.out.printf("pot 1 from 300 to 900 of 1023: drive %.2f -> %.2f dB%n", before, after);
        // The running pedal keeps its parameters as floats: the page's double agrees to float precision.
        JsonNode seen = page.awaitState(s -> Math.abs(s.at("/board/channels/0/pedals/" + index + "/params/drive")
                .asDouble() - after) < 1e-4);
        assertEquals(after, seen.at("/board/channels/0/pedals/" + index + "/params/drive").asDouble(), 1e-4);
        assertEquals(after, box.engine().runningBoard(1).get(index).get("drive"), 1e-9, "both inputs' boards");
        assertEquals(0.0, box.engine().mixer().masterDb(), "the master pot never reached the master: no jump");
    }

    /** One pot on ADC channel 0 bound to the EQ's mid frequency (log, 200 .. 5000 Hz) with a heel and toe. */
    private static String expressionMap(String heel, String toe) {
        return "{\"version\": 1, \"adc\": {\"chipSelect\": 0, \"hz\": 1000000}, \"pots\": [{\"adc\": 0, \"heel\": " + heel
                + ", \"toe\": " + toe + ", \"target\": {\"kind\": \"param\", \"pedal\": \"eq\", \"param\": \"midFreq\"}}]}";
    }

    /**
     * An expression pedal on the EQ's mid frequency, turned round (heel 2000 Hz, toe 400 Hz): all
     * the way up it sets the toe, halfway the middle of the log taper (the geometric mean, 894 Hz,
     * not the arithmetic 1200), all the way down the heel; read back from the running pedal.
     */
    @Test
    void anExpressionPotSweepsItsParameterFromHeelToToeAlongTheParametersTaper() throws Exception {
        Files.writeString(data.resolve("hardware.json"), expressionMap("2000", "400"));
        start();
        int index = Boards.indexOf(box.engine().board(), "eq");
        java.util.function.DoubleSupplier midFreq = () -> box.engine().runningBoard(0).get(index).get("midFreq");
        // Rest at the heel, sweep to the toe (crossing the box's 800 Hz: soft takeover catches it
        // on the way), hold; back to the middle, hold; down to the heel, hold. 3 s per hold.
        ByteArrayOutputStream replies = new ByteArrayOutputStream();
        int[][] script = {{0, 100}, {1023, 100}, {1023, 300}, {512, 50}, {512, 300}, {0, 50}, {0, 3000}};
        int at = 0;
        for (int[] leg : script) {
            for (int i = 1; i <= leg[1]; i++) {
                replies.write(reply(at + (leg[0] - at) * i / leg[1]));
            }
            at = leg[0];
        }
        MockSpi adc = pi4j.registry().get("adc");
        adc.write(replies.toByteArray());
        waitFor("the toe, 400 Hz", () -> Math.abs(midFreq.getAsDouble() - 400) < 0.01);
        double middle = Math.sqrt(2000 * 400.0);
        waitFor("the tapered middle, " + middle + " Hz", () -> Math.abs(midFreq.getAsDouble() - middle) < middle * 0.01);
        System.out.printf("expression pot at 512 of 1023: midFreq %.1f Hz (log middle %.1f)%n", midFreq.getAsDouble(), middle);
        waitFor("the heel, 2000 Hz", () -> Math.abs(midFreq.getAsDouble() - 2000) < 0.01);
        JsonNode hw = page.command("{\"v\":1,\"cmd\":\"hardware.get\"}").get("hardware");
        assertEquals(2000.0, hw.at("/map/pots/0/heel").asDouble());
        assertEquals(400.0, hw.at("/map/pots/0/toe").asDouble());
    }

    @Test
    void aHeelOrToeOutsideTheParametersRangeIsRefusedByPlaceAndNothingChanges() throws Exception {
        start();
        byte[] before = HardwareMap.defaults().toJson();
        for (String[] bad : new String[][] {{"100", "400", "pots[0].heel: eq.midFreq: 100 Hz is outside 200 Hz .. 5000 Hz"},
                {"2000", "9000", "pots[0].toe: eq.midFreq: 9000 Hz is outside 200 Hz .. 5000 Hz"}}) {
            JsonNode refused = page.command("{\"v\":1,\"cmd\":\"hardware.set\",\"map\":" + expressionMap(bad[0], bad[1]) + "}");
            assertEquals("error", refused.get("type").asText(), refused.toString());
            assertEquals("hardware.set map: " + bad[2], refused.get("error").asText());
        }
        assertFalse(Files.exists(data.resolve("hardware.json")), "nothing saved");
        JsonNode hw = page.command("{\"v\":1,\"cmd\":\"hardware.get\"}").get("hardware");
        assertEquals(new ObjectMapper().readTree(before), hw.get("map"), "the map in use is the same");
        assertTrue(hw.get("running").asBoolean());
    }

    @Test
    void aFootswitchBypassesItsPedalAndItsLedFollowsFromTheFootAndFromThePage() throws Exception {
        start();
        int index = Boards.indexOf(box.engine().board(), "overdrive");
        MockDigitalInput fs1 = pi4j.registry().get("footswitches[0]");
        MockDigitalOutput led1 = pi4j.registry().get("leds[0]");
        fs1.mockState(DigitalState.HIGH); // the contact open (pulled up)
        waitFor("LED 1 lit: the overdrive is on", () -> led1.state() == DigitalState.HIGH);
        Thread.sleep(100);

        fs1.mockState(DigitalState.LOW); // stepped on
        waitFor("the overdrive bypassed", () -> box.engine().runningBoard(0).get(index).isBypassed());
        page.awaitState(s -> s.at("/board/channels/0/pedals/" + index + "/bypass").asBoolean());
        waitFor("LED 1 dark", () -> led1.state() == DigitalState.LOW);
        fs1.mockState(DigitalState.HIGH);

        JsonNode reply = page.command("{\"v\":1,\"cmd\":\"bypass\",\"channel\":0,\"index\":" + index + ",\"on\":false}");
        assertEquals("reply", reply.get("type").asText(), reply.toString());
        waitFor("LED 1 lit again after the page engaged it", () -> led1.state() == DigitalState.HIGH);
        assertFalse(box.engine().runningBoard(0).get(index).isBypassed());
    }

    private String looperState() {
        return control.meters().path("looper").path("state").asText();
    }

    private static void step(MockDigitalInput fs, long holdMillis) throws InterruptedException {
        fs.mockState(DigitalState.LOW);
        Thread.sleep(holdMillis);
        fs.mockState(DigitalState.HIGH);
    }

    /** One footswitch runs the looper: tap records, plays, overdubs; a double tap stops; a long press undoes. */
    @Test
    void aFootswitchRunsTheLooperWithTapDoubleAndLongPresses() throws Exception {
        String reference;
        try (var in = getClass().getClassLoader().getResourceAsStream("jambox/gpio/hardware.json")) {
            reference = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String looperSwitch = reference.replace("{\"pin\": 22, \"tap\": {\"kind\": \"tap\"}, \"long\": {\"kind\": \"tuner\"}}",
                "{\"pin\": 22, \"tap\": {\"kind\": \"looper\", \"action\": \"record\"}, "
                        + "\"double\": {\"kind\": \"looper\", \"action\": \"stop\"}, "
                        + "\"long\": {\"kind\": \"looper\", \"action\": \"undo\"}}");
        assertTrue(!looperSwitch.equals(reference));
        Files.writeString(data.resolve("hardware.json"), looperSwitch);
        start();
        JsonNode inserted = page.command("{\"v\":1,\"cmd\":\"insert\",\"channel\":0,\"index\":8,\"type\":\"looper\"}");
        assertEquals("reply", inserted.get("type").asText(), inserted.toString());
        MockDigitalInput fs3 = pi4j.registry().get("footswitches[2]");
        fs3.mockState(DigitalState.HIGH);
        Thread.sleep(100);

        step(fs3, 60);
        waitFor("a tap records", () -> looperState().equals("recording"));
        Thread.sleep(500);
        step(fs3, 60);
        waitFor("a tap closes the loop and plays it", () -> looperState().equals("playing"));
        step(fs3, 60);
        waitFor("a tap overdubs", () -> looperState().equals("overdubbing"));
        Thread.sleep(300);
        step(fs3, 60);
        waitFor("a tap plays, with a layer to undo", () -> looperState().equals("playing")
                && control.meters().at("/looper/canUndo").asBoolean());
        step(fs3, 900);
        waitFor("a long press undoes the layer", () -> !control.meters().at("/looper/canUndo").asBoolean());
        assertEquals("playing", looperState());
        step(fs3, 60);
        Thread.sleep(60);
        step(fs3, 60);
        waitFor("a double tap stops", () -> looperState().equals("stopped"));
        JsonNode shown = page.command("{\"v\":1,\"cmd\":\"state\"}").at("/state/looper");
        System.out.println("looper from a footswitch, as the page sees it: " + shown);
        assertEquals("stopped", shown.get("state").asText());
        assertTrue(shown.get("lengthSeconds").asDouble() > 0.4, shown.toString());
    }

    @Test
    void footswitchesSteppedOnWhileTheControlThreadIsBusyAreAppliedAfterItInTheOrderPressed() throws Exception {
        start();
        int overdrive = Boards.indexOf(box.engine().board(), "overdrive");
        int delay = Boards.indexOf(box.engine().board(), "delay");
        MockDigitalInput fs1 = pi4j.registry().get("footswitches[0]");
        MockDigitalInput fs2 = pi4j.registry().get("footswitches[1]");
        MockDigitalOutput led1 = pi4j.registry().get("leds[0]");
        fs1.mockState(DigitalState.HIGH);
        fs2.mockState(DigitalState.HIGH);
        waitFor("LED 1 lit: the overdrive is on", () -> led1.state() == DigitalState.HIGH);
        Thread.sleep(100);
        List<String> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
        control.onChange(state -> {
            var now = control.snapshot();
            changes.add("overdrive " + now.pedal("overdrive").bypass() + ", delay " + now.pedal("delay").bypass());
        });

        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        control.execute(() -> {
            held.countDown();
            try {
                release.await(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(held.await(10, java.util.concurrent.TimeUnit.SECONDS));
        for (MockDigitalInput fs : List.of(fs1, fs2, fs1)) { // overdrive, delay, overdrive again
            fs.mockState(DigitalState.LOW);
            Thread.sleep(60);
            fs.mockState(DigitalState.HIGH);
            Thread.sleep(60);
        }
        assertFalse(box.engine().runningBoard(0).get(overdrive).isBypassed(), "nothing yet: the control thread is busy");
        assertTrue(changes.isEmpty(), changes.toString());
        release.countDown();

        waitFor("the delay bypassed", () -> box.engine().runningBoard(0).get(delay).isBypassed());
        waitFor("three changes", () -> changes.size() == 3);
        System.out.println("footswitches pressed during a held control thread, applied after: " + changes);
        assertEquals(List.of("overdrive true, delay false", "overdrive true, delay true", "overdrive false, delay true"),
                changes);
        assertFalse(box.engine().runningBoard(0).get(overdrive).isBypassed(), "two presses: engaged again");
        waitFor("LED 1 lit", () -> led1.state() == DigitalState.HIGH);
    }

    @Test
    void aBadHardwareJsonIsReportedAndTheBoxRunsWithoutItUntilTheMapIsFixedFromThePage() throws Exception {
        HardwareMap good = HardwareMap.defaults();
        String reference;
        try (var in = getClass().getClassLoader().getResourceAsStream("jambox/gpio/hardware.json")) {
            reference = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String bad = reference.replace("\"pin\": 27", "\"pin\": 17"); // footswitch 2 on footswitch 1's pin
        assertTrue(!bad.equals(reference));
        Files.writeString(data.resolve("hardware.json"), bad);
        start();
        JsonNode hw = page.command("{\"v\":1,\"cmd\":\"hardware.get\"}").get("hardware");
        System.out.println("bad hardware.json: " + hw.get("problem").asText());
        assertFalse(hw.get("running").asBoolean());
        assertTrue(hw.get("problem").asText().contains(data.resolve("hardware.json").toString())
                && hw.get("problem").asText().contains("GPIO 17"), hw.toString());
        long periods = box.engine().periods();
        waitFor("the box plays on", () -> box.engine().periods() > periods + 100);
        assertTrue(pi4j.registry().all().isEmpty(), "no pin opened: " + pi4j.registry().all().keySet());

        JsonNode refused = page.command("{\"v\":1,\"cmd\":\"hardware.set\",\"map\":" + bad + "}");
        assertEquals("error", refused.get("type").asText());
        System.out.println("hardware.set with the same mistake: " + refused.get("error").asText());
        JsonNode unknownPedal = page.command("{\"v\":1,\"cmd\":\"hardware.set\",\"map\":"
                + reference.replace("\"delay\"", "\"flux\"") + "}");
        assertTrue(unknownPedal.get("error").asText().contains("flux"), unknownPedal.toString());
        assertEquals(bad, Files.readString(data.resolve("hardware.json")), "nothing saved over it");

        JsonNode fixed = page.command("{\"v\":1,\"cmd\":\"hardware.set\",\"map\":" + reference + "}");
        assertEquals("reply", fixed.get("type").asText(), fixed.toString());
        assertEquals(good, HardwareMap.read(data.resolve("hardware.json")), "the fixed map on disk");
        assertTrue(page.command("{\"v\":1,\"cmd\":\"hardware.get\"}").at("/hardware/running").asBoolean());
        MockDigitalInput fs2 = pi4j.registry().get("footswitches[1]");
        int delay = Boards.indexOf(box.engine().board(), "delay");
        fs2.mockState(DigitalState.HIGH);
        Thread.sleep(100);
        fs2.mockState(DigitalState.LOW);
        waitFor("the delay bypassed by its footswitch", () -> box.engine().runningBoard(0).get(delay).isBypassed());
    }

    @Test
    void withNoAudioInterfaceThePageSaysSoAndTheStatusLedDoubleBlinksUntilACardComesBack() throws Exception {
        start();
        MockPwm status = pi4j.registry().get("leds[2]");
        Path file = data.resolve("audio-interface.json");
        AtomicFiles.write(file, new AudioInterface("dummy", null, null, "none", "no card here can record",
                CardProbe.NO_INTERFACE, 48_000, 64, 2).toJson());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        open.add(AudioInterfaceWatch.start(file, new PrintStream(log, true, StandardCharsets.UTF_8),
                control::setAudioInterface));
        JsonNode system = awaitSystem(s -> s.at("/audioInterface/problem").isTextual());
        assertEquals(CardProbe.NO_INTERFACE, system.at("/audioInterface/problem").asText());
        assertEquals("none", system.at("/audioInterface/kind").asText());
        assertTrue(system.at("/audioInterface/card").isNull());
        assertTrue(system.at("/audio/running").asBoolean(), "JACK (here simulated) runs, on no card");
        List<long[]> blinks = blinks(status, 2600);
        System.out.println("status LED with no audio interface, [on?, ms]: " + describe(blinks));
        assertTrue(isErrorPattern(blinks), "double blink: " + describe(blinks));

        AtomicFiles.write(file, new AudioInterface("alsa", "CODEC", "USB Audio CODEC", "usb",
                "the first USB audio interface", null, 48_000, 64, 2).toJson());
        system = awaitSystem(s -> s.at("/audioInterface/card").asText().equals("CODEC"));
        assertTrue(system.at("/audioInterface/problem").isNull(), system.toString());
        blinks = blinks(status, 2600);
        System.out.println("status LED with the card back: " + describe(blinks));
        assertFalse(isErrorPattern(blinks), describe(blinks));
        assertTrue(blinks.stream().anyMatch(b -> b[0] == 1 && b[1] > 350), "ALONE's slow 500 ms blink: " + describe(blinks));
        assertEquals(2, log.toString(StandardCharsets.UTF_8).lines().count(), "once per change: " + log);
    }

    private JsonNode awaitSystem(java.util.function.Predicate<JsonNode> wanted) throws Exception {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (true) {
            JsonNode s = page.command("{\"v\":1,\"cmd\":\"system\"}").get("system");
            if (wanted.test(s)) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + s);
            }
            Thread.sleep(50);
        }
    }

    /**
     * The LED's whole runs over {@code millis}, as {on (1) or off (0), milliseconds}; the first and
     * last runs are cut by the window and left out.
     */
    private static List<long[]> blinks(MockPwm led, long millis) throws InterruptedException {
        List<long[]> runs = new ArrayList<>();
        long start = System.nanoTime();
        long since = start;
        boolean on = led.isOn();
        while (System.nanoTime() - start < millis * 1_000_000) {
            Thread.sleep(2);
            boolean now = led.isOn();
            if (now != on) {
                long t = System.nanoTime();
                runs.add(new long[] {on ? 1 : 0, (t - since) / 1_000_000});
                since = t;
                on = now;
            }
        }
        return runs.isEmpty() ? runs : runs.subList(1, runs.size());
    }

    /** ERROR: two 100 ms flashes 100 ms apart, then 700 ms dark. */
    private static boolean isErrorPattern(List<long[]> runs) {
        return runs.stream().anyMatch(r -> r[0] == 0 && r[1] < 250) && runs.stream().anyMatch(r -> r[0] == 0 && r[1] > 500)
                && runs.stream().filter(r -> r[0] == 1).allMatch(r -> r[1] < 250);
    }

    private static String describe(List<long[]> runs) {
        return runs.stream().map(r -> (r[0] == 1 ? "on " : "off ") + r[1]).toList().toString();
    }

    private static byte[] reply(int counts) {
        return new byte[] {0x00, (byte) (counts >> 8 & 0x03), (byte) counts};
    }
}
