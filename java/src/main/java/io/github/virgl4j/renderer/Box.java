package io.github.virgl4j.renderer;

/** A 3D box inside a resource (struct virgl_box): origin x, y, z and size w, h, d. */
public record Box(int x, int y, int z, int w, int h, int d) {
    /** A 2D rectangle at z = 0 with depth 1. */
    public static Box of2d(int x, int y, int w, int h) {
        return new Box(x, y, 0, w, h, 1);
    }
}
