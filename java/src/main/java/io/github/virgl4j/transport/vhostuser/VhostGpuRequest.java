package io.github.virgl4j.transport.vhostuser;

/**
 * Requests of the vhost-user-gpu display protocol (QEMU docs/interop/vhost-user-gpu.rst),
 * sent by the back end on the GPU_SET_SOCKET socket; QEMU answers the GET_* ones with the same
 * code and the REPLY flag (bit 2).
 */
public enum VhostGpuRequest {
    GET_PROTOCOL_FEATURES(1),
    SET_PROTOCOL_FEATURES(2),
    GET_DISPLAY_INFO(3),
    CURSOR_POS(4),
    CURSOR_POS_HIDE(5),
    CURSOR_UPDATE(6),
    SCANOUT(7),
    UPDATE(8),
    DMABUF_SCANOUT(9),
    DMABUF_UPDATE(10),
    GET_EDID(11),
    DMABUF_SCANOUT2(12);

    /** Protocol feature bit: GET_EDID is understood. */
    public static final int PROTOCOL_F_EDID = 0;
    /** Protocol feature bit: DMABUF_SCANOUT2 (modifiers). Never used here: llvmpipe has no dmabufs. */
    public static final int PROTOCOL_F_DMABUF2 = 1;

    private final int code;

    VhostGpuRequest(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The request for a code, or null. */
    public static VhostGpuRequest fromCode(int code) {
        for (VhostGpuRequest r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }
}
