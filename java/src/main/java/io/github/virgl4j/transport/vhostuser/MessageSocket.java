package io.github.virgl4j.transport.vhostuser;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A stream Unix socket carrying vhost-user framed messages (12-byte header, payload,
 * SCM_RIGHTS descriptors with the first byte). Reads bound the payload by {@code maxPayload}
 * before allocating; writes are serialised so replies and requests never interleave.
 */
final class MessageSocket implements AutoCloseable {
    /** Descriptors accepted with one message (SET_MEM_TABLE needs 8); the rest are closed. */
    static final int MAX_FDS = 16;

    private final int fd;
    private final int maxPayload;
    private final ByteBuffer header = ByteBuffer.allocateDirect(VhostUserHeader.SIZE).order(ByteOrder.nativeOrder());
    private final Object writeLock = new Object();
    private volatile boolean closed;

    MessageSocket(int fd, int maxPayload) {
        this.fd = fd;
        this.maxPayload = maxPayload;
    }

    int fd() {
        return fd;
    }

    /**
     * Reads one message.
     *
     * @throws SessionEndException at end of stream (DISCONNECTED), on a read error (IO_ERROR) or
     *                             a payload larger than allowed (PROTOCOL_ERROR, nothing allocated)
     */
    RawMessage read() throws SessionEndException {
        int[] fds = new int[MAX_FDS];
        int[] nfds = new int[1];
        long n = Native.recvWithFds(fd, header, VhostUserHeader.SIZE, fds, nfds);
        int[] got = Arrays.copyOf(fds, Math.max(nfds[0], 0));
        try {
            if (n == 0) {
                throw new SessionEndException(SessionEnd.Kind.DISCONNECTED, "the front end closed the connection");
            }
            if (n < 0) {
                throw new SessionEndException(SessionEnd.Kind.IO_ERROR, "read failed: errno " + -n);
            }
            if (n < VhostUserHeader.SIZE) {
                long rest = Native.readFull(fd, header, (int) n, VhostUserHeader.SIZE - (int) n);
                if (rest != VhostUserHeader.SIZE - n) {
                    throw new SessionEndException(SessionEnd.Kind.DISCONNECTED, "connection closed inside a message header");
                }
            }
            VhostUserHeader h = VhostUserHeader.read(header);
            if (Long.compareUnsigned(h.unsignedSize(), maxPayload) > 0) {
                throw new SessionEndException(SessionEnd.Kind.PROTOCOL_ERROR, "request " + Integer.toUnsignedString(h.request())
                        + " announces a payload of " + h.unsignedSize() + " bytes (limit " + maxPayload + ")");
            }
            ByteBuffer payload = ByteBuffer.allocateDirect(h.size()).order(ByteOrder.nativeOrder());
            long r = Native.readFull(fd, payload, 0, h.size());
            if (r != h.size()) {
                throw new SessionEndException(r < 0 ? SessionEnd.Kind.IO_ERROR : SessionEnd.Kind.DISCONNECTED,
                        "connection ended inside a " + h.size() + "-byte payload (" + r + ")");
            }
            return new RawMessage(h, payload, got);
        } catch (SessionEndException e) {
            for (int d : got) {
                Native.close(d);
            }
            throw e;
        }
    }

    /** Writes a whole message; returns false when the peer is gone or the write failed. */
    boolean write(ByteBuffer message) {
        ByteBuffer direct = message;
        if (!message.isDirect() || message.position() != 0) {
            direct = ByteBuffer.allocateDirect(message.remaining()).put(message.duplicate()).flip();
        }
        synchronized (writeLock) {
            if (closed) {
                return false;
            }
            return Native.writeAll(fd, direct) == direct.limit();
        }
    }

    /** Wakes a blocked reader (shutdown) without closing the descriptor yet. */
    void shutdown() {
        Native.shutdown(fd);
    }

    @Override
    public void close() {
        synchronized (writeLock) {
            if (!closed) {
                closed = true;
                Native.close(fd);
            }
        }
    }
}
