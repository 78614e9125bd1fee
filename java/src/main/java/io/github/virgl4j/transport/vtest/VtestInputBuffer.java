package io.github.virgl4j.transport.vtest;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;

/**
 * The bytes a non-blocking connection has received and not yet decoded. {@link VtestDecoder}
 * reads a frame from it; when the frame is not all there yet, {@link #require} throws
 * {@link Incomplete}, the connection {@link #rewind}s to the frame's start and decodes again
 * once at least {@link Incomplete#missing} more bytes have arrived (so a large frame arriving
 * in pieces is decoded once, not once per piece). It grows only as bytes arrive, and the
 * decoder's limits cap what one frame may ask for.
 *
 * <p>The bytes live in native memory the socket receives into directly, and a SUBMIT_CMD's
 * payload is {@link #lend lent} to the renderer as it is: one copy from the kernel to
 * virglrenderer, as in virgl_test_server. Lent views stay valid until the next {@link #fill}.
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

    private static final int INITIAL = 64 * 1024;
    /** Most bytes one {@link #fill} receives (one read budget of the session's). */
    static final int MAX_FILL = 64 * 1024;

    private ByteBuffer buf = ByteBuffer.allocateDirect(INITIAL);
    private BytePointer at = new BytePointer(buf);
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
        if (end == buf.capacity()) {
            compactOrGrow();
        }
        int asked = Math.min(Math.min(max, buf.capacity() - end), MAX_FILL);
        int n = socket.readNow(at.position(end), asked);
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
        if (start > 0 && live <= buf.capacity() / 2) {
            buf.put(0, buf, start, live); // as if through a temporary copy: overlap is fine
        } else {
            ByteBuffer bigger = ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE - 8, 2L * buf.capacity()));
            bigger.put(0, buf, start, live);
            use(bigger);
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
            if (buf.capacity() > 1 << 20) {
                use(ByteBuffer.allocateDirect(INITIAL)); // a huge frame went through: do not keep its buffer
            }
        }
    }

    private void use(ByteBuffer storage) {
        buf = storage;
        at = new BytePointer(storage);
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
        buf.get(pos, dst, off, n);
        pos += n;
        return n;
    }

    @Override
    public ByteBuffer lend(int n) {
        require(n);
        if (end - pos < n) {
            return null; // the stream ended short of it: the decoder reports what is missing
        }
        ByteBuffer view = buf.slice(pos, n);
        pos += n;
        return view;
    }

    @Override
    public String toString() {
        return "VtestInputBuffer[" + (end - start) + " bytes" + (endOfStream ? ", ended" : "") + "]";
    }
}
