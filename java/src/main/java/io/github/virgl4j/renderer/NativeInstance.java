package io.github.virgl4j.renderer;

import static io.github.virgl4j.binding.global.virglrenderer.VIRGL_RENDERER_THREAD_SYNC;
import static io.github.virgl4j.binding.global.virglrenderer.VIRGL_RENDERER_USE_EGL;
import static io.github.virgl4j.binding.global.virglrenderer.VIRGL_RENDERER_USE_GLES;
import static io.github.virgl4j.binding.global.virglrenderer.VIRGL_RENDERER_USE_SURFACELESS;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The initialised virglrenderer of this process: its render thread, its native state and the ids
 * in use in it. It outlives {@link Renderer#close()}: virglrenderer 0.10.4 does not reliably
 * survive {@code virgl_renderer_cleanup} followed by a new {@code virgl_renderer_init} in one
 * process (a later {@code virgl_renderer_poll} jumped through a freed fence's context, README
 * Limits), so a closed renderer only destroys its sessions' objects and leaves this instance
 * running for the next {@link Renderer#open} with the same options. Only other options make a
 * real cleanup and re-init ({@link #shutdown()}).
 */
final class NativeInstance {
    private static final Logger LOG = Logger.getLogger(Renderer.class.getName());

    private final RendererOptions options;
    /** The per-context-fence property as read when virglrenderer was initialised. */
    private final boolean contextFencesAsked;
    private final RenderThread thread;
    private final NativeVirgl virgl;
    private final RendererInfo info;
    // Ids are the native instance's, not one Renderer's: a handle stays taken in virglrenderer for
    // as long as an object holds it, whichever Renderer object made it.
    private final AtomicInteger nextContextId = new AtomicInteger(1);
    private final AtomicInteger nextResourceId = new AtomicInteger(1);
    /** Resource handles in use, by owner: virglrenderer itself does not reject duplicates. */
    private final ConcurrentHashMap<Integer, RenderSession> resourceOwners = new ConcurrentHashMap<>();

    private NativeInstance(RendererOptions options) {
        this.options = options;
        this.contextFencesAsked = NativeVirgl.contextFencesAsked();
        RendererInfo[] infoOut = new RendererInfo[1];
        this.thread = new RenderThread("virgl4j-render", t -> startOnRenderThread(t, infoOut));
        this.virgl = thread.start();
        this.info = infoOut[0];
    }

    /** Starts virglrenderer on a new render thread. */
    static NativeInstance start(RendererOptions options) {
        return new NativeInstance(options);
    }

    /** Whether a Renderer opened with options may use this instance as it runs. */
    boolean serves(RendererOptions options) {
        return this.options.equals(options) && contextFencesAsked == NativeVirgl.contextFencesAsked();
    }

    /** virgl_renderer_cleanup and the end of the render thread. Idempotent. */
    void shutdown() {
        thread.stop(virgl::cleanup);
    }

    RendererOptions options() {
        return options;
    }

    RenderThread thread() {
        return thread;
    }

    NativeVirgl virgl() {
        return virgl;
    }

    RendererInfo info() {
        return info;
    }

    int allocateContextId() {
        return nextId(nextContextId);
    }

    /** Reserves a fresh handle that no session uses. */
    int allocateResourceId(RenderSession owner) {
        while (true) {
            int id = nextId(nextResourceId);
            if (resourceOwners.putIfAbsent(id, owner) == null) {
                return id;
            }
        }
    }

    /** Reserves a handle the caller chose; false if any session already holds it. */
    boolean reserveResourceId(int id, RenderSession owner) {
        return id > 0 && resourceOwners.putIfAbsent(id, owner) == null;
    }

    void releaseResourceId(int id, RenderSession owner) {
        resourceOwners.remove(id, owner);
    }

    private static int nextId(AtomicInteger counter) {
        int id = counter.getAndIncrement();
        if (id <= 0) {
            throw new RendererException("renderer id space exhausted", RendererException.ENOMEM);
        }
        return id;
    }

    private NativeVirgl startOnRenderThread(RenderThread t, RendererInfo[] infoOut) {
        Optional<Path> node = chooseRenderNode();
        Backend backend = node.isPresent() ? Backend.GPU : Backend.LLVMPIPE;
        if (backend == Backend.LLVMPIPE) {
            // On a GPU host, surfaceless EGL would still pick the GPU; this forces llvmpipe.
            NativeVirgl.setenv("LIBGL_ALWAYS_SOFTWARE", "1");
        }
        // libepoxy abort()s the JVM when it cannot dlopen these on first use: ask first.
        if (!NativeVirgl.canLoad("libEGL.so.1")) {
            throw new RendererUnavailableException("libEGL.so.1 cannot be loaded", null);
        }
        boolean glLoads = options.gles() ? NativeVirgl.canLoad("libGLESv2.so.2")
                : NativeVirgl.canLoad("libOpenGL.so.0") || NativeVirgl.canLoad("libGL.so.1");
        if (!glLoads) {
            throw new RendererUnavailableException((options.gles() ? "libGLESv2.so.2" : "libOpenGL.so.0 (or libGL.so.1)")
                    + " cannot be loaded", null);
        }
        NativeVirgl v = new NativeVirgl(t::onContextFenceSignalled, node.map(Path::toString).orElse(null));
        String gl = probe(v, node, options.gles());
        if (gl == null) {
            throw new RendererUnavailableException("EGL could not create an OpenGL"
                    + (options.gles() ? " ES" : "") + " context on " + node.map(Path::toString)
                    .orElse("the surfaceless platform (llvmpipe)"), null);
        }
        int flags = VIRGL_RENDERER_USE_EGL
                | (node.isEmpty() ? VIRGL_RENDERER_USE_SURFACELESS : 0)
                | (options.gles() ? VIRGL_RENDERER_USE_GLES : 0)
                | (options.threadSync() ? VIRGL_RENDERER_THREAD_SYNC : 0);
        int ret = v.init(flags);
        if (ret != 0) {
            String why = ret == -RendererException.EBUSY || ret == RendererException.EBUSY
                    ? "virglrenderer is already initialised in this process (by other code)"
                    : "virgl_renderer_init returned " + ret;
            throw new RendererUnavailableException(why, null);
        }
        String[] glStrings = (gl + "\n\n\n").split("\n", -1);
        List<CapsetInfo> capsets = new ArrayList<>();
        String guestRenderer = "";
        for (int id = 1; id <= 8; id++) {
            CapsetInfo c = v.capsetInfo(id);
            if (c.maxVersion() > 0 && c.maxSize() > 0) {
                capsets.add(c);
                if (id == CapsetInfo.VIRGL2) {
                    guestRenderer = CapsetLayout.rendererName(v.capset(id, c.maxVersion(), c.maxSize()));
                }
            }
        }
        Backend actual = glStrings[1].toLowerCase().contains("llvmpipe") ? Backend.LLVMPIPE : Backend.GPU;
        infoOut[0] = new RendererInfo(actual, options.gles(), glStrings[0], glStrings[1], glStrings[2],
                guestRenderer, capsets, NativeLibrary.virglLibraryPath(), flags,
                node.map(Path::toString).orElse(""));
        LOG.fine(() -> "virglrenderer started: " + infoOut[0]);
        return v;
    }

    private static String probe(NativeVirgl v, Optional<Path> node, boolean gles) {
        int fd = node.map(p -> v.openRenderNode(p.toString())).orElse(-1);
        try {
            return v.probeGl(fd, gles);
        } finally {
            if (fd >= 0) {
                v.closeFd(fd);
            }
        }
    }

    private Optional<Path> chooseRenderNode() {
        boolean forcedSoftware = "1".equals(System.getenv("LIBGL_ALWAYS_SOFTWARE"))
                || "true".equalsIgnoreCase(System.getenv("LIBGL_ALWAYS_SOFTWARE"));
        switch (options.backend()) {
            case LLVMPIPE:
                return Optional.empty();
            case GPU:
                return Optional.of(options.renderNode().or(NativeInstance::firstRenderNode).orElseThrow(() ->
                        new RendererUnavailableException("backend GPU asked for, but no /dev/dri/renderD* node"
                                + " exists", null)));
            default:
                return forcedSoftware ? Optional.empty() : options.renderNode().or(NativeInstance::firstRenderNode);
        }
    }

    private static Optional<Path> firstRenderNode() {
        Path dri = Path.of("/dev/dri");
        if (!Files.isDirectory(dri)) {
            return Optional.empty();
        }
        try (Stream<Path> nodes = Files.list(dri)) {
            return nodes.filter(p -> p.getFileName().toString().startsWith("renderD"))
                    .filter(Files::isReadable).sorted().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
