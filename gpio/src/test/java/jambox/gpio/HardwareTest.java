package jambox.gpio;

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
import jambox.surface.SoftTakeover;
import jambox.surface.SurfaceListener;
import jambox.surface.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reference build on Pi4J's mock platform: pins toggled by hand, time on a virtual clock. */
class HardwareTest {

    /** Every listener call, in order, as text. */
    private static final class Recording implements SurfaceListener {
        final List<String> events = new ArrayList<>();
        final List<Double> positions = new ArrayList<>();

        @Override
        public void absolute(Target target, double position) {
            events.add("absolute " + target);
            positions.add(position);
        }

        @Override
        public void relative(Target target, int steps) {
            events.add("relative " + target + " " + steps);
        }

        @Override
        public synchronized void pressed(Target target) {
            events.add("pressed " + target);
        }

        long count(String event) {
            return events.stream().filter(event::equals).count();
        }
    }

    private final ManualScheduler clock = new ManualScheduler();
    private final Recording listener = new Recording();
    private final Random random = new Random(3);
    private Context pi4j = mockContext(true);
    private Hardware hardware;

    /** Pi4J's mock providers must be added one by one; without SPI, the ADC cannot be opened. */
    private static Context mockContext(boolean withSpi) {
        return mockContext(withSpi, true);
    }

    private static Context mockContext(boolean withSpi, boolean withPwm) {
        var builder = Pi4J.newContextBuilder().noAutoDetect().add(new MockPlatform())
                .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance());
        if (withPwm) {
            builder.add(MockPwmProvider.newInstance());
        }
        if (withSpi) {
            builder.add(MockSpiProvider.newInstance());
        }
        return builder.build();
    }

    @Test
    void withoutHardwarePwmTheStatusLedLightsOnAndOffAndEveryControlStillWorks() {
        pi4j.shutdown();
        pi4j = mockContext(true, false);              // as on a Pi without dtoverlay=pwm
        startReferenceBuild();
        MockDigitalOutput status = io("leds[2]");
        hardware.status(Status.IN_ROOM);
        clock.advanceMillis(100);
        assertEquals(DigitalState.HIGH, status.state(), "in a room: steady, at full brightness now");
        MockDigitalInput fs1 = io("footswitches[0]");
        fs1.mockState(DigitalState.HIGH);
        clock.advanceMillis(100);
        bounceTo(fs1, DigitalState.LOW);
        assertEquals(List.of("pressed bypass overdrive"), listener.events);
    }

    private void startReferenceBuild() {
        hardware = Hardware.start(pi4j, HardwareMap.defaults(), listener, clock, null);
        clock.flush();
    }

    @AfterEach
    void closeAll() {
        if (hardware != null) {
            hardware.close();
        }
        pi4j.shutdown();
    }

    private <T> T io(String id) {
        return pi4j.registry().get(id);
    }

    /** Sets a contact with an odd number of flips, so it bounces and then settles on {@code level}. */
    private void bounceTo(MockDigitalInput input, DigitalState level) {
        int flips = 2 * random.nextInt(5) + 1;
        DigitalState other = level == DigitalState.HIGH ? DigitalState.LOW : DigitalState.HIGH;
        for (int i = flips; i > 0; i--) {
            input.mockState(i % 2 == 1 ? level : other);
            clock.advance(50_000 + random.nextInt(200_000));   // 50..250 us apart
        }
    }

    /** One detent of an encoder resting at A = B = low (the mock's pins start low): +1 is A leading B. */
    private void detent(MockDigitalInput a, MockDigitalInput b, int direction) {
        MockDigitalInput first = direction > 0 ? a : b;
        MockDigitalInput second = direction > 0 ? b : a;
        bounceTo(first, DigitalState.HIGH);
        bounceTo(second, DigitalState.HIGH);
        bounceTo(first, DigitalState.LOW);
        bounceTo(second, DigitalState.LOW);
    }

    @Test
    void anEncoderTurnedThroughBounceGivesExactlyItsDetents() {
        startReferenceBuild();
        MockDigitalInput a = io("encoders[0].pins.a");
        MockDigitalInput b = io("encoders[0].pins.b");
        int expected = 0;
        for (int run = 0; run < 60; run++) {
            int direction = random.nextBoolean() ? 1 : -1;
            int detents = 1 + random.nextInt(8);
            for (int i = 0; i < detents; i++) {
                detent(a, b, direction);
                clock.advanceMillis(30);
            }
            expected += direction * detents;
        }
        long next = listener.count("relative preset 1");
        long previous = listener.count("relative preset -1");
        assertEquals(listener.events.size(), next + previous, "nothing but single preset steps: " + listener.events);
        assertEquals(expected, next - previous);
    }

    @Test
    void aSlowlyTurnedParameterEncoderStepsOneByOne() {
        startReferenceBuild();
        MockDigitalInput a = io("encoders[1].pins.a");
        MockDigitalInput b = io("encoders[1].pins.b");
        for (int i = 0; i < 5; i++) {
            detent(a, b, -1);
            clock.advanceMillis(300);
        }
        assertEquals(List.of("relative param delay.mix -1", "relative param delay.mix -1", "relative param delay.mix -1",
                "relative param delay.mix -1", "relative param delay.mix -1"), listener.events);
    }

    @Test
    void footswitchesAndEncoderPushesFireTheirGestures() {
        startReferenceBuild();
        MockDigitalInput fs1 = io("footswitches[0]");
        MockDigitalInput fs3 = io("footswitches[2]");
        MockDigitalInput push2 = io("encoders[1].pins.push");
        for (MockDigitalInput contact : List.of(fs1, fs3, push2)) {
            contact.mockState(DigitalState.HIGH);           // the mock's pins start low: open them first
        }
        clock.advanceMillis(100);
        assertEquals(List.of(), listener.events, "a switch held at start is not a press");

        bounceTo(fs1, DigitalState.LOW);                    // bypass fires on the press itself
        assertEquals(List.of("pressed bypass overdrive"), listener.events);
        clock.advanceMillis(120);
        bounceTo(fs1, DigitalState.HIGH);

        bounceTo(fs3, DigitalState.LOW);                    // tap or long: known on release
        clock.advanceMillis(150);
        bounceTo(fs3, DigitalState.HIGH);
        clock.advanceMillis(100);
        bounceTo(fs3, DigitalState.LOW);
        clock.advanceMillis(Gestures.LONG_NANOS / 1e6 + 10);
        bounceTo(fs3, DigitalState.HIGH);

        bounceTo(push2, DigitalState.LOW);
        clock.advanceMillis(100);
        bounceTo(push2, DigitalState.HIGH);
        clock.advanceMillis(1000);
        assertEquals(List.of("pressed bypass overdrive", "pressed tap", "pressed tuner", "pressed bypass delay"), listener.events);
    }

    /** On the real hardware thread and clock (System.nanoTime, far from zero), not the virtual one. */
    @Test
    void aFootswitchOnTheRealHardwareThreadFiresOnThePress() throws InterruptedException {
        hardware = Hardware.start(pi4j, HardwareMap.defaults(), listener);
        MockDigitalInput fs1 = io("footswitches[0]");
        fs1.mockState(DigitalState.HIGH);
        Thread.sleep(100);
        fs1.mockState(DigitalState.LOW);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (listenerEvents().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(List.of("pressed bypass overdrive"), listenerEvents());
    }

    private List<String> listenerEvents() {
        synchronized (listener) {
            return List.copyOf(listener.events);
        }
    }

    /** One poll of both pots: their readings preloaded, the request bytes checked. */
    private void poll(MockSpi adc, int pot1, int pot2) {
        adc.write(concat(reply(pot1), reply(pot2)));
        clock.advance(PotControls.PERIOD_NANOS);
        assertArrayEquals(concat(request(0), request(1)), adc.readEntireMockBuffer());
    }

    @Test
    void potsSayNothingWhileUntouchedAndFollowAMoveWithSoftTakeover() {
        startReferenceBuild();
        MockSpi adc = io("adc");
        int noise = PotControls.HYSTERESIS - 1;
        for (int i = 0; i < 500; i++) {
            poll(adc, 300 + random.nextInt(2 * noise + 1) - noise, 700 + random.nextInt(2 * noise + 1) - noise);
        }
        assertEquals(List.of(), listener.events);

        for (int i = 0; i <= 50; i++) {
            poll(adc, 300 + 8 * i, 700);
        }
        assertTrue(listener.events.size() > 20, listener.events.toString());
        assertEquals(listener.events.size(), listener.count("absolute param overdrive.drive"));
        for (int i = 1; i < listener.positions.size(); i++) {
            assertTrue(listener.positions.get(i) > listener.positions.get(i - 1));
        }

        hardware.current(Target.param("overdrive", "drive"), 0.2);   // a preset loads: drive far below the pot
        listener.events.clear();
        listener.positions.clear();
        for (int i = 0; i <= 20; i++) {
            poll(adc, 700 + 10 * i, 700);
        }
        assertEquals(List.of(), listener.events, "the pot let go of drive");
        for (int i = 0; i <= 100; i++) {
            poll(adc, 900 - 8 * i, 700);                               // down through 0.2 ...
        }
        assertFalse(listener.events.isEmpty(), "... where it takes drive again");
        assertTrue(listener.positions.getFirst() <= 0.2 + SoftTakeover.CATCH, listener.positions.toString());
    }

    @Test
    void bypassLedsAreLitWhileTheirPedalIsOn() {
        startReferenceBuild();
        MockDigitalOutput overdrive = io("leds[0]");
        MockDigitalOutput delay = io("leds[1]");
        hardware.bypassed("overdrive", false);
        clock.flush();
        assertEquals(DigitalState.HIGH, overdrive.state());
        assertEquals(DigitalState.LOW, delay.state());
        hardware.bypassed("overdrive", true);
        hardware.bypassed("delay", false);
        clock.flush();
        assertEquals(DigitalState.LOW, overdrive.state());
        assertEquals(DigitalState.HIGH, delay.state());
    }

    @Test
    void theStatusLedPlaysEachStatusPatternAndTheBeatLedFlashes() throws Exception {
        startReferenceBuild();
        MockPwm status = io("leds[2]");
        assertEquals(Pins.PWM_HZ, status.frequency());
        assertTrue(status.isOn(), "STARTING blinks from the start");
        assertEquals(100, status.dutyCycle());
        clock.advanceMillis(130);
        assertFalse(status.isOn());
        clock.advanceMillis(125);
        assertTrue(status.isOn());

        hardware.status(Status.IN_ROOM);
        clock.flush();
        assertTrue(status.isOn());
        assertEquals(35, status.dutyCycle());
        clock.advanceMillis(5000);
        assertEquals(35, status.dutyCycle(), "steady");

        hardware.status(Status.CLIPPING);
        clock.flush();
        assertEquals(100, status.dutyCycle());
        clock.advanceMillis(60);
        assertFalse(status.isOn());

        MockDigitalOutput beat = io("leds[3]");
        hardware.beat();
        clock.flush();
        assertEquals(DigitalState.HIGH, beat.state());
        clock.advanceMillis(70);
        assertEquals(DigitalState.LOW, beat.state());
    }

    @Test
    void theSameStatusSaidAgainKeepsItsRhythm() {
        startReferenceBuild();
        MockPwm status = io("leds[2]");
        hardware.status(Status.ERROR);
        clock.flush();
        assertTrue(status.isOn());
        // As the appliance does, ten times a second: the double blink goes on, never restarted.
        List<Boolean> lit = new ArrayList<>();
        for (int ms = 0; ms < 1000; ms += 50) {
            if (ms % 100 == 0) {
                hardware.status(Status.ERROR);
            }
            clock.advanceMillis(50);
            lit.add(status.isOn());
        }
        List<Boolean> doubleBlink = new ArrayList<>(List.of(true, false, false, true, true));
        doubleBlink.addAll(java.util.Collections.nCopies(14, false));
        doubleBlink.add(true);
        assertEquals(doubleBlink, lit, "on 100, off 100, on 100, off 700, seen every 50 ms from 50 to 1000");
    }

    @Test
    void closeReleasesEveryPin() {
        startReferenceBuild();
        assertTrue(pi4j.registry().exists("footswitches[0]"));
        hardware.close();
        for (String id : List.of("adc", "footswitches[0]", "encoders[1].pins.push", "leds[2]")) {
            assertFalse(pi4j.registry().exists(id), id);
        }
    }

    @Test
    void aPinThatCannotBeOpenedNamesItsControlAndLeavesNothingOpen() {
        pi4j.shutdown();
        pi4j = mockContext(false);                    // no SPI provider: the ADC cannot be opened
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Hardware.start(pi4j, HardwareMap.defaults(), listener, clock, null));
        assertTrue(e.getMessage().startsWith("adc (SPI0): "), e.getMessage());
        assertFalse(pi4j.registry().exists("footswitches[0]"));
        assertFalse(pi4j.registry().exists("leds[0]"));
    }

    static byte[] request(int channel) {
        return new byte[] {0x01, (byte) (0x80 | channel << 4), 0x00};
    }

    static byte[] reply(int counts) {
        return new byte[] {0x00, (byte) (counts >> 8 & 0x03), (byte) counts};
    }

    private static byte[] concat(byte[] x, byte[] y) {
        byte[] both = new byte[x.length + y.length];
        System.arraycopy(x, 0, both, 0, x.length);
        System.arraycopy(y, 0, both, x.length, y.length);
        return both;
    }
}
