package io.github.virgl4j.transport.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Test helper playing QEMU's vhost-user front end over a real Unix socket pair: sends framed
 * requests with SCM_RIGHTS descriptors and reads replies (with a timeout, so a silent back end
 * fails the test instead of hanging it).
 */
final class TestFrontEnd implements AutoCloseable {
    static final int V1 = VhostUserHeader.VERSION;
    static final int NEED_REPLY = VhostUserHeader.VERSION | VhostUserHeader.FLAG_NEED_REPLY;

    final int fd;
    final int backendFd;
    private final MessageSocket socket;

    TestFrontEnd() {
        this(pair());
    }

    private TestFrontEnd(int[] fds) {
        fd = fds[0];
        backendFd = fds[1];
        socket = new MessageSocket(fd, 1 << 20);
    }

    private static int[] pair() {
        int[] pair = new int[2];
        assertEquals(0, Native.socketpair(pair));
        return pair;
    }

    /** A front end on an already connected socket (no back-end end to hand out). */
    static TestFrontEnd wrap(int connected) {
        return new TestFrontEnd(new int[] {connected, -1});
    }

    static ByteBuffer payload(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }

    static ByteBuffer u64(long v) {
        return payload(8).putLong(0, v);
    }

    static ByteBuffer state(int index, int num) {
        return payload(8).putInt(0, index).putInt(4, num);
    }

    static ByteBuffer region(long guest, long size, long user, long offset) {
        ByteBuffer b = payload(40);
        b.putLong(8, guest).putLong(16, size).putLong(24, user).putLong(32, offset);
        return b;
    }

    static ByteBuffer vringAddr(int index, long desc, long used, long avail) {
        ByteBuffer b = payload(40);
        b.putInt(0, index).putInt(4, 0).putLong(8, desc).putLong(16, used).putLong(24, avail).putLong(32, 0);
        return b;
    }

    /** Sends header + payload with descriptors; the raw {@code size} may lie on purpose. */
    void sendRaw(int request, int flags, int size, ByteBuffer payload, int... fds) {
        int n = payload == null ? 0 : payload.remaining();
        ByteBuffer m = ByteBuffer.allocateDirect(VhostUserHeader.SIZE + n).order(ByteOrder.nativeOrder());
        m.putInt(request).putInt(flags).putInt(size);
        if (payload != null) {
            m.put(payload.duplicate());
        }
        m.flip();
        long r = Native.sendWithFds(fd, m, fds);
        assertEquals(m.limit(), r, "send of request " + request);
    }

    void send(VhostUserRequest request, int flags, ByteBuffer payload, int... fds) {
        sendRaw(request.code(), flags, payload == null ? 0 : payload.remaining(), payload, fds);
    }

    /** Reads one reply within 10 s. */
    RawMessage reply() throws SessionEndException {
        assertTrue(readable(10_000), "no reply from the back end within 10 s");
        return socket.read();
    }

    boolean readable(int timeoutMs) {
        short[] ready = new short[1];
        return Native.pollIn(new int[] {fd}, ready, timeoutMs) > 0;
    }

    /** Reads a reply and checks its header; returns the payload. */
    ByteBuffer expectReply(VhostUserRequest request, int size) throws SessionEndException {
        return expectReply(request.code(), size);
    }

    ByteBuffer expectReply(int code, int size) throws SessionEndException {
        RawMessage m = reply();
        assertEquals(code, m.header().request(), "reply request code");
        assertEquals(V1 | VhostUserHeader.FLAG_REPLY, m.header().flags(), "reply flags");
        assertEquals(size, m.header().size(), "reply size");
        return m.payload();
    }

    /** A GET_* request answered with a u64. */
    long getU64(VhostUserRequest request) throws SessionEndException {
        send(request, V1, null);
        return expectReply(request, 8).getLong(0);
    }

    /** Sends with NEED_REPLY and returns the ack value (0 = success). */
    long acked(VhostUserRequest request, ByteBuffer payload, int... fds) throws SessionEndException {
        send(request, NEED_REPLY, payload, fds);
        return expectReply(request, 8).getLong(0);
    }

    @Override
    public void close() {
        socket.close();
    }
}
