package io.github.virgl4j.renderer;

import static io.github.virgl4j.binding.global.virglrenderer.v4j_eventfd;
import static io.github.virgl4j.binding.global.virglrenderer.v4j_eventfd_read;
import static io.github.virgl4j.binding.global.virglrenderer.v4j_eventfd_write;
import static io.github.virgl4j.binding.global.virglrenderer.v4j_poll_in;
import static io.github.virgl4j.binding.global.virglrenderer.v4j_close;

import java.util.ArrayDeque;
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
 * (woken by submitters) and on virglrenderer's own poll fd (woken by retired fences).
 */
final class RenderThread implements Runnable {
    private record PendingFence(int id, CompletableFuture<Void> done) {
    }

    private final ConcurrentLinkedQueue<Lane> ready = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<PendingFence> fences = new ArrayDeque<>();
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
    private int lastSignalled;

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

    /** Called on the render thread: creates a fence in virglrenderer and returns its future. */
    CompletableFuture<Void> createFence(int ctxId) {
        int id = nextFenceId++;
        if (nextFenceId == 0) {
            nextFenceId = 1;
        }
        virgl.createFence(id, ctxId);
        CompletableFuture<Void> done = new CompletableFuture<>();
        fences.add(new PendingFence(id, done));
        return done;
    }

    /** write_fence callback: virglrenderer retires fences in order, so all ids up to this one are done. */
    void onFenceSignalled(int id) {
        lastSignalled = id;
    }

    private void retireFences() {
        while (!fences.isEmpty() && fences.peek().id() - lastSignalled <= 0) {
            CompletableFuture<Void> done = fences.poll().done();
            fenceCompleter.execute(() -> done.complete(null));
        }
    }

    int outstandingFences() {
        return fences.size();
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
        int[] fds = {wakeFd, pollFd};
        short[] revents = new short[2];
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
                continue;
            }
            if (stopping) {
                return;
            }
            pollFences();
            sleeping = true;
            if (ready.isEmpty() && !stopping) {
                int timeout = fences.isEmpty() ? 1000 : (pollFd >= 0 ? 100 : 1);
                v4j_poll_in(fds, revents, pollFd >= 0 ? 2 : 1, timeout);
                if ((revents[0] & 1) != 0) {
                    v4j_eventfd_read(wakeFd);
                }
            }
            sleeping = false;
        }
    }

    private void pollFences() {
        if (!fences.isEmpty()) {
            virgl.poll();
            retireFences();
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
        IllegalStateException closed = new IllegalStateException("renderer is closed");
        for (PendingFence f : fences) {
            f.done().completeExceptionally(closed);
        }
        fences.clear();
        Lane lane;
        while ((lane = ready.poll()) != null) {
            Runnable task;
            while ((task = lane.tasks.poll()) != null) {
                task.run(); // completes its future exceptionally: virgl calls now throw
            }
        }
    }
}
