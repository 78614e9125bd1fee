package io.github.virgl4j.stream;

/** Where a frame of a stream came from. */
public enum FrameKind {
    /** SET_SCANOUT or RESOURCE_FLUSH of a shown resource: what a display shows (source: scanout id). */
    SCANOUT,
    /**
     * TRANSFER_FROM_HOST_3D of a display-target resource into guest memory: how Mesa's vtest and
     * software winsys present a frame (source: resource id).
     */
    READBACK;

    static FrameKind of(int code) {
        FrameKind[] all = values();
        return code >= 0 && code < all.length ? all[code] : null;
    }
}
