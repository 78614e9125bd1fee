package io.github.virgl4j.transport.vhostuser;

/**
 * Front-end request codes this back end knows (vhost-user.rst, "Front-end message types"),
 * with the payload size each must carry ({@code -1}: variable, checked by the decoder) and
 * whether the front end waits for a reply even without REPLY_ACK.
 */
public enum VhostUserRequest {
    GET_FEATURES(1, 0, true),
    SET_FEATURES(2, 8, false),
    SET_OWNER(3, 0, false),
    RESET_OWNER(4, 0, false),
    SET_MEM_TABLE(5, -1, false),
    SET_VRING_NUM(8, 8, false),
    SET_VRING_ADDR(9, 40, false),
    SET_VRING_BASE(10, 8, false),
    GET_VRING_BASE(11, 8, true),
    SET_VRING_KICK(12, 8, false),
    SET_VRING_CALL(13, 8, false),
    SET_VRING_ERR(14, 8, false),
    GET_PROTOCOL_FEATURES(15, 0, true),
    SET_PROTOCOL_FEATURES(16, 8, false),
    GET_QUEUE_NUM(17, 0, true),
    SET_VRING_ENABLE(18, 8, false),
    SET_BACKEND_REQ_FD(21, 0, false),
    GET_CONFIG(24, -1, true),
    SET_CONFIG(25, -1, false),
    GPU_SET_SOCKET(33, 0, false),
    RESET_DEVICE(34, 0, false),
    GET_MAX_MEM_SLOTS(36, 0, true),
    ADD_MEM_REG(37, 40, false),
    REM_MEM_REG(38, 40, false);

    private static final VhostUserRequest[] BY_CODE = new VhostUserRequest[64];

    static {
        for (VhostUserRequest r : values()) {
            BY_CODE[r.code] = r;
        }
    }

    private final int code;
    private final int payloadSize;
    private final boolean replies;

    VhostUserRequest(int code, int payloadSize, boolean replies) {
        this.code = code;
        this.payloadSize = payloadSize;
        this.replies = replies;
    }

    /** The wire code. */
    public int code() {
        return code;
    }

    /** Exact payload size, or -1 when it varies. */
    public int payloadSize() {
        return payloadSize;
    }

    /** True when the front end always waits for a reply (GET_* requests). */
    public boolean alwaysReplies() {
        return replies;
    }

    /** The request for a wire code, or null when unknown. */
    public static VhostUserRequest fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
