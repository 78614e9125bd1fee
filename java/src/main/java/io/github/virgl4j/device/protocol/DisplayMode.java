package io.github.virgl4j.device.protocol;

/**
 * {@code struct virtio_gpu_display_one}: one scanout in {@code OK_DISPLAY_INFO} (24 bytes).
 *
 * @param rect    preferred position and size
 * @param enabled whether the scanout is connected
 * @param flags   reserved, sent as given
 */
public record DisplayMode(Rect rect, boolean enabled, int flags) {
    /** Wire size. */
    public static final int SIZE = 24;

    /** Validates that {@code rect} is present. */
    public DisplayMode {
        java.util.Objects.requireNonNull(rect, "rect");
    }
}
