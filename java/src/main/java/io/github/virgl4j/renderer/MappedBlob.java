package io.github.virgl4j.renderer;

/**
 * A blob resource mapped into this process by {@code virgl_renderer_resource_map}: valid until
 * {@link RenderSession#unmapBlob} or the resource's unref. The address need not be page-aligned
 * (llvmpipe's buffers are not).
 *
 * @param address host address of the first byte
 * @param size    bytes mapped
 * @param mapInfo VIRGL_RENDERER_MAP_CACHE_* of the mapping
 */
public record MappedBlob(long address, long size, int mapInfo) {
}
