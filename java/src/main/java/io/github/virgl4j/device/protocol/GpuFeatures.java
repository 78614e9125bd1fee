package io.github.virgl4j.device.protocol;

/**
 * Feature bit numbers (not masks) offered by the device: the virtio-gpu ones (virtio spec 1.2
 * §5.7.3) and the generic transport/ring ones it uses (§6). Use {@link #mask(int)} to build the
 * 64-bit feature word.
 */
public final class GpuFeatures {
    private GpuFeatures() {
    }

    /** 3D mode (virgl contexts, CTX_* and 3D commands). */
    public static final int VIRGL = 0;
    /** GET_EDID. */
    public static final int EDID = 1;
    /** RESOURCE_ASSIGN_UUID. */
    public static final int RESOURCE_UUID = 2;
    /** Blob resources, SET_SCANOUT_BLOB, MAP/UNMAP_BLOB. */
    public static final int RESOURCE_BLOB = 3;
    /** CTX_CREATE with context_init and per-context ring_idx timelines. */
    public static final int CONTEXT_INIT = 4;

    /** Indirect descriptor tables (§2.7.5.3). */
    public static final int VIRTIO_RING_F_INDIRECT_DESC = 28;
    /** used_event / avail_event notification suppression (§2.7.7). */
    public static final int VIRTIO_RING_F_EVENT_IDX = 29;
    /** Modern (non-legacy) device. */
    public static final int VIRTIO_F_VERSION_1 = 32;

    /** {@code 1L << bit}. */
    public static long mask(int bit) {
        if (bit < 0 || bit > 63) {
            throw new IllegalArgumentException("feature bit out of range: " + bit);
        }
        return 1L << bit;
    }

    /** True when {@code bit} is set in {@code features}. */
    public static boolean has(long features, int bit) {
        return (features & mask(bit)) != 0;
    }
}
