package jambox.dsp.unit;

/**
 * Level conversions fast enough for every sample. {@link Math#log} and {@link Math#exp} cost
 * tens of nanoseconds each; these cost a few, and are accurate to about 0.001 dB.
 */
public final class FastMath {
    private FastMath() {
    }

    private static final float DB_PER_LOG2 = 6.0205999f;
    private static final float LOG2_PER_DB = 1f / DB_PER_LOG2;

    /** log2 of a positive float: exponent bits plus a polynomial of the mantissa. */
    public static float log2(float x) {
        if (!(x < Float.POSITIVE_INFINITY)) {
            // NaN and infinity pass through, so a poisoned value is still seen as poisoned.
            return x;
        }
        int bits = Float.floatToRawIntBits(x);
        int exponent = ((bits >>> 23) & 0xff) - 127;
        float m = Float.intBitsToFloat((bits & 0x007fffff) | 0x3f800000); // 1..2
        // ln(m) = 2 atanh(s), s = (m-1)/(m+1) <= 1/3: four terms of the series, error < 2e-5.
        float s = (m - 1f) / (m + 1f);
        float s2 = s * s;
        float p = 2.8853901f * s * (1f + s2 * (0.33333333f + s2 * (0.2f + s2 * 0.14285714f)));
        return exponent + p;
    }

    /** 2 to the power x, for x within the float range. */
    public static float exp2(float x) {
        x = x < -126f ? -126f : (x > 126f ? 126f : x);
        float fl = (float) Math.floor(x);
        float f = x - fl;
        // 2^f for f in [0,1): Taylor series of e^(f ln 2) to the 6th power, relative error < 1e-5
        float p = 1f + f * (0.6931472f + f * (0.2402265f + f * (0.0555041f + f * (0.0096181f + f * (0.0013333f + f * 0.0001540f)))));
        return Float.intBitsToFloat(((int) fl + 127) << 23) * p;
    }

    /** Level in dB of a linear gain; very small gains give a very negative number, never -Inf. */
    public static float gainToDb(float gain) {
        return DB_PER_LOG2 * log2(Math.max(gain, 1e-20f));
    }

    public static float dbToGain(float db) {
        return exp2(db * LOG2_PER_DB);
    }
}
