package io.github.virgl4j.device.protocol;

/**
 * {@code struct virtio_gpu_box}: 24 bytes, six u32 (raw bits in {@code int}).
 *
 * @param x origin x
 * @param y origin y
 * @param z origin z (or first layer)
 * @param w width
 * @param h height
 * @param d depth (or layer count)
 */
public record Box3d(int x, int y, int z, int w, int h, int d) {
    /** Wire size. */
    public static final int SIZE = 24;
}
