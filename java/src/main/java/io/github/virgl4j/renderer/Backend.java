package io.github.virgl4j.renderer;

/** Where virglrenderer's OpenGL runs. */
public enum Backend {
    /** Choose at start: a DRM render node if one exists (and software is not forced), else llvmpipe. */
    AUTO,
    /** A host GPU through EGL on a DRM render node (GBM platform). */
    GPU,
    /** Mesa's llvmpipe software rasterizer through EGL surfaceless; needs no GPU and no display. */
    LLVMPIPE;

    /** Lower-case name used in JSON and on the command line. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
