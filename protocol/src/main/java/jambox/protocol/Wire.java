package jambox.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Big-endian (network order) integers in byte arrays, without allocating. */
public final class Wire {
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Wire() {
    }

    public static int u8(byte[] b, int off) {
        return b[off] & 0xFF;
    }

    public static int u16(byte[] b, int off) {
        return (short) U16.get(b, off) & 0xFFFF;
    }

    public static int i32(byte[] b, int off) {
        return (int) U32.get(b, off);
    }

    public static long i64(byte[] b, int off) {
        return (long) U64.get(b, off);
    }

    public static void put8(byte[] b, int off, int v) {
        b[off] = (byte) v;
    }

    public static void put16(byte[] b, int off, int v) {
        U16.set(b, off, (short) v);
    }

    public static void put32(byte[] b, int off, int v) {
        U32.set(b, off, v);
    }

    public static void put64(byte[] b, int off, long v) {
        U64.set(b, off, v);
    }
}
