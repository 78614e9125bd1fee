package io.github.virgl4j.transport.vhostuser;

/**
 * vhost-user protocol feature bits (vhost-user.rst, "Protocol features") and the set this back
 * end offers: MQ (so GET_QUEUE_NUM is answered), REPLY_ACK, BACKEND_REQ (the channel is
 * accepted, never used), CONFIG (GET_CONFIG carries num_capsets, without which the guest sees
 * no virgl) and CONFIGURE_MEM_SLOTS (ADD/REM_MEM_REG).
 */
public final class ProtocolFeatures {
    private ProtocolFeatures() {
    }

    public static final int MQ = 0;
    public static final int REPLY_ACK = 3;
    public static final int BACKEND_REQ = 5;
    public static final int CONFIG = 9;
    public static final int CONFIGURE_MEM_SLOTS = 15;

    /** VHOST_USER_F_PROTOCOL_FEATURES: the virtio feature bit (30) announcing protocol features. */
    public static final int F_PROTOCOL_FEATURES = 30;

    /** What GET_PROTOCOL_FEATURES answers. */
    public static final long OFFERED = bit(MQ) | bit(REPLY_ACK) | bit(BACKEND_REQ) | bit(CONFIG) | bit(CONFIGURE_MEM_SLOTS);

    public static long bit(int n) {
        return 1L << n;
    }
}
