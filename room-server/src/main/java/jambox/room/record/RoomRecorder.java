package jambox.room.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import jambox.common.SpscRing;
import jambox.common.WavFile;
import jambox.protocol.Codec;
import jambox.protocol.Header;
import jambox.protocol.MalformedPacketException;
import jambox.protocol.Opus;
import jambox.protocol.Pcm;

/**
 * Records one room: a float WAV per member and a stereo mix, all starting at the recording's
 * first frame so they line up sample for sample in any editor. A member's stream is placed on the
 * server clock by the arrival time of its first packet, and from then on by its own sample
 * positions, so network jitter does not move audio around and a lost packet leaves exactly its
 * length of silence. The event loop only copies packets into preallocated slots; a writer thread
 * does every decode and write.
 */
public final class RoomRecorder implements AutoCloseable {
    /** Packets that may wait for the writer: 5 s of a full room of 16 at 64 frames. */
    static final int SLOTS = 4096;
    /** The writer polls (no lock for the event loop to meet): a few ms of latency on disk is nothing. */
    private static final long WRITER_NAP_NANOS = 2_000_000;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path folder;
    private final long startMicros;
    private final int sampleRate;
    /** Slots the event loop may fill (the writer gives them back). */
    private final SpscRing<Slot> free = new SpscRing<>(SLOTS);
    /** Filled slots for the writer. */
    private final SpscRing<Slot> queue = new SpscRing<>(SLOTS);
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean stopping;
    private volatile String failure;
    private volatile Consumer<String> failureListener = why -> { };

    // The writer thread's own state.
    private final Map<Integer, Track> byMember = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Track> tracks = new ArrayList<>();
    private final Track mix;
    private final float[][] decoded = new float[Header.MAX_CHANNELS][Header.MAX_FRAMES];
    private final ByteBuffer chunk;
    private final int window;
    private final int margin;
    /** Every file holds the timeline up to here. */
    private long flushed;
    /** The furthest frame any member has reached. */
    private long newest;

    private static final class Slot {
        final byte[] body = new byte[Header.MAX_BODY];
        int member;
        String name;
        Codec codec;
        int channels;
        int frames;
        int length;
        long samplePosition;
        long arrivalMicros;
    }

    private RoomRecorder(Path folder, long startMicros, int sampleRate) throws IOException {
        this.folder = folder;
        this.startMicros = startMicros;
        this.sampleRate = sampleRate;
        this.window = sampleRate; // a second of reordering and jitter
        this.margin = sampleRate / 2;
        this.chunk = ByteBuffer.allocateDirect(4096 * Header.MAX_CHANNELS * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < SLOTS; i++) {
            free.offer(new Slot());
        }
        mix = new Track(0, "mix", 2, new WavFile(folder.resolve("mix.wav"), 2, sampleRate), window);
        tracks.add(mix);
        writer = new Thread(this::write, "recorder-" + folder.getFileName());
        writer.setDaemon(true);
        writer.start();
    }

    /** Makes {@code dir/<room>-<UTC date-time>} and starts recording into it. */
    public static RoomRecorder start(Path dir, String roomName, long startMicros, int sampleRate) throws IOException {
        Files.createDirectories(dir);
        String base = sanitize(roomName, "room") + "-" + ZonedDateTime.now(ZoneOffset.UTC).format(STAMP);
        for (int n = 1; ; n++) {
            Path folder = dir.resolve(n == 1 ? base : base + "-" + n);
            try {
                Files.createDirectory(folder);
                return new RoomRecorder(folder, startMicros, sampleRate);
            } catch (FileAlreadyExistsException e) {
                if (n > 100) {
                    throw e;
                }
            }
        }
    }

    public String name() {
        return folder.getFileName().toString();
    }

    public Path folder() {
        return folder;
    }

    /**
     * One AUDIO body as it arrived, from the event loop: copied into a free slot and queued, never
     * blocking and never allocating. Without a free slot, or with a bad format, it is counted and
     * dropped.
     */
    public void audio(int member, String memberName, Codec codec, int channels, int frames, byte[] body, int off,
                      long samplePosition, long arrivalMicros) {
        int n = codec == null ? 0 : frames * channels * codec.bytesPerSample;
        audio(member, memberName, codec, channels, frames, body, off, n, samplePosition, arrivalMicros);
    }

    /**
     * As above, for a body of {@code length} bytes: PCM's length follows from its format, an Opus
     * frame's does not. Opus is decoded on the writer thread, with a decoder per member.
     */
    public void audio(int member, String memberName, Codec codec, int channels, int frames, byte[] body, int off,
                      int length, long samplePosition, long arrivalMicros) {
        if (stopping || failure != null || codec == null || !codec.isAudio() || channels < 1
                || channels > Header.MAX_CHANNELS || codec.framesProblem(frames) != null || frames < 1
                || (codec.isPcm() ? length != frames * channels * codec.bytesPerSample
                        : length < 1 || length > Opus.MAX_BODY)) {
            dropped.incrementAndGet();
            return;
        }
        int n = length;
        Slot s = off >= 0 && off + n <= body.length ? free.poll() : null;
        if (s == null) {
            dropped.incrementAndGet();
            return;
        }
        System.arraycopy(body, off, s.body, 0, n);
        s.member = member;
        s.name = memberName;
        s.codec = codec;
        s.channels = channels;
        s.frames = frames;
        s.length = n;
        s.samplePosition = samplePosition;
        s.arrivalMicros = arrivalMicros;
        queue.offer(s); // cannot be full: there are as many slots as places in the queue
    }

    /** Finishes the queue, completes and syncs every file. Idempotent. */
    public CompletableFuture<Void> stop() {
        stopping = true;
        return done;
    }

    @Override
    public void close() {
        try {
            stop().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the failure, if any, is in failure(); closing must not throw
        }
    }

    /** Null while all is well; once writing failed, what and where. */
    public String failure() {
        return failure;
    }

    /** Told once, on the writer thread, when writing fails. */
    public void onFailure(Consumer<String> listener) {
        failureListener = listener;
    }

    public long droppedPackets() {
        return dropped.get();
    }

    /** Frames on disk in a member's file so far (0 for a member not heard). */
    public long writtenFrames(int member) {
        Track t = byMember.get(member);
        return t == null ? 0 : t.framesOnDisk;
    }

    private void write() {
        try {
            while (true) {
                Slot s = queue.poll();
                if (s == null) {
                    if (stopping) {
                        break;
                    }
                    LockSupport.parkNanos(WRITER_NAP_NANOS);
                    continue;
                }
                if (failure == null) {
                    place(s);
                }
                free.offer(s);
            }
            if (failure == null) {
                flushTo(newest);
                for (Track t : tracks) {
                    sync(t);
                }
                syncFolder();
            }
        } catch (TrackFailure e) {
            fail(e.path, e.getCause());
        } catch (IOException | RuntimeException e) {
            fail(folder, e);
        } finally {
            for (Track t : tracks) {
                try {
                    t.file.close();
                } catch (IOException e) {
                    // already failed or closing after a failure: nothing more to save
                }
            }
            while (queue.poll() != null) {
                // after a failure: what waited is dropped (counted when it arrived late anyway)
            }
            done.complete(null);
        }
    }

    private void place(Slot s) throws IOException {
        Track t = byMember.get(s.member);
        if (t == null || !t.name.equals(s.name) || t.channels != s.channels) {
            t = newTrack(s);
        }
        if (s.codec == Codec.OPUS) {
            if (t.opus == null) {
                t.opus = new Opus.Decoder(s.channels);
            }
            try {
                t.opus.decode(s.body, 0, s.length, decoded);
            } catch (MalformedPacketException e) {
                dropped.incrementAndGet(); // the server checked its header and table of contents only
                return;
            }
        } else {
            Pcm.decode(s.codec, s.body, 0, s.channels, s.frames, decoded);
        }
        long arrivalFrame = Math.round((s.arrivalMicros - startMicros) * (sampleRate / 1e6));
        long at = s.samplePosition + t.offset;
        if (!t.anchored || Math.abs(at - arrivalFrame) > 10L * sampleRate) {
            // First packet, or the member restarted its stream: place it by its arrival.
            t.offset = arrivalFrame - s.samplePosition;
            t.anchored = true;
            at = arrivalFrame;
        }
        if (at < flushed) {
            dropped.incrementAndGet(); // later than a second: its place is already on disk
            return;
        }
        if (at + s.frames > flushed + window) {
            flushTo(at + s.frames - window);
        }
        for (int i = 0; i < s.frames; i++) {
            long frame = at + i;
            for (int c = 0; c < s.channels; c++) {
                t.set(frame, c, decoded[c][i]);
            }
            mix.add(frame, 0, decoded[0][i]);
            mix.add(frame, 1, decoded[s.channels - 1][i]);
        }
        newest = Math.max(newest, at + s.frames);
        if (newest - margin > flushed) {
            flushTo(newest - margin);
        }
    }

    private Track newTrack(Slot s) throws IOException {
        String base = "member-" + s.member + "-" + sanitize(s.name, "member");
        Path path = folder.resolve(base + ".wav");
        for (int n = 2; Files.exists(path); n++) {
            path = folder.resolve(base + "-" + n + ".wav");
        }
        Track t;
        try {
            t = new Track(s.member, s.name, s.channels, new WavFile(path, s.channels, sampleRate), window);
        } catch (IOException e) {
            throw new TrackFailure(path, e);
        }
        tracks.add(t);
        byMember.put(s.member, t);
        writeSilence(t, flushed); // every file starts at the recording's first frame
        return t;
    }

    /** Writes every file up to timeline frame {@code target} (silence where nothing arrived). */
    private void flushTo(long target) {
        for (Track t : tracks) {
            long frame = flushed;
            while (frame < target) {
                int n = (int) Math.min(target - frame, chunk.capacity() / (4 * t.channels));
                chunk.clear();
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < t.channels; c++) {
                        chunk.putFloat(t.take(frame + i, c));
                    }
                }
                append(t, chunk.flip());
                frame += n;
            }
        }
        flushed = Math.max(flushed, target);
    }

    private void writeSilence(Track t, long frames) {
        for (long done = 0; done < frames; ) {
            int n = (int) Math.min(frames - done, chunk.capacity() / (4 * t.channels));
            chunk.clear();
            for (int i = 0; i < n * t.channels; i++) {
                chunk.putFloat(0f);
            }
            append(t, chunk.flip());
            done += n;
        }
    }

    private static void append(Track t, ByteBuffer b) {
        try {
            t.file.append(b);
            t.framesOnDisk = t.file.frames();
        } catch (IOException e) {
            throw new TrackFailure(t.file.path, e);
        }
    }

    private static void sync(Track t) {
        try {
            t.file.sync();
        } catch (IOException e) {
            throw new TrackFailure(t.file.path, e);
        }
    }

    private void syncFolder() {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some file systems cannot sync a folder; the files themselves are synced
        }
    }

    private void fail(Path where, Throwable cause) {
        String reason = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        failure = "recording " + name() + ": " + where + ": " + reason;
        stopping = true;
        failureListener.accept(failure);
    }

    static String sanitize(String name, String empty) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length() && b.length() < 32; i++) {
            char c = name.charAt(i);
            b.append(c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-') ? c : '_');
        }
        String s = b.toString();
        return s.isEmpty() || s.startsWith(".") ? empty + s : s;
    }

    /** A write that failed, with the file it failed on. */
    private static final class TrackFailure extends RuntimeException {
        final Path path;

        TrackFailure(Path path, IOException cause) {
            super(cause.getMessage(), cause, false, false);
            this.path = path;
        }
    }

    /** One file and the second of timeline not yet written to it, as a ring. */
    private static final class Track {
        final int member;
        final String name;
        final int channels;
        final WavFile file;
        private final float[] ring;
        private final int window;
        long offset;
        boolean anchored;
        /** The member's Opus decoder, made at its first Opus packet; writer thread. */
        Opus.Decoder opus;
        volatile long framesOnDisk;

        Track(int member, String name, int channels, WavFile file, int window) {
            this.member = member;
            this.name = name;
            this.channels = channels;
            this.file = file;
            this.window = window;
            this.ring = new float[window * channels];
        }

        void set(long frame, int c, float v) {
            ring[(int) (frame % window) * channels + c] = v;
        }

        void add(long frame, int c, float v) {
            ring[(int) (frame % window) * channels + c] += v;
        }

        /** The sample, leaving silence behind for the frame one window later. */
        float take(long frame, int c) {
            int i = (int) (frame % window) * channels + c;
            float v = ring[i];
            ring[i] = 0f;
            return v;
        }
    }
}
