package jambox.appliance.control;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ObjectNode;

import jambox.appliance.app.Appliance;
import jambox.appliance.app.Version;
import jambox.appliance.audio.AudioBackend;
import jambox.appliance.audio.AudioInterface;
import jambox.appliance.audio.JackBackend;
import jambox.common.midi.MidiCounters;

/**
 * The box's health for the system panel: its version, audio settings and xruns, the sound card and
 * what is wrong with it, CPU, temperature, network.
 */
final class SystemInfo {
    private static final Path THERMAL = Path.of("/sys/class/thermal/thermal_zone0/temp");

    private SystemInfo() {
    }

    /**
     * @param card        the sound card JACK runs on, null when JACK was not started by jambox-jack
     * @param configError the config's mistake when the box runs on its built-in settings, else null
     */
    static ObjectNode of(Appliance box, AudioInterface card, String configError) {
        AudioBackend b = box.backend();
        ObjectNode o = ControlService.JSON.createObjectNode();
        // The running box's own: after an upgrade it may not be the version now installed.
        o.put("version", Version.current());
        o.putObject("audio").put("backend", b.describe()).put("running", b.running()).put("sampleRate", b.sampleRate())
                .put("periodFrames", b.periodFrames()).put("xruns", b.xruns());
        if (card == null) {
            o.putNull("audioInterface");
        } else {
            o.putObject("audioInterface").put("driver", card.driver()).put("card", card.card()).put("name", card.name())
                    .put("kind", card.kind()).put("reason", card.reason()).put("problem", card.problem());
        }
        o.put("configError", configError);
        var os = ManagementFactory.getOperatingSystemMXBean();
        o.put("cpus", os.getAvailableProcessors()).put("loadAverage", os.getSystemLoadAverage());
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            o.put("processCpuPercent", Math.round(sun.getProcessCpuLoad() * 1000) / 10.0);
        }
        Double celsius = temperature();
        if (celsius == null) {
            o.putNull("temperatureC");
        } else {
            o.put("temperatureC", celsius);
        }
        o.set("network", StateJson.memberStats(box));
        o.set("midi", midi(b));
        return o;
    }

    /**
     * The box's MIDI ports: what they have carried since the box started, and on JACK the hardware
     * sources wired to {@code midi_in} ({@code sources}) and sinks wired from {@code midi_out}
     * ({@code sinks}); both absent on a backend with no hardware MIDI.
     */
    private static ObjectNode midi(AudioBackend b) {
        MidiCounters c = b.midi().counters();
        ObjectNode m = ControlService.JSON.createObjectNode();
        m.put("received", c.received()).put("sent", c.sent()).put("late", c.late()).put("droppedIn", c.droppedIn())
                .put("droppedOut", c.droppedOut()).put("listenerFaults", c.listenerFaults());
        if (b instanceof JackBackend jack) {
            var sources = m.putArray("sources");
            jack.midiSources().forEach(sources::add);
            var sinks = m.putArray("sinks");
            jack.midiSinks().forEach(sinks::add);
        }
        return m;
    }

    /** The SoC's temperature where the kernel reports one (a Pi does; a laptop VM may not). */
    private static Double temperature() {
        try {
            return Integer.parseInt(Files.readString(THERMAL).trim()) / 1000.0;
        } catch (IOException | NumberFormatException | SecurityException e) {
            return null;
        }
    }
}
