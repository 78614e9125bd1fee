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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The process-wide virglrenderer instance and the thread that owns it.
 *
 * <p>virglrenderer is one global instance per process, and every call must come from the thread
 * that initialised it (any other thread gets EGL_BAD_ACCESS and then a SIGSEGV). So this class
 * starts one render thread, runs {@code virgl_renderer_init} there, and exposes work only
 * through {@link RenderSession}s, whose methods may be called from any thread: each call is
 * handed to the render thread and waited for. Nothing else can reach the native library.
 *
 * <pre>{@code
 * Renderer renderer = Renderer.open(RendererOptions.llvmpipe());
 * System.out.println(renderer.info());
 * try (RenderSession s = renderer.openSession("guest-1")) { ... }
 * }</pre>
 *
 * <p>{@link #open} returns the running instance when called again with the same options; a
 * different set of options while one runs is an error. {@link #close()} stops it for every user.
 */
public final class Renderer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Renderer.class.getName());
    private static Renderer current;

    private final RendererOptions options;
    private final RenderThread thread;
    private final NativeVirgl virgl;
    private final RendererInfo info;
    private final Lane control = new Lane("control");
    private final AtomicInteger nextContextId = new AtomicInteger(1);
    private final AtomicInteger nextResourceId = new AtomicInteger(1);
    private final List<RenderSession> sessions = new ArrayList<>();
    /** Resource handles in use, by owner: virglrenderer itself does not reject duplicates. */
    private final java.util.concurrent.ConcurrentHashMap<Integer, RenderSession> resourceOwners =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean closed;

    private Renderer(RendererOptions options) {
        this.options = options;
        RendererInfo[] infoOut = new RendererInfo[1];
        this.thread = new RenderThread("virgl4j-render", t -> startOnRenderThread(t, infoOut));
        this.virgl = thread.start();
        this.info = infoOut[0];
    }

    /** Whether the JNI library and libvirglrenderer could be loaded (not whether EGL works). */
    public static boolean isAvailable() {
        return NativeLibrary.isAvailable();
    }

    /** Why {@link #isAvailable()} is false, or null. */
    public static Throwable unavailabilityCause() {
        return NativeLibrary.unavailabilityCause();
    }

    /**
     * Starts the renderer, or returns the one already running with equal options.
     *
     * @throws RendererUnavailableException virglrenderer or EGL cannot be loaded or started
     * @throws IllegalStateException        a renderer with other options is running
     */
    public static synchronized Renderer open(RendererOptions options) {
        if (current != null && !current.closed) {
            if (!current.options.equals(options)) {
                throw new IllegalStateException("virglrenderer is initialised once per process; it runs with "
                        + current.options + ", asked for " + options);
            }
            return current;
        }
        NativeLibrary.ensureAvailable();
        current = new Renderer(options);
        return current;
    }

    /** The running renderer, if any. */
    public static synchronized Optional<Renderer> running() {
        return current == null || current.closed ? Optional.empty() : Optional.of(current);
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
        NativeVirgl v = new NativeVirgl(t::onFenceSignalled, t::onContextFenceSignalled, node.map(Path::toString).orElse(null));
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
                return Optional.of(options.renderNode().or(Renderer::firstRenderNode).orElseThrow(() ->
                        new RendererUnavailableException("backend GPU asked for, but no /dev/dri/renderD* node"
                                + " exists", null)));
            default:
                return forcedSoftware ? Optional.empty() : options.renderNode().or(Renderer::firstRenderNode);
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

    /** What the renderer chose and offers. */
    public RendererInfo info() {
        return info;
    }

    public RendererOptions options() {
        return options;
    }

    /**
     * A new session: its own queue on the render thread (served round-robin with the others),
     * its own contexts and resources, all destroyed when the session closes.
     */
    public RenderSession openSession(String name) {
        return openSession(name, FenceCompletion.HELPER_THREAD);
    }

    /** A new session whose fence futures complete on the given thread (see {@link FenceCompletion}). */
    public RenderSession openSession(String name, FenceCompletion fenceCompletion) {
        ensureOpen();
        RenderSession s = new RenderSession(this, new Lane(name, java.util.Objects.requireNonNull(fenceCompletion)));
        synchronized (sessions) {
            sessions.add(s);
        }
        return s;
    }

    /**
     * Has the render thread poll fd and run handler (on the render thread, with the poll
     * revents) whenever one of events is ready; see {@link FdWatch}. onRendererClose runs on the
     * render thread when the renderer closes with the watch still active, before any session
     * closes. The descriptor stays the caller's.
     */
    public FdWatch watch(int fd, int events, FdWatch.Handler handler, Runnable onRendererClose,
                         String name) {
        ensureOpen();
        return thread.watch(fd, events, handler, onRendererClose, name);
    }

    void sessionClosed(RenderSession s) {
        synchronized (sessions) {
            sessions.remove(s);
        }
    }

    /** Sessions currently open. */
    public List<RenderSession> sessions() {
        synchronized (sessions) {
            return List.copyOf(sessions);
        }
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

    RenderThread thread() {
        return thread;
    }

    NativeVirgl virgl() {
        return virgl;
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("renderer is closed");
        }
    }

    /**
     * Whether fences are per renderer context ({@code virgl_renderer_context_create_fence},
     * virglrenderer 0.10+, found at run time) rather than on the one global timeline. Off unless
     * {@code -Dvirgl4j.contextFences=true}: virglrenderer's GL contexts keep one fence list and
     * its sync thread waits on it in order, so they retire no earlier (README, Limits).
     */
    public boolean contextFences() {
        return virgl.contextFences();
    }

    /** Fences created but not yet retired, over all sessions. */
    public int outstandingFences() {
        return thread.call(control, thread::outstandingFences);
    }

    /**
     * Closes every session, cleans virglrenderer up and stops the render thread. Idempotent.
     * A later {@link #open} starts a new instance.
     */
    @Override
    public void close() {
        synchronized (Renderer.class) {
            if (closed) {
                return;
            }
            try {
                thread.call(control, () -> {
                    thread.closeWatches();
                    return null;
                });
            } catch (IllegalStateException alreadyStopped) {
                // the render thread is gone; its watches with it
            }
            for (RenderSession s : sessions()) {
                s.close();
            }
            closed = true;
            thread.stop(virgl::cleanup);
            if (current == this) {
                current = null;
            }
        }
    }
}
