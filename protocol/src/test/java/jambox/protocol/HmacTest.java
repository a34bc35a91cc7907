package jambox.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class HmacTest {
    static String hmac(byte[] key, byte[] data) {
        byte[] out = new byte[32];
        new Hmac256(key).update(data, 0, data.length).finish(out, 0, 32);
        return HexFormat.of().formatHex(out);
    }

    @Test
    void rfc4231TestVectors() {
        byte[] k1 = new byte[20];
        Arrays.fill(k1, (byte) 0x0b);
        assertEquals("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                hmac(k1, "Hi There".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                hmac("Jefe".getBytes(StandardCharsets.US_ASCII), "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)));
        byte[] k6 = new byte[131];
        Arrays.fill(k6, (byte) 0xaa);
        assertEquals("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
                hmac(k6, "Test Using Larger Than Block-Size Key - Hash Key First".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void matchesTheJdkMacOnRandomKeysAndMessagesInPiecesAndReused() throws Exception {
        Random r = new Random(1);
        for (int i = 0; i < 1000; i++) {
            byte[] key = new byte[1 + r.nextInt(150)];
            byte[] data = new byte[r.nextInt(3000)];
            r.nextBytes(key);
            r.nextBytes(data);
            Mac jdk = Mac.getInstance("HmacSHA256");
            jdk.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] expected = jdk.doFinal(data);
            Hmac256 ours = new Hmac256(key);
            for (int round = 0; round < 2; round++) { // finish starts the next message
                int cut = data.length == 0 ? 0 : r.nextInt(data.length);
                ours.update(data, 0, cut).update(data, cut, data.length - cut);
                byte[] got = new byte[32];
                ours.finish(got, 0, 32);
                assertArrayEquals(expected, got, "key " + key.length + " B, data " + data.length + " B");
            }
        }
    }

    @Test
    void aTagFailsForAnyFlippedBitAWrongKeyOrATooShortPacket() {
        PacketKey key = new PacketKey("k".repeat(32).getBytes(StandardCharsets.US_ASCII));
        byte[] p = new byte[100 + Header.TAG_SIZE];
        new Random(2).nextBytes(p);
        assertEquals(108, key.sign(p, 0, 100));
        assertTrue(key.verify(p, 0, 108));
        for (int bit = 0; bit < 108 * 8; bit++) {
            p[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(key.verify(p, 0, 108), "bit " + bit);
            p[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        assertFalse(new PacketKey("other".getBytes(StandardCharsets.US_ASCII)).verify(p, 0, 108));
        assertFalse(key.verify(p, 0, 7));
        assertTrue(key.verify(p, 0, 108), "and the original still passes");
    }
}
