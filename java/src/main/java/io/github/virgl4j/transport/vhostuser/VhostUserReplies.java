package io.github.virgl4j.transport.vhostuser;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encoders for the back end's replies: each is a whole message (header with version 1 and the
 * REPLY bit, then the payload) ready to write.
 */
public final class VhostUserReplies {
    private VhostUserReplies() {
    }

    private static final int FLAGS = VhostUserHeader.VERSION | VhostUserHeader.FLAG_REPLY;

    private static ByteBuffer payload(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }

    /** A u64 reply (GET_FEATURES, GET_PROTOCOL_FEATURES, GET_QUEUE_NUM, GET_MAX_MEM_SLOTS). */
    public static ByteBuffer u64(VhostUserRequest request, long value) {
        return VhostUserHeader.message(request.code(), FLAGS, payload(8).putLong(0, value));
    }

    /**
     * The REPLY_ACK answer to a request that asked for one: u64 0 for success, non-zero for
     * failure. {@code code} is the raw request code (acks go to unknown requests too).
     */
    public static ByteBuffer ack(int code, boolean success) {
        return VhostUserHeader.message(code, FLAGS, payload(8).putLong(0, success ? 0 : 1));
    }

    /** GET_VRING_BASE's reply: the vring state {index, num}. */
    public static ByteBuffer vringState(VhostUserRequest request, int index, int num) {
        return VhostUserHeader.message(request.code(), FLAGS, payload(8).putInt(0, index).putInt(4, num));
    }

    /**
     * GET_CONFIG's reply: offset, size and flags echoed, then the bytes. An empty {@code data}
     * is sent as size 0, which the spec defines as the error answer.
     */
    public static ByteBuffer config(int offset, int flags, byte[] data) {
        ByteBuffer p = payload(12 + data.length);
        p.putInt(offset).putInt(data.length).putInt(flags).put(data);
        return VhostUserHeader.message(VhostUserRequest.GET_CONFIG.code(), FLAGS, p.flip());
    }
}
