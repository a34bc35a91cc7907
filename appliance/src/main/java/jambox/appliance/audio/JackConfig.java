package jambox.appliance.audio;

import java.util.List;
import java.util.Objects;

/**
 * How {@link JackBackend} joins a JACK graph.
 *
 * @param clientName  the client's name in the graph (JACK may append a suffix if it is taken)
 * @param serverName  the {@code jackd -n} name, or null for JACK's default server
 * @param captureFrom per input channel, the port that feeds it; fewer entries leave channels unconnected
 * @param playbackTo  per output channel, the port it feeds; fewer entries leave channels unconnected
 */
public record JackConfig(String clientName, String serverName, List<String> captureFrom, List<String> playbackTo) {
    public static final String DEFAULT_CLIENT = "jambox";

    public JackConfig {
        Objects.requireNonNull(clientName, "clientName");
        if (clientName.isBlank()) {
            throw new IllegalArgumentException("the JACK client name is empty");
        }
        captureFrom = List.copyOf(captureFrom);
        playbackTo = List.copyOf(playbackTo);
    }

    /** The box's wiring: client "jambox" on the default server, to the sound card's first two ports. */
    public static JackConfig defaults() {
        return new JackConfig(DEFAULT_CLIENT, null,
                List.of("system:capture_1", "system:capture_2"),
                List.of("system:playback_1", "system:playback_2"));
    }

    public JackConfig withServer(String name) {
        return new JackConfig(clientName, name, captureFrom, playbackTo);
    }

    /** The server's name for messages: the configured one, or what JACK itself would pick. */
    String serverLabel() {
        return serverName != null ? serverName : JackServerSelector.defaultServerName();
    }
}
