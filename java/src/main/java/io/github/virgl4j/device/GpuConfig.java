package io.github.virgl4j.device;

import java.util.Objects;

/**
 * The device's fixed configuration.
 *
 * @param scanouts  number of scanouts (displays), 1..16
 * @param width     preferred width reported by GET_DISPLAY_INFO and the EDID
 * @param height    preferred height
 * @param limits    resource limits for this guest
 * @param offerBlob offer VIRTIO_GPU_F_RESOURCE_BLOB (on by default): GUEST blobs always work, HOST3D
 *                  blobs with a renderer, MAP_BLOB only with a {@link HostVisibleRegion}
 */
public record GpuConfig(int scanouts, int width, int height, GpuLimits limits, boolean offerBlob) {
    public GpuConfig {
        Objects.requireNonNull(limits, "limits");
        if (scanouts < 1 || scanouts > 16) {
            throw new IllegalArgumentException("scanouts must be 1..16");
        }
        if (width < 16 || height < 16 || width > 16384 || height > 16384) {
            throw new IllegalArgumentException("display size must be 16..16384");
        }
    }

    /** One 1024x768 scanout, default limits, blobs offered. */
    public static GpuConfig defaults() {
        return new GpuConfig(1, 1024, 768, GpuLimits.defaults(), true);
    }

    public GpuConfig withSize(int w, int h) {
        return new GpuConfig(scanouts, w, h, limits, offerBlob);
    }

    public GpuConfig withScanouts(int n) {
        return new GpuConfig(n, width, height, limits, offerBlob);
    }

    public GpuConfig withLimits(GpuLimits value) {
        return new GpuConfig(scanouts, width, height, value, offerBlob);
    }

    public GpuConfig withBlob(boolean value) {
        return new GpuConfig(scanouts, width, height, limits, value);
    }
}
