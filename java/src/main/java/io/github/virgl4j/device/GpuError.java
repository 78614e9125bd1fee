package io.github.virgl4j.device;

import io.github.virgl4j.device.protocol.GpuResponse;

/**
 * A command failed with a virtio-gpu error code. Thrown inside the device's handlers and turned
 * into the error response at the dispatch boundary; never escapes the device.
 */
final class GpuError extends RuntimeException {
    final GpuResponse.Err response;

    GpuError(GpuResponse.Err response, String reason) {
        super(reason, null, false, false);
        this.response = response;
    }

    static GpuError unspec(String reason) {
        return new GpuError(GpuResponse.Err.UNSPEC, reason);
    }

    static GpuError outOfMemory(String reason) {
        return new GpuError(GpuResponse.Err.OUT_OF_MEMORY, reason);
    }

    static GpuError scanout(String reason) {
        return new GpuError(GpuResponse.Err.INVALID_SCANOUT_ID, reason);
    }

    static GpuError resource(String reason) {
        return new GpuError(GpuResponse.Err.INVALID_RESOURCE_ID, reason);
    }

    static GpuError context(String reason) {
        return new GpuError(GpuResponse.Err.INVALID_CONTEXT_ID, reason);
    }

    static GpuError parameter(String reason) {
        return new GpuError(GpuResponse.Err.INVALID_PARAMETER, reason);
    }
}
