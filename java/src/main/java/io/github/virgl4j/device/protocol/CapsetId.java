package io.github.virgl4j.device.protocol;

/**
 * Capability-set ids (virtio spec 1.2 §5.7.6.7, GET_CAPSET); also the value in bits 0-7 of
 * CTX_CREATE's {@code context_init}.
 */
public final class CapsetId {
    private CapsetId() {
    }

    public static final int VIRGL = 1;
    public static final int VIRGL2 = 2;
    public static final int GFXSTREAM = 3;
    public static final int VENUS = 4;
    public static final int CROSS_DOMAIN = 5;
    public static final int DRM = 6;

    /** Mask of the capset id inside {@code context_init}. */
    public static final int CONTEXT_INIT_CAPSET_ID_MASK = 0xff;
}
