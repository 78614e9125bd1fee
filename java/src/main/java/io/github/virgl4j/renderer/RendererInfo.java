package io.github.virgl4j.renderer;

import java.util.List;

/**
 * What the renderer chose at start-up and what it offers.
 *
 * @param backend        the backend actually in use ({@link Backend#GPU} or {@link Backend#LLVMPIPE})
 * @param gles           whether host contexts are OpenGL ES
 * @param glVendor       host GL_VENDOR string
 * @param glRenderer     host GL_RENDERER string (e.g. {@code llvmpipe (LLVM 15.0.6, 256 bits)})
 * @param glVersion      host GL_VERSION string
 * @param guestRenderer  the renderer name guests see from capset 2 (guests print it as
 *                       {@code virgl (<name>)})
 * @param capsets        capsets with a non-zero version
 * @param libraryPath    the libvirglrenderer shared object that was loaded
 * @param initFlags      the VIRGL_RENDERER_* flags passed to {@code virgl_renderer_init}
 * @param renderNode     the DRM render node in use, or empty string for none
 */
public record RendererInfo(Backend backend, boolean gles, String glVendor, String glRenderer,
                           String glVersion, String guestRenderer, List<CapsetInfo> capsets,
                           String libraryPath, int initFlags, String renderNode) {
    public RendererInfo {
        capsets = List.copyOf(capsets);
    }
}
