package jambox.appliance.render;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

import jambox.appliance.store.AtomicFiles;

/**
 * WAV files in and out, through the JDK's own {@code javax.sound.sampled} reader and writer.
 * Samples are floats in -1..1 per channel; the sample formats a DAW exports are understood:
 * 8-bit unsigned, 16/24/32-bit signed integer and 32-bit float, mono or stereo.
 */
public final class Wav {
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
        if (!Files.isRegularFile(file)) {
            throw new BadWavException(file + ": no such file");
        }
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
