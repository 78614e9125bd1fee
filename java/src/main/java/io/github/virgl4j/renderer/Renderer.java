package io.github.virgl4j.renderer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

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
 * different set of options while one runs is an error. {@link #close()} ends it for every user:
 * all sessions and their objects are destroyed. virglrenderer itself stays initialised on its
 * render thread until the process ends, and the next {@link #open} with the same options starts
 * at once on it; other options re-initialise it (see {@link NativeInstance} for why).
 */
public final class Renderer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Renderer.class.getName());
    private static Renderer current;
    /** The initialised virglrenderer, kept across close and open; null before the first open. */
    private static NativeInstance instance;

    private final NativeInstance nativeInstance;
    private final RenderThread thread;
    private final Lane control = new Lane("control");
    /** Guards closed against openSession and watch, so nothing new starts once close began. */
    private final List<RenderSession> sessions = new ArrayList<>();
    private volatile boolean closed;

    private Renderer(NativeInstance nativeInstance) {
        this.nativeInstance = nativeInstance;
        this.thread = nativeInstance.thread();
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
            if (!current.options().equals(options)) {
                throw new IllegalStateException("virglrenderer is initialised once per process; it runs with "
                        + current.options() + ", asked for " + options);
            }
            return current;
        }
        NativeLibrary.ensureAvailable();
        if (instance != null && !instance.thread().isRunning()) {
            LOG.warning("the render thread had ended; starting virglrenderer again");
            instance = null;
        }
        if (instance != null && !instance.serves(options)) {
            LOG.info(() -> "re-initialising virglrenderer: it ran with " + instance.options() + ", asked for " + options);
            NativeInstance old = instance;
            instance = null;
            old.shutdown();
        }
        if (instance == null) {
            instance = NativeInstance.start(options);
        }
        current = new Renderer(instance);
        return current;
    }

    /** The running renderer, if any. */
    public static synchronized Optional<Renderer> running() {
        return current == null || current.closed ? Optional.empty() : Optional.of(current);
    }

    /** What the renderer chose and offers. */
    public RendererInfo info() {
        return nativeInstance.info();
    }

    public RendererOptions options() {
        return nativeInstance.options();
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
        RenderSession s = new RenderSession(this, new Lane(name, java.util.Objects.requireNonNull(fenceCompletion)));
        synchronized (sessions) {
            ensureOpen();
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
        return watch(fd, events, handler, onRendererClose, new Lane(name));
    }

    /** The same, with posts queued and time counted in lane (a session's: RenderSession.watch). */
    FdWatch watch(int fd, int events, FdWatch.Handler handler, Runnable onRendererClose, Lane lane) {
        synchronized (sessions) {
            ensureOpen();
            return thread.watch(fd, events, handler, onRendererClose, lane);
        }
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
        return nativeInstance.allocateContextId();
    }

    int allocateResourceId(RenderSession owner) {
        return nativeInstance.allocateResourceId(owner);
    }

    boolean reserveResourceId(int id, RenderSession owner) {
        return nativeInstance.reserveResourceId(id, owner);
    }

    void releaseResourceId(int id, RenderSession owner) {
        nativeInstance.releaseResourceId(id, owner);
    }

    RenderThread thread() {
        return thread;
    }

    NativeVirgl virgl() {
        return nativeInstance.virgl();
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
        return nativeInstance.virgl().contextFences();
    }

    /** Fences created but not yet retired, over all sessions. */
    public int outstandingFences() {
        return thread.call(control, thread::outstandingFences);
    }

    /**
     * Closes every watch and session, destroying all their contexts and resources. Idempotent.
     * virglrenderer stays initialised on its render thread (the JVM may exit at any time: the
     * thread is a daemon); a later {@link #open} with the same options runs on it at once.
     */
    @Override
    public void close() {
        synchronized (Renderer.class) {
            synchronized (sessions) {
                if (closed) {
                    return;
                }
                closed = true; // from here openSession and watch refuse
            }
            closeWatches();
            for (RenderSession s : sessions()) {
                s.close();
            }
            closeWatches(); // one a racing watch() posted while the first pass ran
            if (current == this) {
                current = null;
            }
        }
    }

    private void closeWatches() {
        try {
            thread.call(control, () -> {
                thread.closeWatches();
                return null;
            });
        } catch (IllegalStateException alreadyStopped) {
            // the render thread is gone; its watches with it
        }
    }
}
