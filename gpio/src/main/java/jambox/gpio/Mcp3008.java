package jambox.gpio;

import com.pi4j.io.spi.Spi;

/** The MCP3008 10-bit ADC: one single-ended conversion is one 3-byte SPI transfer. */
final class Mcp3008 {

    private final Spi spi;
    private final byte[] out = new byte[3];
    private final byte[] in = new byte[3];

    Mcp3008(Spi spi) {
        this.spi = spi;
    }

    /** Channel 0..7 as 0..1023 (0 V .. VREF). */
    int read(int channel) {
        out[0] = 0x01;                                // start bit
        out[1] = (byte) (0x80 | channel << 4);        // single-ended, channel in bits 6..4
        out[2] = 0x00;                                // clocks the low 8 bits out
        int result = spi.transfer(out, 0, in, 0, 3);
        if (result < 0) {
            throw new IllegalStateException("SPI transfer failed (" + result + ")");
        }
        return (in[1] & 0x03) << 8 | in[2] & 0xFF;
    }
}
