package io.github.virgl4j.device.protocol;

/**
 * {@code struct virtio_gpu_cursor_pos}: 16 bytes, scanout_id, x, y, padding (u32 each, raw bits).
 *
 * @param scanoutId scanout the cursor is on
 * @param x         hot-spot position x
 * @param y         hot-spot position y
 */
public record CursorPos(int scanoutId, int x, int y) {
    /** Wire size. */
    public static final int SIZE = 16;
}
