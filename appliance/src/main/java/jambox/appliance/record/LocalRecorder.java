package jambox.appliance.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import jambox.common.SpscRing;
import jambox.common.WavFile;

/**
 * Records the session on the box: {@code input-1.wav} and {@code input-2.wav} (the dry inputs, as
 * played, so a take can be re-amped through another board later) and {@code mix.wav} (what the
 * headphones heard), 32-bit float, sample-aligned. The audio thread copies each period into a
 * preallocated block and passes it through a lock-free ring; a writer thread appends to the files.
 * If the writer falls behind, blocks are dropped and counted; if the disk fills, the recording
 * stops with {@link #failure()} set, and the audio never notices.
 */
public final class LocalRecorder implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LocalRecorder.class.getName());
    private static final int BLOCK = 256;
    private static final int BLOCKS = 1024; // 5.5 s at 48 kHz: room for a slow SD card's stalls

    private static final class Block {
        final float[][] in = new float[2][BLOCK];
        final float[][] mix = new float[2][BLOCK];
        int frames;
    }

    private final Path folder;
    private final SpscRing<Block> free = new SpscRing<>(BLOCKS);
    private final SpscRing<Block> full = new SpscRing<>(BLOCKS);
    private final WavFile[] files = new WavFile[3];
    private final ByteBuffer mono = ByteBuffer.allocate(BLOCK * 4).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer stereo = ByteBuffer.allocate(BLOCK * 8).order(ByteOrder.LITTLE_ENDIAN);
    private final Thread writer;
    private volatile boolean stopping;
    private volatile boolean stopped;
    private volatile String failure;
    private volatile long dropped;

    /** Creates {@code folder} and its three files, and starts the writer. */
    public LocalRecorder(Path folder, int sampleRate) throws IOException {
        this.folder = folder;
        Files.createDirectories(folder);
        files[0] = new WavFile(folder.resolve("input-1.wav"), 1, sampleRate);
        files[1] = new WavFile(folder.resolve("input-2.wav"), 1, sampleRate);
        files[2] = new WavFile(folder.resolve("mix.wav"), 2, sampleRate);
        for (int i = 0; i < BLOCKS; i++) {
            free.offer(new Block());
        }
        writer = new Thread(this::write, "record-local");
        writer.setDaemon(true);
        writer.start();
    }

    /** Why the recording stopped by itself (e.g. "No space left on device"), or null. */
    public String failure() {
        return failure;
    }

    /** Blocks lost because the writer was behind (each up to 256 frames). */
    public long dropped() {
        return dropped;
    }

    // ---- audio thread ----

    /** Copies one period of the inputs and the mix. */
    public void take(float[][] in, float[][] mix, int n) {
        if (stopped) {
            return;
        }
        for (int done = 0; done < n; ) {
            Block b = free.poll();
            int k = Math.min(BLOCK, n - done);
            if (b == null) {
                dropped++;
            } else {
                for (int c = 0; c < 2; c++) {
                    System.arraycopy(in[c], done, b.in[c], 0, k);
                    System.arraycopy(mix[c], done, b.mix[c], 0, k);
                }
                b.frames = k;
                full.offer(b); // cannot fail: there are as many places as blocks
            }
            done += k;
        }
    }

    // ---- writer thread ----

    private void write() {
        try {
            while (true) {
                Block b = full.poll();
                if (b == null) {
                    if (stopping) {
                        break;
                    }
                    TimeUnit.MILLISECONDS.sleep(20);
                    continue;
                }
                for (int c = 0; c < 2; c++) {
                    mono.clear();
                    for (int i = 0; i < b.frames; i++) {
                        mono.putFloat(b.in[c][i]);
                    }
                    files[c].append(mono.flip());
                }
                stereo.clear();
                for (int i = 0; i < b.frames; i++) {
                    stereo.putFloat(b.mix[0][i]).putFloat(b.mix[1][i]);
                }
                files[2].append(stereo.flip());
                free.offer(b);
            }
        } catch (IOException e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.log(System.Logger.Level.WARNING, "recording in {0} stopped: {1}", folder, failure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped = true;
            for (WavFile f : files) {
                try {
                    f.sync();
                    f.close();
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "closing {0}: {1}", f.path, e.getMessage());
                }
            }
        }
    }

    /** Writes what is queued, closes the files. */
    @Override
    public void close() {
        stopping = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
