package jambox.protocol;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;

/**
 * Codec 4 on the wire: one Opus frame of 2.5 ms (120 samples at 48 kHz) per AUDIO body, coded by
 * Concentus (a pure-Java port of libopus). 2.5 ms is Opus's shortest frame, so it adds the least
 * delay; only CELT codes it, and the low-delay application keeps Opus from ever picking SILK.
 *
 * <p>Concentus allocates on every frame (tens of KB) and has multi-millisecond outliers: an
 * encoder or decoder runs on a network thread, never on the audio thread. Neither is thread-safe;
 * each belongs to one thread at a time.
 */
public final class Opus {
    public static final int SAMPLE_RATE = 48_000;
    /** Frames per packet: the one frame size Opus streams use here. */
    public static final int FRAMES = 120;
    /**
     * Frames of delay Opus adds to a stream at this frame size (the encoder's lookahead; the
     * decoder adds none): 2.5 ms. Measured in OpusTest.
     */
    public static final int DELAY_FRAMES = 120;
    /** Opus's own limit for one frame's bytes (RFC 6716, 3.2.1). */
    public static final int MAX_BODY = 1275;
    public static final int MIN_BITRATE = 64_000;
    public static final int MAX_BITRATE = 256_000;
    /**
     * Below this a stereo stream at 2.5 ms loses its stereo: Opus codes the two channels as one
     * (intensity stereo) and both ears get the same sound. Measured in OpusTest#stereoHoldsFrom.
     */
    public static final int MIN_STEREO_BITRATE = 72_000;
    /**
     * 128 kbit/s per stream: 40 bytes a packet. The datagram's own 80 bytes of headers (IP, UDP,
     * jambox header and tag) cost far more than the audio at 400 packets a second, so going lower
     * saves little on the wire and a 2.5 ms frame needs the bits to sound clean.
     */
    public static final int DEFAULT_BITRATE = 128_000;
    private static final float SHORT_SCALE = 32767f;

    private Opus() {
    }

    /**
     * Why {@code bitrate} (bits per second) cannot code a stream of {@code channels}, in words, or
     * null when it can.
     */
    public static String bitrateProblem(int bitrate, int channels) {
        if (bitrate < MIN_BITRATE || bitrate > MAX_BITRATE) {
            return "Opus bitrate " + bitrate / 1000 + " kbit/s is outside " + MIN_BITRATE / 1000 + " .. "
                    + MAX_BITRATE / 1000;
        }
        if (channels == 2 && bitrate < MIN_STEREO_BITRATE) {
            return "Opus bitrate " + bitrate / 1000 + " kbit/s is too low for stereo at 2.5 ms frames (it would"
                    + " fold the two channels into one): at least " + MIN_STEREO_BITRATE / 1000;
        }
        return null;
    }

    /**
     * Why the {@code length} bytes at {@code off} cannot be one 2.5 ms Opus frame, or null when
     * they can. Checks the length and the table-of-contents byte (RFC 6716, 3.1): a CELT
     * configuration of 2.5 ms and one frame; the rest is for the decoder to find. The byte's
     * stereo bit may differ from the stream's channels: an encoder short of bits codes a stereo
     * stream's frame as mono, and a decoder plays either on its own channels.
     */
    public static String bodyProblem(byte[] b, int off, int length) {
        if (length < 1 || length > MAX_BODY) {
            return "an Opus body holds 1 .. " + MAX_BODY + " bytes, not " + length;
        }
        int toc = b[off] & 0xFF;
        int config = toc >>> 3;
        if (config < 16 || (config & 3) != 0) {
            return "not a 2.5 ms CELT frame (Opus configuration " + config + ")";
        }
        if ((toc & 3) != 0) {
            return "more than one Opus frame in one packet";
        }
        return null;
    }

    /** Codes a stream's 2.5 ms frames at a constant bitrate; one thread at a time. */
    public static final class Encoder {
        private final int channels;
        private final OpusEncoder encoder;
        private final short[] pcm;

        /** Throws IllegalArgumentException when {@link #bitrateProblem} finds one. */
        public Encoder(int channels, int bitrate) {
            this(channels, bitrate, true);
        }

        /** Unchecked: for measuring what the refused bitrates would do. */
        Encoder(int channels, int bitrate, boolean checked) {
            if (channels < 1 || channels > Header.MAX_CHANNELS) {
                throw new IllegalArgumentException("Opus codes 1 or 2 channels here, not " + channels);
            }
            String problem = bitrateProblem(bitrate, channels);
            if (checked && problem != null) {
                throw new IllegalArgumentException(problem);
            }
            this.channels = channels;
            this.pcm = new short[FRAMES * channels];
            try {
                encoder = new OpusEncoder(SAMPLE_RATE, channels, OpusApplication.OPUS_APPLICATION_RESTRICTED_LOWDELAY);
            } catch (OpusException e) {
                throw new IllegalStateException("Concentus refused a " + channels + "-channel encoder", e);
            }
            encoder.setBitrate(bitrate);
            encoder.setUseVBR(false);
            encoder.setSignalType(OpusSignal.OPUS_SIGNAL_MUSIC);
            encoder.setComplexity(10);
        }

        /** Samples of delay the codec adds (its lookahead); the decoder adds none. */
        public int delayFrames() {
            return encoder.getLookahead();
        }

        /**
         * Codes {@code audio[channel][0..120)} (floats, clipped to -1..1) into {@code out} at
         * {@code off}; returns the bytes written (at most {@link #MAX_BODY}).
         */
        public int encode(float[][] audio, byte[] out, int off) {
            for (int c = 0; c < channels; c++) {
                float[] ch = audio[c];
                for (int i = 0; i < FRAMES; i++) {
                    float x = ch[i];
                    x = x != x ? 0f : Math.max(-1f, Math.min(1f, x));
                    pcm[i * channels + c] = (short) Math.round(x * SHORT_SCALE);
                }
            }
            try {
                return encoder.encode(pcm, 0, FRAMES, out, off, Math.min(MAX_BODY, out.length - off));
            } catch (OpusException e) {
                throw new IllegalStateException("Opus could not code a frame: " + e.getMessage(), e);
            }
        }
    }

    /** Decodes one stream's frames, in the order they arrive; one thread at a time. */
    public static final class Decoder {
        private final int channels;
        private final OpusDecoder decoder;
        private final short[] pcm;

        public Decoder(int channels) {
            if (channels < 1 || channels > Header.MAX_CHANNELS) {
                throw new IllegalArgumentException("Opus codes 1 or 2 channels here, not " + channels);
            }
            this.channels = channels;
            this.pcm = new short[FRAMES * channels];
            try {
                decoder = new OpusDecoder(SAMPLE_RATE, channels);
            } catch (OpusException e) {
                throw new IllegalStateException("Concentus refused a " + channels + "-channel decoder", e);
            }
        }

        /**
         * Opus's own concealment of one missing frame into {@code out[channel][0..120)}: it moves
         * the decoder past the gap, so that the frame after it joins on smoothly.
         */
        public void conceal(float[][] out) {
            int got;
            try {
                got = decoder.decode(null, 0, 0, pcm, 0, FRAMES, false);
            } catch (OpusException | RuntimeException e) {
                decoder.resetState();
                got = 0;
            }
            for (int c = 0; c < channels; c++) {
                float[] ch = out[c];
                for (int i = 0; i < FRAMES; i++) {
                    ch[i] = i < got ? pcm[i * channels + c] / SHORT_SCALE : 0f;
                }
            }
        }

        /** Forgets the stream decoded so far: the next frame starts a new one. */
        public void reset() {
            decoder.resetState();
        }

        /**
         * Decodes the {@code length} bytes at {@code off} into {@code out[channel][0..120)}. Throws
         * {@link MalformedPacketException} when they are not one 2.5 ms frame, and then {@code out}
         * may hold anything.
         */
        public void decode(byte[] b, int off, int length, float[][] out) {
            String problem = bodyProblem(b, off, length);
            if (problem != null) {
                throw new MalformedPacketException(problem);
            }
            int got;
            try {
                got = decoder.decode(b, off, length, pcm, 0, FRAMES, false);
            } catch (OpusException | RuntimeException e) {
                decoder.resetState();
                throw new MalformedPacketException("Opus could not decode the frame: " + e.getMessage());
            }
            if (got != FRAMES) {
                throw new MalformedPacketException("the Opus frame held " + got + " samples, not " + FRAMES);
            }
            for (int c = 0; c < channels; c++) {
                float[] ch = out[c];
                for (int i = 0; i < FRAMES; i++) {
                    ch[i] = pcm[i * channels + c] / SHORT_SCALE;
                }
            }
        }
    }
}
