package jambox.appliance.stream;

import java.util.List;

import jambox.protocol.Codec;
import jambox.protocol.MemberSession;

/**
 * Which room to join and how to send: what the box's config file says under "room".
 * {@code redundancy} (0..2) is how many earlier packets each AUDIO packet carries a copy of.
 */
public record StreamConfig(String host, int port, String room, String secret, String name, List<String> labels,
                           Codec codec, int frames, int redundancy) {
    public static final int DEFAULT_PORT = 7891;

    /** Without redundancy. */
    public StreamConfig(String host, int port, String room, String secret, String name, List<String> labels,
                        Codec codec, int frames) {
        this(host, port, room, secret, name, labels, codec, frames, 0);
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
        if (frames < 32 || frames > 256) {
            throw new IllegalArgumentException("frames per packet " + frames + " is outside 32 .. 256");
        }
        String tooMuch = MemberSession.redundancyProblem(redundancy, frames * labels.size() * codec.bytesPerSample,
                frames, labels.size(), codec);
        if (tooMuch != null) {
            throw new IllegalArgumentException(tooMuch);
        }
    }
}
