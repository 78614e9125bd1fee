package io.github.virgl4j.transport.vtest;

import static io.github.virgl4j.binding.global.virglrenderer.v4j_close;
import static io.github.virgl4j.binding.global.virglrenderer.v4j_dup;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Replies waiting for a client that is served without blocking: each is sent as far as the
 * socket takes it now, the rest when the socket is writable again. An fd a reply passes is
 * copied when it must be queued, so the caller may close its own at once.
 */
final class VtestReplyQueue implements AutoCloseable {
    /** Bytes for the client, with an fd (our own copy, or -1) to attach to the first. */
    private static final class Outgoing {
        final byte[] bytes;
        int offset;
        int fd;

        Outgoing(byte[] bytes, int fd) {
            this.bytes = bytes;
            this.fd = fd;
        }
    }

    private static final byte[] FD_CARRIER = new byte[1];
    private final VtestSocket socket;
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();

    VtestReplyQueue(VtestSocket socket) {
        this.socket = socket;
    }

    /** Whether everything queued has been sent. */
    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    /** Queues a reply that passes no fd and sends what the socket takes now. */
    void send(VtestReply reply) throws IOException {
        if (reply.passesFd()) {
            throw new IllegalArgumentException(reply + " needs an fd");
        }
        send(reply, -1);
    }

    /** Queues reply (and fd, if the reply passes one) and sends what the socket takes now. */
    void send(VtestReply reply, int fd) throws IOException {
        byte[] bytes = reply.encode();
        if (bytes.length > 0) { // RESOURCE_CREATE2 before v3 answers with its fd message only
            queue.add(new Outgoing(bytes, -1));
        }
        flush();
        if (reply.passesFd()) {
            // one zero byte carries it, as vtest servers do; copied only if it has to wait
            if (queue.isEmpty() && socket.sendNow(FD_CARRIER, 0, 1, fd) == 1) {
                return;
            }
            int copy = v4j_dup(fd);
            VtestSocket.check(copy, "dup");
            queue.add(new Outgoing(FD_CARRIER, copy)); // never written: shared
            flush();
        }
    }

    /** Sends what the socket takes now; the rest waits for POLLOUT. */
    void flush() throws IOException {
        while (!queue.isEmpty()) {
            Outgoing o = queue.peek();
            int n = socket.sendNow(o.bytes, o.offset, o.bytes.length - o.offset, o.fd);
            if (n == 0) {
                return;
            }
            if (o.fd >= 0) {
                v4j_close(o.fd);
                o.fd = -1;
            }
            o.offset += n;
            if (o.offset == o.bytes.length) {
                queue.poll();
            }
        }
    }

    /** Drops what was not sent, closing the fd copies. */
    @Override
    public void close() {
        for (Outgoing o : queue) {
            if (o.fd >= 0) {
                v4j_close(o.fd);
            }
        }
        queue.clear();
    }
}
