package jambox.appliance.render;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

import jambox.common.AtomicFiles;

/**
 * WAV files in and out, through the JDK's own {@code javax.sound.sampled} reader and writer.
 * Samples are floats in -1..1 per channel; the sample formats a DAW exports are understood:
 * 8-bit unsigned, 16/24/32-bit signed integer and 32-bit float, mono or stereo.
 *
 * <p>Before the JDK decodes a file, {@link #read} walks its RIFF chunks itself and checks what the
 * header promises against the file's real length: the JDK's reader plays a cut-short file (a copy
 * that stopped, a recorder that lost power) as far as it goes, and takes a size it cannot trust
 * (0xFFFFFFE0 bytes) as "read to the end", both without a word. Such a file is refused with what
 * it promises and what it holds: a render that silently lost half its input is worse than none.
 */
public final class Wav {
    /**
     * The most samples (frames x channels) read: 10 minutes of 48 kHz mono, 5 of stereo. Decoded to
     * floats that is 110 MiB, and a render holds its output as well: more would not fit a Pi's heap.
     */
    public static final long MAX_SAMPLES = 48_000L * 60 * 10;

    private Wav() {
    }

    /** Decoded audio and the format it came in, so it can be written back the same way. */
    public record Audio(AudioFormat format, float[][] channels) {
        public float sampleRate() {
            return format.getSampleRate();
        }

        public int frames() {
            return channels[0].length;
        }
    }

    /** A WAV problem, phrased for the person who gave us the file. */
    public static final class BadWavException extends Exception {
        public BadWavException(String message) {
            super(message);
        }
    }

    public static Audio read(Path file) throws BadWavException {
        if (Files.isDirectory(file)) {
            throw new BadWavException(file + ": is a directory, not a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new BadWavException(file + ": no such file");
        }
        checkChunks(file);
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            AudioFormat f = in.getFormat();
            checkFormat(file, f);
            byte[] bytes = in.readAllBytes();
            int frameSize = f.getFrameSize();
            int frames = bytes.length / frameSize;
            if (frames == 0) {
                throw new BadWavException(file + ": holds no audio");
            }
            float[][] out = new float[f.getChannels()][frames];
            int bytesPerSample = f.getSampleSizeInBits() / 8;
            for (int i = 0; i < frames; i++) {
                for (int c = 0; c < out.length; c++) {
                    out[c][i] = decode(bytes, i * frameSize + c * bytesPerSample, f);
                }
            }
            return new Audio(f, out);
        } catch (NoSuchFileException e) {
            throw new BadWavException(file + ": no such file");
        } catch (UnsupportedAudioFileException e) {
            throw new BadWavException(file + ": not a WAV file that can be read (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new BadWavException(file + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * Writes in the given format, atomically ({@link AtomicFiles}). Integer
     * formats clip at full scale; the number of clipped samples is returned.
     */
    public static int write(Path file, AudioFormat format, float[][] channels) throws IOException {
        int bytesPerSample = format.getSampleSizeInBits() / 8;
        int frames = channels[0].length;
        int frameSize = bytesPerSample * channels.length;
        byte[] bytes = new byte[frames * frameSize];
        int clipped = 0;
        for (int i = 0; i < frames; i++) {
            for (int c = 0; c < channels.length; c++) {
                if (encode(channels[c][i], bytes, i * frameSize + c * bytesPerSample, format)) {
                    clipped++;
                }
            }
        }
        AudioFormat out = new AudioFormat(format.getEncoding(), format.getSampleRate(), format.getSampleSizeInBits(),
                channels.length, frameSize, format.getSampleRate(), false);
        AtomicFiles.write(file, tmp -> {
            try (AudioInputStream ais = new AudioInputStream(new ByteArrayInputStream(bytes), out, frames)) {
                AudioSystem.write(ais, AudioFileFormat.Type.WAVE, tmp.toFile());
            }
        });
        return clipped;
    }

    /**
     * Walks the RIFF chunks (reading only their 8-byte headers and the format) and refuses a file
     * whose header, a chunk or the audio runs past its real end, or that holds more than
     * {@link #MAX_SAMPLES}.
     */
    private static void checkChunks(Path file) throws BadWavException {
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            long length = ch.size();
            ByteBuffer head = header(ch, 0, 12);
            if (head == null || head.getInt(0) != tag("RIFF") || head.getInt(8) != tag("WAVE")) {
                throw new BadWavException(file + ": not a WAV file (it does not start with RIFF....WAVE)");
            }
            long riffEnd = 8 + Integer.toUnsignedLong(head.getInt(4));
            int channels = 0, blockAlign = 0, rate = 0;
            for (long at = 12; at + 8 <= Math.min(length, riffEnd); ) {
                ByteBuffer chunk = header(ch, at, 8);
                long size = Integer.toUnsignedLong(chunk.getInt(4));
                String id = new String(new byte[] {chunk.get(0), chunk.get(1), chunk.get(2), chunk.get(3)},
                        StandardCharsets.ISO_8859_1);
                long end = at + 8 + size;
                if (id.equals("fmt ") && size >= 16 && end <= length) {
                    ByteBuffer fmt = header(ch, at + 8, 16);
                    channels = Short.toUnsignedInt(fmt.getShort(2));
                    rate = fmt.getInt(4);
                    blockAlign = Short.toUnsignedInt(fmt.getShort(12));
                }
                if (id.equals("data")) {
                    long held = length - at - 8;
                    if (end > length) {
                        throw new BadWavException(file + ": its header promises " + size + " bytes of audio"
                                + seconds(size, blockAlign, rate) + " but the file holds " + held
                                + seconds(held, blockAlign, rate) + ": it was cut short, or its header is wrong");
                    }
                    if (blockAlign > 0 && channels > 0 && rate > 0 && size / blockAlign * channels > MAX_SAMPLES) {
                        throw new BadWavException(file + String.format(Locale.ROOT, ": holds %.0f s of audio; jambox reads"
                                + " at most %d s of %s at %d Hz", (double) size / blockAlign / rate, MAX_SAMPLES / channels / rate,
                                channels == 1 ? "mono" : channels + " channels", rate));
                    }
                    if (riffEnd > length) {
                        throw new BadWavException(file + ": its header says the file is " + riffEnd
                                + " bytes long, but it is " + length + ": it was cut short, or its header is wrong");
                    }
                    return;
                }
                if (end > length) {
                    throw new BadWavException(file + ": its '" + id.strip() + "' chunk at byte " + at
                            + " runs past the end of the file: it was cut short, or its header is wrong");
                }
                at = end + (size & 1); // chunks are padded to an even length
            }
            throw new BadWavException(file + ": holds no audio (no data chunk" + (riffEnd > length ? "; the file is cut short" : "")
                    + ")");
        } catch (IOException e) {
            throw new BadWavException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** {@code n} little-endian bytes at {@code at}, or null if the file ends first. */
    private static ByteBuffer header(SeekableByteChannel ch, long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        ch.position(at);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                return null;
            }
        }
        return b;
    }

    private static int tag(String fourCc) {
        return ByteBuffer.wrap(fourCc.getBytes(StandardCharsets.ISO_8859_1)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** " (10.50 s)" for a byte count in this format, or "" when the format is not known yet. */
    private static String seconds(long bytes, int blockAlign, int rate) {
        return blockAlign > 0 && rate > 0 ? String.format(Locale.ROOT, " (%.2f s)", (double) bytes / blockAlign / rate) : "";
    }

    private static void checkFormat(Path file, AudioFormat f) throws BadWavException {
        int bits = f.getSampleSizeInBits();
        boolean ok = (f.getEncoding() == AudioFormat.Encoding.PCM_SIGNED && (bits == 16 || bits == 24 || bits == 32))
                || (f.getEncoding() == AudioFormat.Encoding.PCM_UNSIGNED && bits == 8)
                || (f.getEncoding() == AudioFormat.Encoding.PCM_FLOAT && bits == 32);
        if (!ok || f.isBigEndian() && bits > 8) {
            throw new BadWavException(file + ": " + f + " is not supported; use 16, 24 or 32-bit PCM or 32-bit float");
        }
        if (f.getChannels() < 1 || f.getChannels() > 2) {
            throw new BadWavException(file + ": has " + f.getChannels() + " channels; jambox takes mono or stereo");
        }
        if (f.getSampleRate() < 8000 || f.getSampleRate() > 192000) {
            throw new BadWavException(file + ": sample rate " + f.getSampleRate() + " Hz is outside 8000 .. 192000");
        }
    }

    private static float decode(byte[] b, int at, AudioFormat f) {
        return switch (f.getSampleSizeInBits()) {
            case 8 -> ((b[at] & 0xff) - 128) / 128f;
            case 16 -> (short) ((b[at] & 0xff) | (b[at + 1] << 8)) / 32768f;
            case 24 -> ((b[at] & 0xff) | ((b[at + 1] & 0xff) << 8) | (b[at + 2] << 16)) / 8388608f;
            default -> {
                int bits = (b[at] & 0xff) | ((b[at + 1] & 0xff) << 8) | ((b[at + 2] & 0xff) << 16) | (b[at + 3] << 24);
                yield f.getEncoding() == AudioFormat.Encoding.PCM_FLOAT ? Float.intBitsToFloat(bits) : bits / 2147483648f;
            }
        };
    }

    /** Writes one sample; true if it had to be clipped. */
    private static boolean encode(float x, byte[] b, int at, AudioFormat f) {
        int bits = f.getSampleSizeInBits();
        if (f.getEncoding() == AudioFormat.Encoding.PCM_FLOAT) {
            putLittle(b, at, Float.floatToRawIntBits(x), 4);
            return false;
        }
        boolean clip = x > 1f || x < -1f;
        double v = Math.max(-1.0, Math.min(1.0, x));
        switch (bits) {
            case 8 -> b[at] = (byte) (Math.min(255, Math.round(v * 128) + 128));
            case 16 -> putLittle(b, at, (int) Math.max(-32768, Math.min(32767, Math.round(v * 32768))), 2);
            case 24 -> putLittle(b, at, (int) Math.max(-8388608, Math.min(8388607, Math.round(v * 8388608))), 3);
            default -> putLittle(b, at, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.round(v * 2147483648.0))), 4);
        }
        return clip;
    }

    private static void putLittle(byte[] b, int at, int v, int n) {
        for (int i = 0; i < n; i++) {
            b[at + i] = (byte) (v >> (8 * i));
        }
    }
}
