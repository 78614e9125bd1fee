package io.github.virgl4j.renderer;

/** What virglrenderer knows of a resource ({@code virgl_renderer_resource_get_info}). */
public record ResourceInfo(int handle, int virglFormat, int width, int height, int depth,
                           int flags, int texId, int stride, int drmFourcc) {
}
