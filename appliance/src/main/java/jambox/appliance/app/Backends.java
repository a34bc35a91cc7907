package jambox.appliance.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

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

    /**
     * How long the box's service waits at start for a JACK server that is not running yet.
     * jambox-jack.service starts jackd beside the box, after its card probe (a JVM of its own), so
     * at boot the box's first try came before jackd and the box exited, to be started again by
     * systemd two seconds later: a whole second JVM start at every boot. A Pi's jackd is up within
     * seconds; the emulated image test's within a minute.
     */
    public static final Duration SERVICE_JACK_WAIT = Duration.ofSeconds(120);
    private static final long JACK_RETRY_MILLIS = 250;

    public static Appliance.BackendStarter starter(ApplianceConfig.Audio audio, PrintStream log) {
        return starter(audio, log, () -> { }, Duration.ZERO);
    }

    /**
     * {@code onJackWedged}: what to do if opening the JACK client (first or again) hangs inside
     * libjack; {@code waitForJack}: with the backend "jack", how long to keep trying while no JACK
     * server is running (any other failure is final at once).
     */
    public static Appliance.BackendStarter starter(ApplianceConfig.Audio audio, PrintStream log, Runnable onJackWedged,
            Duration waitForJack) {
        return engine -> {
            if (!audio.backend().equals("simulated")) {
                JackConfig config = new JackConfig(audio.jackClient(), audio.jackServer(), audio.capture(), audio.playback());
                boolean required = audio.backend().equals("jack");
                long deadline = System.nanoTime() + (required ? waitForJack.toNanos() : 0);
                for (boolean said = false; ; ) {
                    JackBackend jack = new JackBackend(config, onJackWedged);
                    try {
                        jack.start(engine);
                        return jack;
                    } catch (AudioException e) {
                        if (required && e.noServer() && System.nanoTime() < deadline) {
                            if (!said) {
                                said = true;
                                log.println("jambox: " + e.getMessage() + " yet: waiting up to "
                                        + waitForJack.toSeconds() + " s for it");
                            }
                            sleep(JACK_RETRY_MILLIS);
                            continue;
                        }
                        if (required) {
                            throw e;
                        }
                        log.println("jambox: " + e.getMessage() + ": playing on simulated audio instead");
                        break;
                    }
                }
            }
            AudioBackend sim = simulated(audio);
            sim.start(engine);
            return sim;
        };
    }

    private static void sleep(long millis) throws AudioException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AudioException("interrupted while waiting for the JACK server", e);
        }
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
