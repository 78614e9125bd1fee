package io.github.virgl4j.device;

/**
 * The cursor after UPDATE_CURSOR or MOVE_CURSOR (virtio spec 5.7.6.10). {@code image} is the
 * 64x64 ARGB picture, null when only the position changed, empty when the cursor is hidden.
 */
public record CursorState(int scanoutId, int x, int y, int hotX, int hotY, int[] image) {
    public static final int SIZE = 64;

    public boolean hidden() {
        return image != null && image.length == 0;
    }
}
