package jambox.dsp.ir;

/**
 * Reads an impulse response from the bytes of a WAV file, strictly: what it takes it decodes
 * exactly, and everything else is refused with a {@link BadWavException} whose message says why.
 * Uploads come from anyone's phone, so no field is trusted: every size is checked against the
 * bytes actually there before anything is read or allocated.
 *
 * <p>Taken: RIFF/WAVE, 16/24/32-bit integer PCM or 32-bit float, plain or WAVE_FORMAT_EXTENSIBLE,
 * one or two channels, 8000 .. 384000 Hz, at most {@link ImpulseResponse#MAX_SECONDS}. Chunks
 * other than {@code fmt } and {@code data} (LIST, bext, cue ...) are skipped.
 */
public final class WavReader {
    private static final int PCM = 0x0001;
    private static final int FLOAT = 0x0003;
    private static final int EXTENSIBLE = 0xFFFE;
    /** The KSDATAFORMAT_SUBTYPE GUID after its first two bytes (which are the format tag). */
    private static final byte[] GUID_TAIL = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00,
            (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};

    private WavReader() {
    }

    /** The response in {@code wav}, named {@code name}. Any thread; allocates. */
    public static ImpulseResponse read(String name, byte[] wav) throws BadWavException {
        if (wav.length < 12 || !id(wav, 0).equals("RIFF") || !id(wav, 8).equals("WAVE")) {
            if (wav.length >= 12 && (id(wav, 0).equals("RIFX") || id(wav, 0).equals("RF64")) && id(wav, 8).equals("WAVE")) {
                throw new BadWavException("a " + id(wav, 0) + " WAV is not taken: save it as a plain (RIFF) WAV");
            }
            throw new BadWavException("not a WAV file");
        }
        Format format = null;
        int dataAt = -1;
        long dataSize = 0;
        int at = 12;
        // The RIFF size field is often wrong in files from small tools; the chunks themselves are checked.
        while (wav.length - at >= 8) {
            String id = id(wav, at);
            long size = u32(wav, at + 4);
            int body = at + 8;
            long left = wav.length - body;
            if (id.equals("fmt ")) {
                if (format != null) {
                    throw new BadWavException("two fmt chunks: the file is damaged");
                }
                if (size > left) {
                    throw new BadWavException("truncated fmt chunk");
                }
                format = format(wav, body, (int) size);
            } else if (id.equals("data")) {
                if (dataAt >= 0) {
                    throw new BadWavException("two data chunks: the file is damaged");
                }
                if (size > left) {
                    throw new BadWavException("truncated data chunk: it says " + size + " bytes, " + left + " are there");
                }
                dataAt = body;
                dataSize = size;
            } else if (size > left) {
                throw new BadWavException("truncated '" + printable(id) + "' chunk");
            }
            // A chunk of odd size is followed by a pad byte that its size does not count.
            long next = body + size + (size & 1);
            if (next > wav.length) {
                break; // only the last chunk's pad byte is missing: nothing of the file is lost
            }
            at = (int) next;
        }
        if (format == null) {
            throw new BadWavException("no fmt chunk: the file does not say how its samples are stored");
        }
        if (dataAt < 0) {
            throw new BadWavException("no data chunk: the file has no samples");
        }
        return decode(name, format, wav, dataAt, dataSize);
    }

    private record Format(int channels, int rate, int bytes, boolean floating) {
    }

    private static Format format(byte[] wav, int at, int size) throws BadWavException {
        if (size < 16) {
            throw new BadWavException("the fmt chunk is too short (" + size + " bytes)");
        }
        int tag = u16(wav, at);
        int channels = u16(wav, at + 2);
        long rate = u32(wav, at + 4);
        int blockAlign = u16(wav, at + 12);
        int bits = u16(wav, at + 14);
        if (tag == EXTENSIBLE) {
            if (size < 40 || u16(wav, at + 16) < 22) {
                throw new BadWavException("the fmt chunk is too short for an extensible WAV");
            }
            int valid = u16(wav, at + 18);
            if (valid > bits) {
                throw new BadWavException("the fmt chunk says " + valid + " valid bits in " + bits + "-bit samples");
            }
            for (int i = 0; i < GUID_TAIL.length; i++) {
                if (wav[at + 26 + i] != GUID_TAIL[i]) {
                    throw new BadWavException("an extensible WAV with a sample format the box does not know");
                }
            }
            tag = u16(wav, at + 24);
        }
        boolean floating;
        if (tag == PCM) {
            if (bits != 16 && bits != 24 && bits != 32) {
                throw new BadWavException(bits + "-bit PCM is not taken: 16, 24 or 32-bit PCM, or 32-bit float");
            }
            floating = false;
        } else if (tag == FLOAT) {
            if (bits != 32) {
                throw new BadWavException(bits + "-bit float is not taken: 16, 24 or 32-bit PCM, or 32-bit float");
            }
            floating = true;
        } else {
            throw new BadWavException(String.format("a compressed WAV (format 0x%04X) is not taken: save it as PCM or float", tag));
        }
        if (channels < 1 || channels > 2) {
            throw new BadWavException(channels + " channels: an impulse response has one or two");
        }
        if (rate < 8000 || rate > 384000) {
            throw new BadWavException("a sample rate of " + rate + " Hz is not taken (8000 .. 384000 Hz)");
        }
        if (blockAlign != channels * bits / 8) {
            throw new BadWavException("the fmt chunk is inconsistent: " + blockAlign + " bytes a frame for " + channels
                    + " channels of " + bits + " bits");
        }
        return new Format(channels, (int) rate, bits / 8, floating);
    }

    private static ImpulseResponse decode(String name, Format f, byte[] wav, int at, long size) throws BadWavException {
        int frameBytes = f.channels * f.bytes;
        if (size == 0) {
            throw new BadWavException("no samples");
        }
        if (size % frameBytes != 0) {
            throw new BadWavException("the data chunk ends in the middle of a sample");
        }
        long frames = size / frameBytes;
        if (frames > ImpulseResponse.MAX_SECONDS * f.rate) {
            throw new BadWavException(seconds(frames, f.rate) + " s long (" + frames + " samples at " + f.rate
                    + " Hz): at most " + seconds((long) (ImpulseResponse.MAX_SECONDS * 1000), 1000) + " s");
        }
        int n = (int) frames;
        float[][] channels = new float[f.channels][n];
        boolean sound = false;
        int p = at;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < f.channels; c++) {
                float v = sample(wav, p, f);
                p += f.bytes;
                if (!Float.isFinite(v)) {
                    throw new BadWavException("sample " + (i + 1) + " is not a number (" + v + ")");
                }
                sound |= v != 0;
                channels[c][i] = v;
            }
        }
        if (!sound) {
            // A silent response would silence the instrument: surely not what the player meant.
            throw new BadWavException("every sample is zero: the file is silent");
        }
        try {
            return new ImpulseResponse(name, f.rate, channels);
        } catch (IllegalArgumentException e) {
            throw new BadWavException(e.getMessage());
        }
    }

    private static float sample(byte[] b, int p, Format f) {
        return switch (f.bytes) {
            case 2 -> (short) u16(b, p) / 32768f;
            case 3 -> ((b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | b[p + 2] << 16) / 8388608f;
            default -> {
                int bits = (int) u32(b, p);
                yield f.floating ? Float.intBitsToFloat(bits) : (float) (bits / 2147483648.0);
            }
        };
    }

    /** 1.2, 0.501: as many decimals as it takes, up to three. */
    private static String seconds(long frames, int rate) {
        String s = String.format(java.util.Locale.ROOT, "%.3f", frames / (double) rate);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String id(byte[] b, int p) {
        return new String(b, p, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static String printable(String id) {
        return id.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7F) ? id : "?";
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int p) {
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
    }
}
