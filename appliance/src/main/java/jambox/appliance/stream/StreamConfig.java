package jambox.appliance.stream;

import java.util.List;

import jambox.protocol.Codec;
import jambox.protocol.MemberSession;
import jambox.protocol.Opus;

/**
 * Which room to join and how to send: what the box's config file says under "room".
 * {@code opusBitrate} (bits per second, constant) counts only when the codec is Opus;
 * {@code redundancy} (0..2, PCM codecs only) is how many earlier packets each AUDIO packet carries a copy of.
 */
public record StreamConfig(String host, int port, String room, String secret, String name, List<String> labels,
                           Codec codec, int frames, int opusBitrate, int redundancy) {
    public static final int DEFAULT_PORT = 7891;

    /** A room sent to in {@code codec}, at Opus's default bitrate when that is Opus, without redundancy. */
    public StreamConfig(String host, int port, String room, String secret, String name, List<String> labels,
                        Codec codec, int frames) {
        this(host, port, room, secret, name, labels, codec, frames, Opus.DEFAULT_BITRATE, 0);
    }

    public StreamConfig {
        labels = List.copyOf(labels);
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("room host is missing");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("room port " + port + " is outside 1 .. 65535");
        }
        if (room == null || room.isBlank()) {
            throw new IllegalArgumentException("room name is missing");
        }
        if (secret == null || secret.length() < 8) {
            throw new IllegalArgumentException("the room secret needs at least 8 characters");
        }
        if (labels.isEmpty() || labels.size() > 2) {
            throw new IllegalArgumentException("1 or 2 channel labels, got " + labels.size());
        }
        if (codec == null || !codec.isAudio()) {
            throw new IllegalArgumentException("codec " + codec + " cannot carry audio");
        }
        String problem = codec.framesProblem(frames);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        problem = codec == Codec.OPUS ? Opus.bitrateProblem(opusBitrate, labels.size()) : null;
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String tooMuch = MemberSession.redundancyProblem(redundancy, frames * labels.size() * codec.bytesPerSample,
                frames, labels.size(), codec);
        if (tooMuch != null) {
            throw new IllegalArgumentException(tooMuch);
        }
    }
}
