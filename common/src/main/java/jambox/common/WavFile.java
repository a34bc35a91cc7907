package jambox.common;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A 32-bit float WAV written as it grows: float keeps PCM16, PCM24 and float streams exactly, and
 * a mix above full scale unclipped. The sizes in the header are brought up to date after every
 * write, so whatever is on disk is a valid WAV of what was written, even if the power goes.
 */
public final class WavFile implements AutoCloseable {
    private static final int HEADER = 44;
    private static final int FORMAT_IEEE_FLOAT = 3;

    public final Path path;
    public final int channels;
    private final FileChannel file;
    private final ByteBuffer sizes = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    private long dataBytes;

    public WavFile(Path path, int channels, int sampleRate) throws IOException {
        this.path = path;
        this.channels = channels;
        file = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(HEADER - 8)
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) FORMAT_IEEE_FLOAT).putShort((short) channels).putInt(sampleRate)
                .putInt(sampleRate * channels * 4).putShort((short) (channels * 4)).putShort((short) 32)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(0).flip();
        write(h, 0);
    }

    /** Appends interleaved little-endian float frames; then the header's sizes match. */
    public void append(ByteBuffer frames) throws IOException {
        int n = frames.remaining();
        write(frames, HEADER + dataBytes);
        dataBytes += n;
        putSize(4, HEADER - 8 + dataBytes);
        putSize(40, dataBytes);
    }

    public long frames() {
        return dataBytes / (4L * channels);
    }

    /** Forces data and header to the disk. */
    public void sync() throws IOException {
        file.force(true);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    private void putSize(long at, long value) throws IOException {
        sizes.clear();
        sizes.putInt((int) Math.min(value, 0xFFFF_FFFFL)).flip();
        write(sizes, at);
    }

    private void write(ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            at += file.write(b, at);
        }
    }
}
