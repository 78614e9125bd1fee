package io.github.virgl4j.renderer;

import java.nio.ByteBuffer;
import org.bytedeco.javacpp.Pointer;

/** Native addresses of direct buffers, for building {@link HostRange}s over Java-allocated memory. */
public final class HostMemory {
    private HostMemory() {
    }

    /** Whether native addresses can be had (the JNI library loads). */
    public static boolean isAvailable() {
        return NativeLibrary.isAvailable();
    }

    /**
     * The address of the first byte of a direct buffer (its position is ignored).
     *
     * @throws RendererUnavailableException when the native library cannot load
     */
    public static long addressOf(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        NativeLibrary.ensureAvailable();
        return new Pointer(direct).address();
    }

    /** A direct little-endian view of native memory that somebody else keeps mapped. */
    public static ByteBuffer view(long address, int length) {
        NativeLibrary.ensureAvailable();
        final long at = address; // inside the subclass, "address" would name Pointer's own field
        // A BytePointer: a plain Pointer counts its capacity in pointer-sized (8-byte) elements.
        Pointer p = new org.bytedeco.javacpp.BytePointer() {
            {
                this.address = at;
            }
        };
        return p.capacity(length).limit(length).asByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }
}
