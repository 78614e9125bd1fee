package io.github.virgl4j.renderer;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start the process-wide {@link Renderer}.
 *
 * @param backend    which GL driver to use; {@link Backend#AUTO} picks a GPU render node when
 *                   present and {@code LIBGL_ALWAYS_SOFTWARE} is not set, else llvmpipe
 * @param gles       ask virglrenderer for an OpenGL ES host context instead of desktop GL
 * @param renderNode a specific DRM render node for {@link Backend#GPU} (empty: first found)
 * @param threadSync let virglrenderer wait for fences on its own thread and wake ours through
 *                   its poll fd ({@code VIRGL_RENDERER_THREAD_SYNC}), as virgl_test_server does
 */
public record RendererOptions(Backend backend, boolean gles, Optional<Path> renderNode, boolean threadSync) {

    public RendererOptions {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(renderNode, "renderNode");
    }

    /** AUTO backend, desktop GL, thread sync on. */
    public static RendererOptions defaults() {
        return new RendererOptions(Backend.AUTO, false, Optional.empty(), true);
    }

    /** llvmpipe, whatever the host has: deterministic output for tests and CI. */
    public static RendererOptions llvmpipe() {
        return defaults().withBackend(Backend.LLVMPIPE);
    }

    public RendererOptions withBackend(Backend value) {
        return new RendererOptions(value, gles, renderNode, threadSync);
    }

    public RendererOptions withGles(boolean value) {
        return new RendererOptions(backend, value, renderNode, threadSync);
    }

    public RendererOptions withRenderNode(Path value) {
        return new RendererOptions(backend, gles, Optional.of(value), threadSync);
    }

    public RendererOptions withThreadSync(boolean value) {
        return new RendererOptions(backend, gles, renderNode, value);
    }
}
