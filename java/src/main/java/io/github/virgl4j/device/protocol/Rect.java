package io.github.virgl4j.device.protocol;

/**
 * {@code struct virtio_gpu_rect}: 16 bytes, x/y/width/height as u32 (raw bits in {@code int}).
 *
 * @param x left edge
 * @param y top edge
 * @param w width
 * @param h height
 */
public record Rect(int x, int y, int w, int h) {
    /** Wire size. */
    public static final int SIZE = 16;
}
