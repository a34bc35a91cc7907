package jambox.gpio;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import jambox.gpio.HardwareMap.Encoder;
import jambox.surface.SurfaceListener;
import jambox.surface.Target;
import jambox.surface.Target.Kind;

/**
 * A rotary encoder: contact levels to detents to steps for the listener. Pi4J reports each pin's edges
 * on that pin's own thread, so the order of A's and B's events between threads is not guaranteed; on
 * every edge both levels are therefore read as they are now, under one lock, and handed to the hardware
 * thread in that order. The decoder then always sees states the contacts really were in.
 */
final class EncoderControl {

    private final Object sampling = new Object();
    private final QuadratureDecoder decoder;
    private final Acceleration acceleration = new Acceleration();

    EncoderControl(DigitalInput a, DigitalInput b, Encoder encoder, Scheduler scheduler, SurfaceListener listener) {
        decoder = new QuadratureDecoder(encoder.transitionsPerDetent(), high(a), high(b));
        Target turn = encoder.turn();
        boolean accelerated = turn.kind() != Kind.PRESET; // one click, one preset
        Runnable sample = () -> {
            synchronized (sampling) {
                boolean levelA = high(a);
                boolean levelB = high(b);
                scheduler.run(() -> {
                    int detent = decoder.update(levelA, levelB);
                    if (detent != 0) {
                        listener.relative(turn, accelerated ? acceleration.steps(detent, scheduler.now()) : detent);
                    }
                });
            }
        };
        a.addListener(event -> sample.run());
        b.addListener(event -> sample.run());
    }

    private static boolean high(DigitalInput input) {
        return input.state() == DigitalState.HIGH;
    }
}
