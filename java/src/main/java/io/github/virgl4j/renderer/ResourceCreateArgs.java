package io.github.virgl4j.renderer;

/**
 * Arguments of {@code virgl_renderer_resource_create} (the same fields as virtio-gpu
 * RESOURCE_CREATE_3D). The handle is assigned by the renderer, not given here.
 *
 * @param target    pipe texture target (0 buffer, 2 2D texture, ...)
 * @param format    virgl format (e.g. 1 B8G8R8A8_UNORM, 67 R8G8B8A8_UNORM)
 * @param bind      VIRGL_BIND_* flags (render target 2, sampler view 8, scanout 1&lt;&lt;18, ...)
 */
public record ResourceCreateArgs(int target, int format, int bind, int width, int height, int depth,
                                 int arraySize, int lastLevel, int nrSamples, int flags) {
    public static final int TARGET_BUFFER = 0;
    public static final int TARGET_TEXTURE_2D = 2;
    public static final int BIND_RENDER_TARGET = 1 << 1;
    public static final int BIND_SAMPLER_VIEW = 1 << 3;
    public static final int BIND_SCANOUT = 1 << 18;

    /** A 2D texture usable as render target, sampler and scanout. */
    public static ResourceCreateArgs texture2d(int format, int width, int height) {
        return new ResourceCreateArgs(TARGET_TEXTURE_2D, format,
                BIND_RENDER_TARGET | BIND_SAMPLER_VIEW | BIND_SCANOUT, width, height, 1, 1, 0, 0, 0);
    }
}
