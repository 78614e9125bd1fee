package io.github.virgl4j.renderer;

/**
 * A range of host (process) memory that virglrenderer may read or write: one iovec.
 * The caller guarantees the memory stays mapped for as long as the renderer holds it
 * (until the backing is detached or the resource is unreferenced).
 */
public record HostRange(long address, long length) {
    public HostRange {
        if (address == 0 || length <= 0) {
            throw new IllegalArgumentException("bad host range " + address + "+" + length);
        }
    }
}
