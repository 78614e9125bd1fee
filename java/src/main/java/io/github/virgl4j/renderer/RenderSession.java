package io.github.virgl4j.renderer;

import java.nio.ByteBuffer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * One user's (one device's, one vtest client's) share of the renderer. Every method may be called
 * from any thread; it runs on the render thread, in this session's own queue, and returns when
 * done. Context and resource ids are renderer-global and assigned here, so two sessions can never
 * collide or name each other's objects by accident; the session remembers what it created and
 * destroys it on {@link #close()}.
 *
 * <p>Failures of virglrenderer calls throw {@link RendererException} with the errno.
 */
public final class RenderSession implements AutoCloseable {
    private final Renderer renderer;
    private final Lane lane;
    private final Set<Integer> contexts = new LinkedHashSet<>();
    private final Set<Integer> resources = new LinkedHashSet<>();
    private final List<Runnable> closeHooks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;

    RenderSession(Renderer renderer, Lane lane) {
        this.renderer = renderer;
        this.lane = lane;
    }

    public String name() {
        return lane.name;
    }

    Lane lane() {
        return lane;
    }

    public RendererInfo info() {
        return renderer.info();
    }

    /**
     * Runs several session calls as one task on the render thread: calls made inside task run
     * inline instead of being handed over one by one. A device runs each guest command this way.
     * Keep task short; it holds the render thread.
     */
    public <T> T batch(Callable<T> task) {
        return call(task);
    }

    private <T> T call(Callable<T> task) {
        requireOpen();
        return renderer.thread().call(lane, () -> {
            requireOpen(); // again on the render thread: a task queued behind close() must not run
            return task.call();
        });
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("render session " + lane.name + " is closed");
        }
    }

    private void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    private NativeVirgl v() {
        return renderer.virgl();
    }

    /** Creates a context (capsetId 0: the default virgl context) and returns its renderer id. */
    public int createContext(int capsetId, String debugName) {
        int id = renderer.allocateContextId();
        run(() -> {
            v().createContext(id, capsetId, debugName, this);
            contexts.add(id);
        });
        return id;
    }

    public void destroyContext(int ctxId) {
        run(() -> {
            if (contexts.remove(ctxId)) {
                v().destroyContext(ctxId);
                renderer.thread().contextDestroyed(ctxId);
            }
        });
    }

    /** Creates a resource with a handle the renderer picks, and returns the handle. */
    public int createResource(ResourceCreateArgs args) {
        int id = renderer.allocateResourceId(this);
        createReserved(id, args);
        return id;
    }

    /**
     * Creates a resource with a handle the caller picks. Guests name resources inside their virgl
     * command streams by handle, so a virtio-gpu device must use the guest's ids. A handle that
     * any session holds already is refused (virglrenderer itself would silently replace it).
     *
     * @throws RendererException EEXIST (17) when the handle is taken
     */
    public void createResource(int handle, ResourceCreateArgs args) {
        if (!renderer.reserveResourceId(handle, this)) {
            throw new RendererException("resource handle " + handle + " is in use", RendererException.EEXIST);
        }
        createReserved(handle, args);
    }

    private void createReserved(int id, ResourceCreateArgs args) {
        try {
            run(() -> {
                v().createResource(id, args, this);
                resources.add(id);
            });
        } catch (RuntimeException e) {
            renderer.releaseResourceId(id, this);
            throw e;
        }
    }

    /**
     * Creates a blob resource (virglrenderer's stable 0.10 API) with a handle the caller picks;
     * guest storage in {@code ranges} (empty for HOST3D) stays referenced until unref or detach.
     * The context must be this session's.
     *
     * @throws RendererException EEXIST (17) when the handle is taken, or virglrenderer's errno
     */
    public void createBlob(int handle, BlobCreateArgs args, List<HostRange> ranges) {
        if (!renderer.reserveResourceId(handle, this)) {
            throw new RendererException("resource handle " + handle + " is in use", RendererException.EEXIST);
        }
        createBlobReserved(handle, args, ranges);
    }

    /** Like {@link #createBlob(int, BlobCreateArgs, List)} with a handle the renderer picks. */
    public int createBlob(BlobCreateArgs args, List<HostRange> ranges) {
        int id = renderer.allocateResourceId(this);
        createBlobReserved(id, args, ranges);
        return id;
    }

    private void createBlobReserved(int id, BlobCreateArgs args, List<HostRange> ranges) {
        List<HostRange> copy = List.copyOf(ranges);
        try {
            run(() -> {
                if (args.ctxId() != 0) {
                    ownedContext(args.ctxId());
                }
                v().createBlob(id, args, copy, this);
                resources.add(id);
            });
        } catch (RuntimeException e) {
            renderer.releaseResourceId(id, this);
            throw e;
        }
    }

    /**
     * Maps a mappable blob into this process ({@code virgl_renderer_resource_map}). The memory
     * stays valid until {@link #unmapBlob} or {@link #unrefResource}.
     */
    public MappedBlob mapBlob(int handle) {
        return call(() -> {
            owned(handle);
            return v().mapBlob(handle, this);
        });
    }

    public void unmapBlob(int handle) {
        run(() -> {
            owned(handle);
            v().unmapBlob(handle, this);
        });
    }

    /** Detaches any backing and drops the resource. Unknown handles are ignored. */
    public void unrefResource(int handle) {
        run(() -> {
            if (resources.remove(handle)) {
                v().unrefResource(handle);
                renderer.releaseResourceId(handle, this);
            }
        });
    }

    /**
     * Gives the resource guest-visible backing memory; replaces an earlier backing. The memory
     * must stay mapped until {@link #detachBacking} or {@link #unrefResource}.
     */
    public void attachBacking(int handle, List<HostRange> ranges) {
        List<HostRange> copy = List.copyOf(ranges);
        run(() -> {
            owned(handle);
            v().attachBacking(handle, copy);
        });
    }

    public void detachBacking(int handle) {
        run(() -> {
            owned(handle);
            v().detachBacking(handle);
        });
    }

    public void attachToContext(int ctxId, int handle) {
        run(() -> {
            ownedContext(ctxId);
            owned(handle);
            v().ctxAttach(ctxId, handle);
        });
    }

    public void detachFromContext(int ctxId, int handle) {
        run(() -> {
            ownedContext(ctxId);
            owned(handle);
            v().ctxDetach(ctxId, handle);
        });
    }

    /** Submits a virgl command buffer (whole dwords) to a context. The bytes are copied first. */
    public void submit(int ctxId, ByteBuffer commands) {
        run(() -> {
            ownedContext(ctxId);
            v().submit(ctxId, commands);
        });
    }

    /**
     * Submits a command buffer and creates a fence after it, in one trip to the render thread
     * (what a fenced SUBMIT_3D needs); the future completes when the GPU has passed the fence.
     */
    public CompletableFuture<Void> submitFenced(int ctxId, ByteBuffer commands) {
        return call(() -> {
            ownedContext(ctxId);
            v().submit(ctxId, commands);
            return renderer.thread().createFence(lane, ctxId);
        });
    }

    /** Uploads box of the resource from its attached backing, starting at offset. */
    public void transferToHost(int handle, int ctxId, int level, int stride, int layerStride, Box box,
                               long offset) {
        run(() -> {
            owned(handle);
            v().transferWrite(handle, ctxId, level, stride, layerStride, box, offset, null);
        });
    }

    /**
     * Uploads box of the resource from a direct buffer laid out like its backing would be from
     * the transfer's offset on (same strides), instead of from the attached backing.
     */
    public void transferToHost(int handle, int ctxId, int level, int stride, int layerStride, Box box,
                               ByteBuffer src) {
        run(() -> {
            owned(handle);
            v().transferWrite(handle, ctxId, level, stride, layerStride, box, 0, src);
        });
    }

    /** Downloads box of the resource into its attached backing, starting at offset. */
    public void transferFromHost(int handle, int ctxId, int level, int stride, int layerStride, Box box,
                                 long offset) {
        run(() -> {
            owned(handle);
            v().transferRead(handle, ctxId, level, stride, layerStride, box, offset, null);
        });
    }

    /** Uploads box of the resource from a direct buffer (tightly packed when stride is 0). */
    public void write(int handle, int ctxId, int level, int stride, Box box, ByteBuffer src) {
        run(() -> {
            owned(handle);
            v().transferWrite(handle, ctxId, level, stride, 0, box, 0, src);
        });
    }

    /** Reads box of the resource into a direct buffer (tightly packed when stride is 0). */
    public void read(int handle, int ctxId, int level, int stride, Box box, ByteBuffer dst) {
        run(() -> {
            owned(handle);
            v().transferRead(handle, ctxId, level, stride, 0, box, 0, dst);
        });
    }

    /**
     * Creates a fence after everything submitted so far; the future completes when the GPU has
     * passed it (on a helper thread, or on the render thread for a session opened with
     * {@link FenceCompletion#RENDER_THREAD}). Fences of one context complete in
     * creation order. With {@link Renderer#contextFences()} the fence is on ctxId's own
     * virglrenderer timeline, otherwise (the default; and for ctxId 0) on the global one.
     */
    public CompletableFuture<Void> fence(int ctxId) {
        return call(() -> renderer.thread().createFence(lane, ctxId));
    }

    /**
     * Asks virglrenderer which fences the GPU has passed and retires them now, as the render
     * thread does between tasks (virglrenderer's vtest server polls like this before answering
     * RESOURCE_BUSY_WAIT). A {@link FenceCompletion#RENDER_THREAD} session's fence futures
     * complete before this returns; others are handed to the completer thread.
     */
    public void retireFences() {
        run(() -> renderer.thread().retireNow());
    }

    public CapsetInfo capsetInfo(int capsetId) {
        return call(() -> v().capsetInfo(capsetId));
    }

    /** The capset blob, maxSize bytes; all zero for an unknown id or version. */
    public byte[] capset(int capsetId, int version) {
        return call(() -> {
            CapsetInfo info = v().capsetInfo(capsetId);
            return v().capset(capsetId, version, Math.max(info.maxSize(), 0));
        });
    }

    public ResourceInfo resourceInfo(int handle) {
        return call(() -> {
            owned(handle);
            return v().resourceInfo(handle);
        });
    }

    /**
     * Like {@link Renderer#watch}, for a connection served for this session: posts queue in the
     * session's own order, and the handler's render-thread time is counted in
     * {@link #renderNanos()} (the session calls it makes run inline, inside that time).
     */
    public FdWatch watch(int fd, int events, FdWatch.Handler handler, Runnable onRendererClose) {
        requireOpen();
        return renderer.watch(fd, events, handler, onRendererClose, lane);
    }

    /** Tasks this session has run on the render thread. */
    public long executedTasks() {
        return lane.executed.get();
    }

    /** Time this session's tasks have spent on the render thread. */
    public long renderNanos() {
        return lane.renderNanos.get();
    }

    /** Contexts and resources this session currently owns in the renderer. */
    public int liveObjects() {
        return call(() -> contexts.size() + resources.size());
    }

    private void owned(int handle) {
        if (!resources.contains(handle)) {
            throw new RendererException("resource " + handle + " does not belong to session " + lane.name,
                    RendererException.EINVAL);
        }
    }

    private void ownedContext(int ctxId) {
        if (!contexts.contains(ctxId)) {
            throw new RendererException("context " + ctxId + " does not belong to session " + lane.name,
                    RendererException.EINVAL);
        }
    }

    /**
     * Runs hook when this session closes (its own close, or the renderer's), on the render thread
     * before any of its objects is destroyed: e.g. to take mapped blob memory away from a guest.
     */
    public void onClose(Runnable hook) {
        closeHooks.add(hook);
    }

    private void runCloseHooks() {
        for (Runnable hook : closeHooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                java.util.logging.Logger.getLogger(RenderSession.class.getName())
                        .log(java.util.logging.Level.WARNING, "close hook of session " + lane.name + " failed", e);
            }
        }
        closeHooks.clear();
    }

    /** Destroys every context and resource this session created. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            renderer.thread().call(lane, () -> {
                runCloseHooks();
                closed = true; // tasks queued behind this one now fail instead of re-creating objects
                for (int ctx : contexts) {
                    v().destroyContext(ctx);
                    renderer.thread().contextDestroyed(ctx);
                }
                for (int res : resources) {
                    v().unrefResource(res);
                    renderer.releaseResourceId(res, this);
                }
                contexts.clear();
                resources.clear();
                return null;
            });
        } catch (IllegalStateException alreadyClosed) {
            runCloseHooks(); // the renderer is gone, and with it every object
        } finally {
            closed = true;
            renderer.sessionClosed(this);
        }
    }
}
