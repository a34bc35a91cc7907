package jambox.appliance.control;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

import jambox.appliance.app.Appliance;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.hardware.HardwareService;
import jambox.appliance.hardware.MidiClock;
import jambox.appliance.hardware.MidiService;
import jambox.appliance.ir.IrLibrary;
import jambox.appliance.preset.LastState;
import jambox.appliance.preset.LimiterSetting;
import jambox.appliance.preset.PresetException;
import jambox.appliance.preset.PresetStore;
import jambox.appliance.stream.StreamConfig;
import jambox.protocol.Codec;

/** The box's control side as the service and the demo start it: the command service and its page. */
public final class ControlPlane implements AutoCloseable {
    /**
     * Joining from the page asks only where and who; how to send comes from the config's room, or
     * this, with packets of the config's audio.frames.
     */
    private static StreamConfig template(int frames) {
        return new StreamConfig("localhost", StreamConfig.DEFAULT_PORT, "jam", "template only", "jambox",
                List.of("guitar", "voice"), Codec.PCM16, frames);
    }

    private final ControlService service;
    private final ControlServer server;
    private final LastState last;
    private final HardwareService hardware;
    /** The box's MIDI input as heard by the MIDI map: a listener on the backend's MIDI ports. */
    private final jambox.common.midi.MidiListener midiIn;
    private final Appliance box;
    private final MidiClock clock;

    private ControlPlane(Appliance box, ControlService service, ControlServer server, LastState last,
                         HardwareService hardware, jambox.common.midi.MidiListener midiIn, MidiClock clock) {
        this.box = box;
        this.clock = clock;
        this.service = service;
        this.server = server;
        this.last = last;
        this.hardware = hardware;
        this.midiIn = midiIn;
    }

    /** Starts the control side for {@code box} as its config says; no page when the config's port is 0. */
    public static ControlPlane start(Appliance box, ApplianceConfig config) throws IOException {
        ApplianceConfig.Control c = config.control();
        return start(box, config.room() != null ? config.room() : template(config.audio().frames()), c.data(),
                c.port() == 0 ? null : new ControlServer.Settings(c.bind(), c.port(), c.pin(), c.hosts(),
                        ControlServer.Limits.DEFAULT));
    }

    /**
     * Starts the control side for {@code box}, keeping its files under {@code data} (presets in
     * {@code presets/}, the autosaved board, recordings, impulse responses in {@code irs/}), serving the page as {@code page} says
     * (null: no page; port 0: any free port). The board autosaved last time, if any, replaces the
     * one the box started with, and the safety limiter is as it was last set: the box comes back
     * as the player left it.
     */
    public static ControlPlane start(Appliance box, StreamConfig roomTemplate, Path data, ControlServer.Settings page)
            throws IOException {
        PresetStore presets;
        try {
            presets = PresetStore.open(data.resolve("presets"));
        } catch (PresetException e) {
            throw new IOException(e.getMessage(), e);
        }
        // Before the board comes back: an ir pedal on it finds its slot filled from the start.
        IrLibrary irs = IrLibrary.open(data.resolve("irs"), box.engine().irs());
        LastState last = new LastState(data);
        last.restore().ifPresent(board -> box.engine().loadBoard(board));
        LimiterSetting limiter = new LimiterSetting(data);
        box.engine().limiter().setOn(limiter.restore());
        ControlService service = new ControlService(box, new ControlService.Options(roomTemplate,
                data.resolve("recordings"), presets, last, irs));
        service.onChange(state -> limiter.keep(state.path("limiter").path("on").asBoolean(true)));
        HardwareService hardware = HardwareService.start(box, service, data);
        // MIDI controllers: every message on the box's MIDI input goes through the map (on the
        // backend's MIDI thread, never the audio thread), and what it binds through the control thread.
        MidiService midi = MidiService.start(service, data);
        jambox.common.midi.MidiListener midiIn = (frame, bytes, length) -> midi.receive(bytes, 0, length);
        box.backend().midi().addListener(midiIn);
        // The room's clock on MIDI out, and an incoming clock when the player follows one.
        MidiClock clock = MidiClock.start(service, box.engine().click(), box.backend().midi(), box.backend()::sampleRate,
                data);
        if (page == null) {
            return new ControlPlane(box, service, null, last, hardware, midiIn, clock);
        }
        try {
            return new ControlPlane(box, service, ControlServer.start(service, page), last, hardware, midiIn, clock);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clock.close();
            box.backend().midi().removeListener(midiIn);
            hardware.close();
            service.close();
            last.close();
            throw new IOException("interrupted while starting the control page", e);
        } catch (Exception e) {
            clock.close();
            box.backend().midi().removeListener(midiIn);
            hardware.close();
            service.close();
            last.close();
            throw new IOException("cannot serve the control page on " + page.bindAddress() + ":" + page.port() + ": "
                    + e.getMessage(), e);
        }
    }

    public ControlService service() {
        return service;
    }

    /** Where a browser on this machine finds the page, or null when there is none. */
    public String url() {
        if (server == null) {
            return null;
        }
        InetSocketAddress a = server.address();
        String host = a.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress().getHostAddress()
                : a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
    }

    /** The room's clock on MIDI. */
    public MidiClock midiClock() {
        return clock;
    }

    @Override
    public void close() {
        clock.close();
        box.backend().midi().removeListener(midiIn);
        hardware.close();
        if (server != null) {
            server.close();
        }
        service.close();
        try {
            last.close(); // the last change is on disk before the box goes
        } catch (IOException e) {
            System.getLogger(ControlPlane.class.getName()).log(System.Logger.Level.WARNING,
                    "could not save the board at exit: " + e.getMessage());
        }
    }
}
