package io.github.virgl4j.renderer;

import static io.github.virgl4j.binding.global.virglrenderer.v4j_eventfd;
import static io.github.virgl4j.binding.global.virglrenderer.v4j_eventfd_read;
import static io.github.virgl4j.binding.global.virglrenderer.v4j_eventfd_write;
import static io.github.virgl4j.binding.global.virglrenderer.v4j_close;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The one thread that owns virglrenderer. It runs tasks from {@link Lane}s round-robin and, while
 * fences are outstanding, polls virglrenderer for retired ones. It sleeps in poll(2) on an eventfd
 * (woken by submitters), on virglrenderer's own poll fd (woken by retired fences) and on the
 * descriptors of {@link FdWatch}es, whose handlers it runs itself.
 */
final class RenderThread implements Runnable {

    /** A fence and its lane; retired when virglrenderer passed it (render thread only). */
    static final class PendingFence {
        final long id;
        final Lane lane;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        boolean retired;

        PendingFence(long id, Lane lane) {
            this.id = id;
            this.lane = lane;
        }
    }

    private final ConcurrentLinkedQueue<Lane> ready = new ConcurrentLinkedQueue<>();
    /** Fences on virglrenderer's global timeline (ctx 0, or a library without context fences). */
    private final ArrayDeque<PendingFence> fences = new ArrayDeque<>();
    /** Fences on each context's own timeline (virgl_renderer_context_create_fence), by context. */
    private final Map<Integer, ArrayDeque<PendingFence>> contextFences = new HashMap<>();
    private int outstandingContextFences;
    private long nextContextFenceId = 1;
    private final ExecutorService fenceCompleter;
    private final Function<RenderThread, NativeVirgl> starter;
    private final CompletableFuture<NativeVirgl> started = new CompletableFuture<>();
    private final Thread thread;
    private final int wakeFd;
    private volatile boolean sleeping;
    private volatile boolean stopping;
    private NativeVirgl virgl;
    private int pollFd = -1;
    private int nextFenceId = 1;
    /** Fence futures of RENDER_THREAD lanes retired but not yet completed (render thread only). */
    private final ArrayDeque<CompletableFuture<Void>> completeHere = new ArrayDeque<>();
    /** Watched descriptors (render thread only). */
    private final WatchSet watches = new WatchSet();

    RenderThread(String name, Function<RenderThread, NativeVirgl> starter) {
        this.starter = starter;
        this.wakeFd = v4j_eventfd(0, 1);
        this.fenceCompleter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name + "-fences");
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    /** Starts the thread and waits until the starter (virgl_renderer_init) has run on it. */
    NativeVirgl start() {
        thread.start();
        return unwrap(started);
    }

    /** Whether the thread still runs its loop (not stopped, not ended by an error). */
    boolean isRunning() {
        return !stopping && thread.isAlive();
    }

    boolean isRenderThread() {
        return Thread.currentThread() == thread;
    }

    /** Runs task on the render thread through lane and waits for its result. */
    <T> T call(Lane lane, Callable<T> task) {
        if (isRenderThread()) {
            return runInline(lane, task);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        submit(lane, () -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return unwrap(result);
    }

    private <T> T runInline(Lane lane, Callable<T> task) {
        try {
            lane.executed.incrementAndGet();
            return task.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void submit(Lane lane, Runnable task) {
        if (stopping) {
            throw new IllegalStateException("renderer is closed");
        }
        lane.tasks.add(task);
        if (lane.pending.getAndIncrement() == 0) {
            ready.add(lane);
        }
        if (sleeping) {
            v4j_eventfd_write(wakeFd, 1);
        }
    }

    /** Queues task on lane without waiting (any thread; inline order is the lane's). */
    void post(Lane lane, Runnable task) {
        submit(lane, task);
    }

    void requireRenderThread() {
        if (!isRenderThread()) {
            throw new IllegalStateException("only the render thread may change a watch");
        }
    }

    /** Starts watching fd (from any thread; in effect once the render thread has taken it). */
    FdWatch watch(int fd, int events, FdWatch.Handler handler, Runnable onRendererClose, Lane lane) {
        FdWatch w = new FdWatch(this, fd, events, handler, onRendererClose, lane);
        post(w.lane, () -> watches.add(w));
        return w;
    }

    void watchesChanged() {
        watches.changed();
    }

    void removeWatch(FdWatch w) {
        watches.remove(w);
    }

    /** Tells every watch the renderer is closing (render thread, while virglrenderer still runs). */
    void closeWatches() {
        watches.closeAll();
    }

    private static <T> T unwrap(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * Called on the render thread: creates a fence after everything submitted so far and returns
     * its future. With per-context fences on (NativeVirgl.contextFences) a context's fence goes
     * on that context's own timeline; otherwise, and for ctx 0, on the global timeline, which
     * retires in creation order.
     */
    CompletableFuture<Void> createFence(Lane lane, int ctxId) {
        PendingFence f;
        if (ctxId != 0 && virgl.contextFences()) {
            long id = nextContextFenceId++;
            virgl.createContextFence(ctxId, id);
            f = new PendingFence(id, lane);
            contextFences.computeIfAbsent(ctxId, k -> new ArrayDeque<>()).add(f);
            outstandingContextFences++;
        } else {
            int id = nextGlobalFenceId();
            virgl.createFence(id, ctxId);
            f = new PendingFence(id, lane);
            fences.add(f);
        }
        lane.fenceOrder.add(f);
        return f.done;
    }

    /**
     * write_context_fence callback (render thread, inside virgl_renderer_poll): fence ids of a
     * context grow, and mergeable fences retire only as the last of a run, so every fence of
     * ctxId up to fenceId is done.
     */
    void onContextFenceSignalled(int ctxId, int ringIdx, long fenceId) {
        ArrayDeque<PendingFence> queue = contextFences.get(ctxId);
        while (queue != null && !queue.isEmpty() && queue.peek().id <= fenceId) {
            complete(queue.poll());
        }
    }

    /**
     * After virgl_renderer_context_destroy (render thread). A destroyed context's fences are
     * dropped by virglrenderer and never signalled: complete them now (the context's work was
     * flushed when they were made).
     */
    void contextDestroyed(int ctxId) {
        ArrayDeque<PendingFence> queue = contextFences.remove(ctxId);
        while (queue != null && !queue.isEmpty()) {
            complete(queue.poll());
        }
        // vrend (0.10.4 to 1.3.0, vrend_free_fences_for_context) also marks the fence its sync
        // thread is waiting on invalid, whichever context it belongs to: that fence is dropped
        // unsignalled, and a guest waiting for it hangs until a later fence of its timeline
        // retires. So each timeline with fences pending gets a new fence now; the sync thread
        // waits in creation order, so when it passes the new one the dropped one has passed too.
        for (Map.Entry<Integer, ArrayDeque<PendingFence>> e : contextFences.entrySet()) {
            if (!e.getValue().isEmpty()) {
                virgl.createContextFence(e.getKey(), nextContextFenceId++);
            }
        }
        if (!fences.isEmpty()) {
            virgl.createFence(nextGlobalFenceId(), 0); // retires every earlier global fence; nobody waits for it
        }
    }

    /** The next id on the global timeline: wraps past 2^32, skipping 0 (what no fence has). */
    private int nextGlobalFenceId() {
        int id = nextFenceId++;
        if (nextFenceId == 0) {
            nextFenceId = 1;
        }
        return id;
    }

    private void complete(PendingFence contextFence) {
        outstandingContextFences--;
        retired(contextFence);
    }

    /**
     * A session's fences complete in creation order (a device's timelines are sub-orders of it;
     * per-context timelines of one session could otherwise retire out of order). The futures
     * complete on the completer thread, in order: their dependents may take locks that a thread
     * waiting for the render thread holds. A RENDER_THREAD lane's complete here instead, once
     * virglrenderer has returned (this may run inside its callback), in {@link #completeRetired}.
     */
    private void retired(PendingFence f) {
        f.retired = true;
        ArrayDeque<PendingFence> order = f.lane.fenceOrder;
        boolean here = f.lane.fenceCompletion == FenceCompletion.RENDER_THREAD;
        while (!order.isEmpty() && order.peek().retired) {
            CompletableFuture<Void> done = order.poll().done;
            if (here) {
                completeHere.add(done);
            } else {
                fenceCompleter.execute(() -> done.complete(null));
            }
        }
    }

    /** Completes RENDER_THREAD lanes' retired fences (render thread, outside virglrenderer calls). */
    private void completeRetired() {
        CompletableFuture<Void> done;
        while ((done = completeHere.poll()) != null) {
            done.complete(null);
        }
    }

    private void retireFences() {
        int lastSignalled = virgl.lastFence(); // all ids up to this one are done
        while (!fences.isEmpty() && (int) fences.peek().id - lastSignalled <= 0) {
            retired(fences.poll());
        }
        if (outstandingContextFences > 0) {
            contextFences.values().removeIf(ArrayDeque::isEmpty);
        }
    }

    int outstandingFences() {
        return fences.size() + outstandingContextFences;
    }

    @Override
    public void run() {
        try {
            virgl = starter.apply(this);
            pollFd = virgl.pollFd();
            started.complete(virgl);
        } catch (Throwable t) {
            started.completeExceptionally(t);
            return;
        }
        try {
            loop();
        } finally {
            failQueued();
        }
    }

    private void loop() {
        while (true) {
            Lane lane = ready.poll();
            if (lane != null) {
                Runnable task = lane.tasks.poll();
                long t0 = System.nanoTime();
                task.run();
                lane.renderNanos.addAndGet(System.nanoTime() - t0);
                lane.executed.incrementAndGet();
                if (lane.pending.decrementAndGet() > 0) {
                    ready.add(lane);
                }
                pollFences();
                if (!watches.isEmpty() && !ready.isEmpty()) {
                    // Watched connections are served between tasks, not after them all. With no
                    // task left the poll below serves them: no extra poll(2) right after a task
                    // (often the reply a client waits for), so the thread sleeps sooner.
                    pollOnce(0);
                }
                continue;
            }
            if (stopping) {
                return;
            }
            pollFences();
            sleeping = true;
            if (ready.isEmpty() && !stopping) {
                pollOnce(outstandingFences() == 0 ? 1000 : (pollFd >= 0 ? 100 : 1));
            }
            sleeping = false;
        }
    }

    /** One poll(2) over the wake-up fd, virglrenderer's fd and the watches; runs ready handlers. */
    private void pollOnce(int timeoutMs) {
        if (watches.poll(wakeFd, pollFd, timeoutMs)) {
            v4j_eventfd_read(wakeFd);
        }
    }

    /** Render thread: retires the fences the GPU has passed now, completing RENDER_THREAD lanes' inline. */
    void retireNow() {
        if (!isRenderThread()) {
            throw new IllegalStateException("retireNow off the render thread");
        }
        pollFences();
    }

    private void pollFences() {
        if (outstandingFences() > 0) {
            virgl.poll();
            retireFences();
        }
        if (!completeHere.isEmpty()) { // also fences a task retired (a destroyed context's)
            completeRetired();
        }
    }

    /** Runs the given shutdown on the render thread, then stops it. Idempotent. */
    void stop(Runnable onRenderThread) {
        if (stopping) {
            return;
        }
        Lane shutdown = new Lane("shutdown");
        try {
            call(shutdown, () -> {
                onRenderThread.run();
                return null;
            });
        } finally {
            stopping = true;
            v4j_eventfd_write(wakeFd, 1);
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            v4j_close(wakeFd);
            fenceCompleter.shutdown();
        }
    }

    private void failQueued() {
        watches.clear();
        IllegalStateException closed = new IllegalStateException("renderer is closed");
        for (PendingFence f : fences) {
            f.done.completeExceptionally(closed);
        }
        fences.clear();
        for (ArrayDeque<PendingFence> queue : contextFences.values()) {
            for (PendingFence f : queue) {
                f.done.completeExceptionally(closed);
            }
        }
        contextFences.clear();
        outstandingContextFences = 0;
        completeRetired(); // retired before the stop: they did pass
        Lane lane;
        while ((lane = ready.poll()) != null) {
            Runnable task;
            while ((task = lane.tasks.poll()) != null) {
                task.run(); // completes its future exceptionally: virgl calls now throw
            }
        }
    }
}
