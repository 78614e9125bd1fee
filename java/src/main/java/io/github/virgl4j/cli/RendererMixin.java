package io.github.virgl4j.cli;

import io.github.virgl4j.renderer.Backend;
import io.github.virgl4j.renderer.RendererOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The renderer options every command that renders shares. */
final class RendererMixin {
    @Option(names = "--backend", defaultValue = "auto",
            description = "auto (GPU render node if present, else llvmpipe), gpu or llvmpipe. Default: ${DEFAULT-VALUE}")
    String backend;

    @Option(names = "--use-gles", description = "Use OpenGL ES host contexts instead of desktop GL.")
    boolean gles;

    @Option(names = {"--render-node", "--rendernode"},
            description = "DRM render node for the gpu backend, e.g. /dev/dri/renderD128.")
    Path renderNode;

    RendererOptions options() {
        Backend b;
        try {
            b = Backend.valueOf(backend.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--backend must be auto, gpu or llvmpipe, not " + backend);
        }
        RendererOptions o = RendererOptions.defaults().withBackend(b).withGles(gles);
        return renderNode == null ? o : o.withRenderNode(renderNode).withBackend(Backend.GPU);
    }
}
