package io.github.virgl4j.fuzz;

import java.io.ByteArrayOutputStream;

/**
 * Writes the input that makes Jazzer's FuzzedDataProvider return given values: integers are
 * taken from the end of the input, most significant byte first, as few bytes as the range needs;
 * byte arrays from the front (Jazzer 0.24 fuzzed_data_provider.cpp).
 */
final class FdpWriter {
    private final ByteArrayOutputStream front = new ByteArrayOutputStream();
    /** Tail bytes in the order the provider reads them (from the last byte backwards). */
    private final ByteArrayOutputStream tail = new ByteArrayOutputStream();

    /** The value consumeInt(min, max) must return. */
    FdpWriter intInRange(int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(value + " not in [" + min + ", " + max + "]");
        }
        long range = (long) max - min;
        int n = 0;
        while (n < 4 && (range >>> (8 * n)) > 0) {
            n++;
        }
        return big((long) value - min, n);
    }

    /** The value consumeInt() must return. */
    FdpWriter anyInt(int value) {
        return big(Integer.toUnsignedLong(value), 4);
    }

    /** The value consumeLong() must return. */
    FdpWriter anyLong(long value) {
        return big(value, 8);
    }

    /** The value consumeBoolean() must return. */
    FdpWriter bool(boolean value) {
        return big(value ? 1 : 0, 1);
    }

    /** Bytes consumeBytes(b.length) must return. */
    FdpWriter bytes(byte[] b) {
        front.writeBytes(b);
        return this;
    }

    /** Appends what other wrote: its values are consumed after this one's. */
    FdpWriter append(FdpWriter other) {
        front.writeBytes(other.front.toByteArray());
        tail.writeBytes(other.tail.toByteArray());
        return this;
    }

    private FdpWriter big(long v, int n) {
        for (int i = n - 1; i >= 0; i--) {
            tail.write((int) (v >>> (8 * i)) & 0xff);
        }
        return this;
    }

    byte[] toByteArray() {
        byte[] f = front.toByteArray();
        byte[] t = tail.toByteArray();
        byte[] out = new byte[f.length + t.length];
        System.arraycopy(f, 0, out, 0, f.length);
        for (int i = 0; i < t.length; i++) {
            out[out.length - 1 - i] = t[i];
        }
        return out;
    }
}
