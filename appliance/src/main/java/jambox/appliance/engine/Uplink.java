package jambox.appliance.engine;

/** Where the engine hands this box's post-pedal audio, each period, to be packetized and sent. */
public interface Uplink {
    /** Audio thread: copies what it needs of {@code audio[0..1][0..frames)} and returns at once. */
    void send(float[][] audio, int frames);

    Uplink NONE = (audio, frames) -> { };
}
