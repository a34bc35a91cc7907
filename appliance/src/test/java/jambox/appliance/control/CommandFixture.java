package jambox.appliance.control;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jambox.appliance.app.Appliance;
import jambox.appliance.app.DefaultBoard;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;

/** A box on simulated audio and its commands as the page sends them: what the command tests share. */
final class CommandFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    static final StreamConfig TEMPLATE = new StreamConfig("localhost", 7891, "jam", "template secret", "me",
            List.of("guitar", "voice"), Codec.PCM16, 64);

    private CommandFixture() {
    }

    /** The default board on simulated audio, running until closed. */
    static Appliance box() throws Exception {
        return Appliance.start(ApplianceConfig.DEFAULT, DefaultBoard.load(),
                new SimulatedBackend(48_000, 64, true, Long.MAX_VALUE, null, null));
    }

    /** {@code json} through the plane's command service: its reply, or the refusal thrown. */
    static JsonNode command(ControlPlane plane, String json) throws Exception {
        return plane.service().handle(JSON.readTree(json));
    }
}
