package jambox.gpio;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import jambox.gpio.HardwareMap.Presses;
import jambox.surface.SurfaceListener;

/** A footswitch or an encoder's push: pin edges, debounced, to gestures, to the listener. */
final class SwitchControl {

    private final Debouncer debouncer;
    private final Gestures gestures;

    SwitchControl(DigitalInput input, Presses presses, Scheduler scheduler, SurfaceListener listener) {
        gestures = new Gestures(presses, scheduler, listener::pressed);
        debouncer = new Debouncer(scheduler, closed(input.state()), closed -> {
            if (closed) {
                gestures.press();
            } else {
                gestures.release();
            }
        });
        input.addListener(event -> {
            boolean closed = closed(event.state());
            scheduler.run(() -> debouncer.edge(closed));
        });
    }

    /** Contacts pull the pin to GND against its pull-up: low is closed. */
    static boolean closed(DigitalState state) {
        return state == DigitalState.LOW;
    }

    void close() {
        debouncer.close();
        gestures.close();
    }
}
