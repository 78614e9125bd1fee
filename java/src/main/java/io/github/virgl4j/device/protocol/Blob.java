package io.github.virgl4j.device.protocol;

/**
 * Constants of blob resources: RESOURCE_CREATE_BLOB {@code blob_mem} and {@code blob_flags},
 * the host-visible shared-memory id, and OK_MAP_INFO cache types (Linux virtio_gpu.h).
 */
public final class Blob {
    private Blob() {
    }

    /** Backing is guest memory only (entries follow the request). Zero is invalid. */
    public static final int MEM_GUEST = 1;
    /** Host-only allocation made by a context (blob_id names it). */
    public static final int MEM_HOST3D = 2;
    /** Host allocation with guest backing as well. */
    public static final int MEM_HOST3D_GUEST = 3;

    public static final int FLAG_USE_MAPPABLE = 1;
    public static final int FLAG_USE_SHAREABLE = 2;
    public static final int FLAG_USE_CROSS_DEVICE = 4;

    /** Shared memory region id of the host-visible window MAP_BLOB maps into. */
    public static final int SHM_ID_HOST_VISIBLE = 1;

    public static final int MAP_CACHE_MASK = 0x0f;
    public static final int MAP_CACHE_NONE = 0x00;
    public static final int MAP_CACHE_CACHED = 0x01;
    public static final int MAP_CACHE_UNCACHED = 0x02;
    public static final int MAP_CACHE_WC = 0x03;
}
