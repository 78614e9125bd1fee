package io.github.virgl4j.device;

import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuResponse;

/**
 * RESOURCE_CREATE_BLOB and friends (virtio spec 5.7.6.8). Not implemented yet beyond validation:
 * guest-memory blobs need Java-side scanout from guest pages, host blobs need virglrenderer's
 * blob API and a host-visible memory region. Every blob request answers ERR_UNSPEC, which Linux
 * guests treat as "no blob support" for the resource.
 */
final class BlobCommands {
    private BlobCommands() {
    }

    static GpuResponse handle(DeviceState state, GpuCommand command) {
        throw GpuError.unspec(command.getClass().getSimpleName() + " is not supported");
    }
}
