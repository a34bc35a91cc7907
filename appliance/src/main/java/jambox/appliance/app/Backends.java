package jambox.appliance.app;

import java.io.PrintStream;
import java.nio.file.Path;

import jambox.appliance.audio.AudioBackend;
import jambox.appliance.audio.AudioException;
import jambox.appliance.audio.JackBackend;
import jambox.appliance.audio.JackConfig;
import jambox.appliance.audio.LoopedInput;
import jambox.appliance.audio.SimulatedBackend;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.render.Wav;
import jambox.appliance.sim.Riff;

/** Picks and starts the audio backend a config asks for: JACK, simulated, or JACK when there is one. */
public final class Backends {
    private Backends() {
    }

    public static Appliance.BackendStarter starter(ApplianceConfig.Audio audio, PrintStream log) {
        return starter(audio, log, () -> { });
    }

    /** {@code onJackWedged}: what to do if opening the JACK client (first or again) hangs inside libjack. */
    public static Appliance.BackendStarter starter(ApplianceConfig.Audio audio, PrintStream log, Runnable onJackWedged) {
        return engine -> {
            if (!audio.backend().equals("simulated")) {
                JackBackend jack = new JackBackend(new JackConfig(audio.jackClient(), audio.jackServer(),
                        audio.capture(), audio.playback()), onJackWedged);
                try {
                    jack.start(engine);
                    return jack;
                } catch (AudioException e) {
                    if (audio.backend().equals("jack")) {
                        throw e;
                    }
                    log.println("jambox: " + e.getMessage() + ": playing on simulated audio instead");
                }
            }
            AudioBackend sim = simulated(audio);
            sim.start(engine);
            return sim;
        };
    }

    /** A paced clock at the config's rate, its inputs a riff on the first channel or a WAV file. */
    static SimulatedBackend simulated(ApplianceConfig.Audio audio) throws AudioException {
        LoopedInput input;
        if (audio.input().equals("riff")) {
            input = LoopedInput.firstInput(Riff.render(audio.sampleRate(), 8, 100));
        } else {
            try {
                Wav.Audio wav = Wav.read(Path.of(audio.input()));
                if (Math.round(wav.sampleRate()) != audio.sampleRate()) {
                    throw new AudioException(audio.input() + ": " + Math.round(wav.sampleRate())
                            + " Hz, but the box runs at " + audio.sampleRate() + " Hz");
                }
                input = new LoopedInput(wav.channels());
            } catch (Wav.BadWavException e) {
                throw new AudioException(e.getMessage(), e);
            }
        }
        return new SimulatedBackend(audio.sampleRate(), audio.frames(), true, Long.MAX_VALUE, input, null);
    }
}
