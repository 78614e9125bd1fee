package io.github.virgl4j.device;

/**
 * A guest-memory blob (RESOURCE_CREATE_BLOB with blob_mem GUEST, virtio spec 5.7.6.8): no host
 * copy at all; its pixels are read from the guest's pages when a scanout shows it. It has no
 * 2D size of its own (SET_SCANOUT_BLOB gives one per scanout), so width and height are 0 and
 * SET_SCANOUT or a non-empty TRANSFER_TO_HOST_2D rect never fits it.
 */
final class ResourceBlob extends Resource {
    final long size;
    final int flags;

    ResourceBlob(int id, long size, int flags, Backing backing) {
        super(id, 0);
        this.size = size;
        this.flags = flags;
        this.backing = backing;
    }

    @Override
    int width() {
        return 0;
    }

    @Override
    int height() {
        return 0;
    }
}
