package jambox.appliance.engine;

import jambox.common.MixLaw;

/**
 * One channel's place in the headphone mix: gain, mute and pan, set from any thread. The law
 * (constant-power pan, dB gain, the glide) is {@link MixLaw}, the one the room server's mix uses
 * too, so a strip sounds the same applied here or on the server.
 */
public final class Strip {
    private volatile double gainDb;
    private volatile boolean mute;
    private volatile double pan;
    /** Set by control threads, read once a period by the audio thread. */
    private volatile float targetLeft;
    private volatile float targetRight;
    // audio thread
    private float left;
    private float right;
    private float sampleRate = 48000f;
    private int blockSize = -1;
    private float share;

    Strip(double gainDb) {
        this.gainDb = gainDb;
        targetLeft = MixLaw.left(gainDb, false, 0);
        targetRight = MixLaw.right(gainDb, false, 0);
        left = targetLeft;
        right = targetRight;
    }

    public double gainDb() {
        return gainDb;
    }

    public boolean mute() {
        return mute;
    }

    /** -1 hard left .. 0 centre .. 1 hard right. */
    public double pan() {
        return pan;
    }

    /** Gain in dB, -120 (silence) to +12. */
    public synchronized void setGainDb(double db) {
        Mixer.check("gain", db, MixLaw.MIN_DB, MixLaw.MAX_DB);
        gainDb = db;
        retarget();
    }

    public synchronized void setMute(boolean m) {
        mute = m;
        retarget();
    }

    public synchronized void setPan(double p) {
        Mixer.check("pan", p, -1, 1);
        pan = p;
        retarget();
    }

    // Control threads only (synchronized among themselves; the audio thread never takes this lock).
    private void retarget() {
        targetLeft = MixLaw.left(gainDb, mute, pan);
        targetRight = MixLaw.right(gainDb, mute, pan);
    }

    /** Sets the rate the gains glide at; between periods. */
    void format(int sampleRate) {
        this.sampleRate = sampleRate;
        blockSize = -1;
    }

    // ---- audio thread ----

    /**
     * The fader's gain (mute included) at the end of the last {@link #mixInto}, pan taken out:
     * the pan is constant-power, so left squared plus right squared is the gain squared.
     */
    float level() {
        float l = left;
        float r = right;
        return (float) Math.sqrt(l * l + r * r);
    }

    /** Adds {@code src[0..n)} into the two outputs, gliding the gains over the period. */
    void mixInto(float[] src, float[] outL, float[] outR, int n) {
        if (n != blockSize) {
            blockSize = n;
            share = MixLaw.blockShare(sampleRate, n);
        }
        float l0 = left;
        float r0 = right;
        float l1 = MixLaw.glide(l0, targetLeft, share);
        float r1 = MixLaw.glide(r0, targetRight, share);
        left = l1;
        right = r1;
        MixLaw.mixInto(src, outL, outR, n, l0, l1, r0, r1);
    }
}
