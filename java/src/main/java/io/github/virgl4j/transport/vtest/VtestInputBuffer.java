package io.github.virgl4j.transport.vtest;

import java.io.IOException;

/**
 * The bytes a non-blocking connection has received and not yet decoded. {@link VtestDecoder}
 * reads a frame from it; when the frame is not all there yet, {@link #require} throws
 * {@link Incomplete}, the connection {@link #rewind}s to the frame's start and decodes again
 * once at least {@link Incomplete#missing} more bytes have arrived (so a large frame arriving
 * in pieces is decoded once, not once per piece). It grows only as bytes arrive, and the
 * decoder's limits cap what one frame may ask for.
 */
final class VtestInputBuffer implements VtestInput {
    /** The frame in progress needs {@code missing} more bytes than have arrived. */
    static final class Incomplete extends RuntimeException {
        final int missing;

        Incomplete(int missing) {
            super(null, null, false, false);
            this.missing = missing;
        }
    }

    private byte[] buf = new byte[64 * 1024];
    private int start;
    private int pos;
    private int end;
    private boolean endOfStream;
    private int wanted;
    private boolean drained;

    /**
     * Receives what the socket has (at most max bytes): the count, 0 if nothing, -1 at its end.
     * Fewer bytes than asked for means the socket had no more just now ({@link #drained()}).
     */
    int fill(VtestSocket socket, int max) throws IOException {
        if (end == buf.length) {
            compactOrGrow();
        }
        int asked = Math.min(Math.min(max, buf.length - end), VtestSocket.MAX_READ);
        int n = socket.readNow(buf, end, asked);
        if (n < 0) {
            endOfStream = true;
        } else {
            end += n;
        }
        drained = n < asked;
        return n;
    }

    /** Whether the last fill got less than it asked for: reading again now would find nothing. */
    boolean drained() {
        return drained;
    }

    private void compactOrGrow() {
        int live = end - start;
        if (start > 0 && live <= buf.length / 2) {
            System.arraycopy(buf, start, buf, 0, live);
        } else {
            byte[] bigger = new byte[(int) Math.min(Integer.MAX_VALUE - 8, 2L * buf.length)];
            System.arraycopy(buf, start, bigger, 0, live);
            buf = bigger;
        }
        pos -= start;
        end = live;
        start = 0;
    }

    /** Whether a decode attempt can make progress (enough bytes, or the stream ended). */
    boolean ready() {
        return endOfStream || end - start >= wanted;
    }

    /** The frame in progress could not be completed: read it again from its start later. */
    void rewind(Incomplete why) {
        wanted = pos - start + why.missing;
        pos = start;
    }

    /** The frame was decoded: its bytes are consumed. */
    void commit() {
        start = pos;
        wanted = 0;
        if (start == end) {
            start = pos = end = 0;
            if (buf.length > 1 << 20) {
                buf = new byte[64 * 1024]; // a huge frame went through: do not keep its buffer
            }
        }
    }

    @Override
    public void require(int n) {
        if (!endOfStream && end - pos < n) {
            throw new Incomplete(n - (end - pos));
        }
    }

    @Override
    public int read(byte[] dst, int off, int len) {
        if (pos == end) {
            if (endOfStream) {
                return -1;
            }
            throw new Incomplete(len);
        }
        int n = Math.min(len, end - pos);
        System.arraycopy(buf, pos, dst, off, n);
        pos += n;
        return n;
    }

    @Override
    public String toString() {
        return "VtestInputBuffer[" + (end - start) + " bytes" + (endOfStream ? ", ended" : "") + "]";
    }
}
