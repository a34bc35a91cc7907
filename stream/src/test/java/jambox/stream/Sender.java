package jambox.stream;

import jambox.protocol.Codec;
import jambox.protocol.Header;
import jambox.protocol.PacketType;
import jambox.protocol.Pcm;

/**
 * A remote member as the tests need one: makes its n-th AUDIO packet of a signal on demand, with
 * the sequence number, sender time and sample position a real sender would give it.
 */
final class Sender {
    /** A sound as a function of the sender's frame index. */
    interface Signal {
        float at(long frame, int channel);
    }

    static final int BODY = Header.SIZE;

    final Header header = new Header();
    final byte[] packet = new byte[Header.MAX_PACKET];
    private final float[][] scratch = new float[2][Header.MAX_FRAMES];
    private final Codec codec;
    private final int channels;
    private final int frames;
    private final int firstSequence;
    private final long firstPosition;
    private final Signal signal;

    Sender(Codec codec, int channels, int frames, int firstSequence, long firstPosition, Signal signal) {
        this.codec = codec;
        this.channels = channels;
        this.frames = frames;
        this.firstSequence = firstSequence;
        this.firstPosition = firstPosition;
        this.signal = signal;
    }

    /** A 0.5-amplitude sine of {@code hz}. */
    static Signal sine(double hz) {
        return (frame, channel) -> (float) (0.5 * Math.sin(2 * Math.PI * hz * frame / JitterBuffer.SAMPLE_RATE));
    }

    /** Fills {@link #header} and {@link #packet} with packet {@code n} of the stream. */
    Sender make(long n) {
        long first = n * frames;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < frames; i++) {
                scratch[c][i] = signal.at(first + i, c);
            }
        }
        header.clear(PacketType.AUDIO).audio(codec, channels, frames);
        header.member = 2;
        header.sequence = firstSequence + (int) n;
        header.samplePosition = firstPosition + first;
        header.senderTime = first * 1_000_000 / JitterBuffer.SAMPLE_RATE;
        Pcm.encode(codec, scratch, channels, frames, packet, BODY);
        return this;
    }

    /** Offers the packet made last. */
    Arrival offerTo(JitterBuffer buffer, long arrivalNanos) {
        return buffer.offer(header, packet, BODY, arrivalNanos);
    }

    /** The signal itself, for comparing the output with. */
    float sample(long frame, int channel) {
        return signal.at(frame, channel);
    }

    int frames() {
        return frames;
    }
}
