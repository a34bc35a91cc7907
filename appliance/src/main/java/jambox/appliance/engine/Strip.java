package jambox.appliance.engine;

import jambox.dsp.Smoothed;

/**
 * One channel's place in the headphone mix: gain, mute and pan, set from any thread. Pan is
 * constant-power (-3 dB per side at the centre), so moving a player across does not make them
 * louder or softer.
 */
public final class Strip {
    private final Smoothed left;
    private final Smoothed right;
    private volatile double gainDb;
    private volatile boolean mute;
    private volatile double pan;

    Strip(double gainDb) {
        this.gainDb = gainDb;
        float[] lr = targets(gainDb, false, 0);
        left = Gain.smoothed(lr[0]);
        right = Gain.smoothed(lr[1]);
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
        Mixer.check("gain", db, -120, 12);
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
        float[] lr = targets(gainDb, mute, pan);
        left.setTarget(lr[0]);
        right.setTarget(lr[1]);
    }

    private static float[] targets(double db, boolean mute, double pan) {
        float g = mute ? 0f : Gain.fromDb(db);
        double theta = (pan + 1) * Math.PI / 4;
        return new float[] {(float) (g * Math.cos(theta)), (float) (g * Math.sin(theta))};
    }

    /** Sets the rate the gains glide at; between periods. */
    void format(int sampleRate) {
        left.prepare(sampleRate);
        right.prepare(sampleRate);
    }

    // ---- audio thread ----

    /**
     * The fader's gain (mute included) at the end of the last {@link #mixInto}, pan taken out:
     * the pan is constant-power, so left squared plus right squared is the gain squared.
     */
    float level() {
        float l = left.current();
        float r = right.current();
        return (float) Math.sqrt(l * l + r * r);
    }

    /** Adds {@code src[0..n)} into the two outputs, gliding the gains over the period. */
    void mixInto(float[] src, float[] outL, float[] outR, int n) {
        float l0 = left.current();
        float r0 = right.current();
        float l1 = left.next(n);
        float r1 = right.next(n);
        if (l0 == l1 && r0 == r1) {
            if (l1 == 0f && r1 == 0f) {
                return; // muted and settled: costs nothing
            }
            for (int i = 0; i < n; i++) {
                float v = src[i];
                outL[i] += v * l1;
                outR[i] += v * r1;
            }
            return;
        }
        float dl = (l1 - l0) / n;
        float dr = (r1 - r0) / n;
        for (int i = 0; i < n; i++) {
            float v = src[i];
            outL[i] += v * (l0 + dl * (i + 1));
            outR[i] += v * (r0 + dr * (i + 1));
        }
    }
}
