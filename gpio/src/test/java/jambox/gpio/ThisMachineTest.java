package jambox.gpio;

import jambox.surface.SurfaceListener;
import jambox.surface.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThisMachineTest {

    private static final SurfaceListener NOBODY = new SurfaceListener() {
        @Override
        public void absolute(Target target, double position) {}

        @Override
        public void relative(Target target, int steps) {}

        @Override
        public void pressed(Target target) {}
    };

    @Test
    void onAMachineWithoutGpioTheBoxRunsWithoutAndSaysWhyInOneLine() {
        assertTrue(MachineProbe.missing(HardwareMap.defaults(), Path.of("/")).isPresent(), "this test wants a machine that is no Pi");
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger jambox = Logger.getLogger("jambox.gpio");
        Logger pi4j = Logger.getLogger("com.pi4j");
        jambox.addHandler(capture);
        pi4j.addHandler(capture);
        Level pi4jLevel = pi4j.getLevel();
        pi4j.setLevel(Level.ALL);
        try {
            assertEquals(Optional.empty(), Hardware.startOnThisMachine(HardwareMap.defaults(), NOBODY));
        } finally {
            jambox.removeHandler(capture);
            pi4j.removeHandler(capture);
            pi4j.setLevel(pi4jLevel);
        }
        assertEquals(1, records.size(), records.stream().map(LogRecord::getMessage).toList().toString());
        LogRecord line = records.getFirst();
        assertEquals(Level.INFO, line.getLevel());
        assertEquals("no knobs, footswitches or LEDs: this is not a Raspberry Pi (no /proc/device-tree/model)", line.getMessage());
        assertEquals(null, line.getThrown(), "no stack trace");
    }

    @Test
    void aPiIsAskedForItsGpioChipAndItsSpiDevice(@TempDir Path root) throws Exception {
        HardwareMap map = HardwareMap.defaults();
        Files.createDirectories(root.resolve("proc/device-tree"));
        Files.writeString(root.resolve("proc/device-tree/model"), "Lenovo ThinkPad\0");
        assertEquals(Optional.of("this is not a Raspberry Pi (Lenovo ThinkPad)"), MachineProbe.missing(map, root));

        Files.writeString(root.resolve("proc/device-tree/model"), "Raspberry Pi 5 Model B Rev 1.0\0");
        assertEquals(Optional.of("Raspberry Pi 5 Model B Rev 1.0 has no " + root.resolve("dev/gpiochip0")), MachineProbe.missing(map, root));

        Files.createDirectories(root.resolve("dev"));
        Files.createFile(root.resolve("dev/gpiochip0"));
        assertEquals(Optional.of("SPI is off (no " + root.resolve("dev/spidev0.0") + "): add dtparam=spi=on to /boot/firmware/config.txt"),
                MachineProbe.missing(map, root));

        Files.createFile(root.resolve("dev/spidev0.0"));
        assertEquals(Optional.empty(), MachineProbe.missing(map, root));
    }
}
