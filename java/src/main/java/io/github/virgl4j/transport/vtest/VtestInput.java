package io.github.virgl4j.transport.vtest;

import java.io.IOException;

/**
 * Where {@link VtestDecoder} reads bytes from: a connected {@link VtestSocket} in the server, a
 * byte array in tests. Same contract as {@link java.io.InputStream#read(byte[], int, int)}.
 */
@FunctionalInterface
public interface VtestInput {
    /**
     * Reads up to {@code len} bytes into {@code buf} at {@code off}, blocking until at least one
     * is available; returns the count, or -1 at end of stream.
     */
    int read(byte[] buf, int off, int len) throws IOException;

    /**
     * Called by the decoder before it reads {@code n} more bytes of one frame. A blocking input
     * ignores it; {@link VtestInputBuffer} uses it to stop early when the frame is incomplete.
     */
    default void require(int n) throws IOException {
    }

    /** An input over a fixed byte array. */
    static VtestInput of(byte[] bytes) {
        return new VtestInput() {
            private int pos;

            @Override
            public int read(byte[] buf, int off, int len) {
                if (pos >= bytes.length) {
                    return -1;
                }
                int n = Math.min(len, bytes.length - pos);
                System.arraycopy(bytes, pos, buf, off, n);
                pos += n;
                return n;
            }
        };
    }
}
