package jambox.gpio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether this machine can drive the map, asked before Pi4J is touched: on a laptop Pi4J would load
 * natives for a board that is not there and fail in ways that say little.
 */
final class MachineProbe {

    private MachineProbe() {}

    /** Why {@code map} cannot run on the machine whose file system starts at {@code root}; empty when it can. */
    static Optional<String> missing(HardwareMap map, Path root) {
        Path model = root.resolve("proc/device-tree/model");
        String name;
        try {
            // The device tree's strings end in a NUL.
            name = new String(Files.readAllBytes(model), StandardCharsets.US_ASCII).replace("\0", "").trim();
        } catch (IOException e) {
            return Optional.of("this is not a Raspberry Pi (no " + model + ")");
        }
        if (!name.startsWith("Raspberry Pi")) {
            return Optional.of("this is not a Raspberry Pi (" + name + ")");
        }
        if (!Files.exists(root.resolve("dev/gpiochip0"))) {
            return Optional.of(name + " has no " + root.resolve("dev/gpiochip0"));
        }
        if (map.adc() != null) {
            Path spi = root.resolve("dev/spidev0." + map.adc().chipSelect());
            if (!Files.exists(spi)) {
                return Optional.of("SPI is off (no " + spi + "): add dtparam=spi=on to /boot/firmware/config.txt");
            }
        }
        return Optional.empty();
    }
}
