package io.github.virgl4j.renderer;

/**
 * A capability set the renderer offers (virtio-gpu GET_CAPSET_INFO).
 *
 * @param id         capset id (1 VIRGL, 2 VIRGL2, ...)
 * @param maxVersion highest version the renderer fills
 * @param maxSize    size in bytes of the capset blob
 */
public record CapsetInfo(int id, int maxVersion, int maxSize) {
    public static final int VIRGL = 1;
    public static final int VIRGL2 = 2;
}
