package jambox.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import jambox.protocol.Codec;
import jambox.protocol.Header;
import jambox.protocol.PacketType;
import jambox.protocol.Pcm;

/**
 * A mix room's work per block, on one thread in simulated time: each member's packet offered to
 * its buffer (the event loop's part), the block pulled, mixed and coded (the tick's), and the mixes
 * sent (the event loop's again): after warm-up, not one byte allocated in thousands of blocks.
 */
class MixRoomAllocationTest {
    @Test
    void offerBlockAndSendAllocateNothing() throws Exception {
        Room room = new Room(1, new RoomConfig("jam", "open sesame", 8, true));
        room.mix = new MixRoom(room);
        Codec[] codecs = {Codec.PCM16, Codec.PCM24, Codec.FLOAT32, Codec.PCM16};
        int[] channels = {2, 2, 2, 1};
        Member[] members = new Member[codecs.length];
        for (int i = 0; i < members.length; i++) {
            members[i] = new Member(i + 1, room, new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_000 + i),
                    new byte[16], new byte[32], "m" + i, channels[i] == 1 ? List.of("voice") : List.of("l", "r"),
                    codecs[i], 64, 0, 1000);
            room.put(members[i]);
            room.mix.join(members[i]);
        }
        long[] sent = new long[1];
        long[] bytes = new long[1];
        RoomService.Outbox out = (to, b, off, len) -> {
            sent[0]++;
            bytes[0] += len;
        };
        Header h = new Header();
        byte[] packet = new byte[Header.MAX_PACKET];
        float[][] block = new float[2][64];
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long calibration = mx.getCurrentThreadAllocatedBytes();
        calibration = mx.getCurrentThreadAllocatedBytes() - calibration;
        long offerBytes = 0;
        long blockBytes = 0;
        long sendBytes = 0;
        int warm = 20_000;
        int measured = 2_000;
        int rounds = 0;
        int clean = 0;
        StringBuilder log = new StringBuilder();
        long k = 0;
        // The JIT's late tier changes and method-handle linking allocate now and then for a while
        // (a few hundred bytes, in whichever call runs): steady state is three rounds in a row at 0.
        for (; k < warm; k++) {
            offerAll(room, members, codecs, channels, h, packet, block, k, mx, 0);
            room.mix.block(k);
            room.mix.sendMade(out, k * 4000 / 3);
        }
        while (clean < 3 && rounds < 20) {
            offerBytes = 0;
            blockBytes = 0;
            sendBytes = 0;
            for (long end = k + measured; k < end; k++) {
                offerBytes += offerAll(room, members, codecs, channels, h, packet, block, k, mx, calibration);
                long a = mx.getCurrentThreadAllocatedBytes();
                room.mix.block(k);
                long b = mx.getCurrentThreadAllocatedBytes();
                room.mix.sendMade(out, k * 4000 / 3);
                long c = mx.getCurrentThreadAllocatedBytes();
                blockBytes += b - a - calibration;
                sendBytes += c - b - calibration;
            }
            rounds++;
            clean = offerBytes + blockBytes + sendBytes == 0 ? clean + 1 : 0;
            log.append(' ').append(offerBytes + blockBytes + sendBytes);
        }
        System.out.printf("MixRoomAllocationTest: rounds of %d blocks for 4 members (PCM16, PCM24, FLOAT32, mono PCM16),"
                + " bytes allocated in each:%s; in the last, by offer %d, block %d, sendMade %d; %d mixes sent%n",
                measured, log, offerBytes, blockBytes, sendBytes, sent[0]);
        assertEquals(4L * k, sent[0], "one mix per member per block");
        assertEquals(3, clean, "three rounds in a row with 0 bytes allocated:" + log);
        assertTrue(bytes[0] > 0);
    }

    private static long offerAll(Room room, Member[] members, Codec[] codecs, int[] channels, Header h, byte[] packet,
                                 float[][] block, long k, com.sun.management.ThreadMXBean mx, long calibration) {
        long allocated = 0;
        for (int i = 0; i < members.length; i++) {
            for (int f = 0; f < 64; f++) {
                block[0][f] = (float) Math.sin(0.01 * (i + 1) * (k * 64 + f)) * 0.25f;
                block[1][f] = block[0][f];
            }
            h.clear(PacketType.AUDIO).audio(codecs[i], channels[i], 64);
            h.member = i + 1;
            h.sequence = (int) k;
            h.samplePosition = k * 64;
            h.senderTime = k * 4000 / 3;
            Pcm.encode(codecs[i], block, channels[i], 64, packet, Header.SIZE);
            long a = mx.getCurrentThreadAllocatedBytes();
            room.mix.offer(members[i], h, packet, k * 4_000_000 / 3);
            allocated += mx.getCurrentThreadAllocatedBytes() - a - calibration;
        }
        return allocated;
    }
}
