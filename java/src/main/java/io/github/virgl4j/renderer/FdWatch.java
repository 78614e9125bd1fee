package io.github.virgl4j.renderer;

/**
 * A descriptor the render thread polls together with its own wake-up and fence descriptors, so
 * a transport can serve a connection on the render thread itself: no hand-over to another
 * thread per request (what virgl_test_server's single thread does). Made by
 * {@link Renderer#watch}, or by {@link RenderSession#watch} for a connection whose commands are
 * that session's (the handler's render-thread time then counts as the session's).
 *
 * <p>The handler runs on the render thread, so every {@link RenderSession} call it makes runs
 * inline. It must never wait for a fence (the render thread retires them): park the
 * connection instead ({@link #interest(int)} 0) and {@link #post} the rest when the fence's
 * future completes. {@link #interest} and {@link #cancel} belong to the render thread;
 * {@link #post} may be called from anywhere.
 */
public final class FdWatch {
    /** poll(2) event bits. */
    public static final int READ = 0x1;
    public static final int WRITE = 0x4;
    public static final int ERROR = 0x8;
    public static final int HANGUP = 0x10;
    public static final int INVALID = 0x20;

    /** What runs on the render thread when the descriptor is ready. */
    @FunctionalInterface
    public interface Handler {
        /** revents: the poll bits reported ({@link #READ}, {@link #WRITE}, {@link #HANGUP}, ...). */
        void ready(FdWatch watch, int revents);
    }

    final int fd;
    final Handler handler;
    final Runnable onRendererClose;
    final Lane lane;
    private final RenderThread thread;
    int events;
    boolean cancelled;

    /** lane: where posts queue and the handler's render-thread time is counted. */
    FdWatch(RenderThread thread, int fd, int events, Handler handler, Runnable onRendererClose, Lane lane) {
        this.thread = thread;
        this.fd = fd;
        this.events = events;
        this.handler = handler;
        this.onRendererClose = onRendererClose;
        this.lane = lane;
    }

    /** Which events to wait for from now on ({@link #READ}, {@link #WRITE}, or 0 to park). */
    public void interest(int newEvents) {
        thread.requireRenderThread();
        if (events != newEvents) {
            events = newEvents;
            thread.watchesChanged();
        }
    }

    /** Stops watching (render thread); the descriptor is the caller's to close. */
    public void cancel() {
        thread.requireRenderThread();
        if (!cancelled) {
            cancelled = true;
            thread.removeWatch(this);
        }
    }

    /**
     * Runs task on the render thread, after what this watch's lane has queued (any thread).
     * Ignored once the watch is cancelled or the renderer closed.
     */
    public void post(Runnable task) {
        thread.post(lane, () -> {
            if (!cancelled) {
                task.run();
            }
        });
    }
}
