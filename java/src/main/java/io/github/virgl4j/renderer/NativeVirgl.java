package io.github.virgl4j.renderer;

import static io.github.virgl4j.binding.global.virglrenderer.*;

import io.github.virgl4j.binding.iovec;
import io.github.virgl4j.binding.v4j_log_sink;
import io.github.virgl4j.binding.virgl_box;
import io.github.virgl4j.binding.virgl_renderer_resource_create_args;
import io.github.virgl4j.binding.virgl_renderer_resource_create_blob_args;
import io.github.virgl4j.binding.virgl_renderer_resource_info;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Every call into virglrenderer, and the native state it needs kept alive. Confined to the
 * render thread: each method checks that it runs there, because virglrenderer's EGL contexts are
 * bound to the thread that called {@code virgl_renderer_init} and any other thread crashes the JVM.
 */
final class NativeVirgl {
    private static final Logger LOG = Logger.getLogger("io.github.virgl4j.renderer.virglrenderer");
    /** {@code -Dvirgl4j.contextFences=true} puts each context's fences on its own timeline. */
    static final String CONTEXT_FENCES_PROPERTY = "virgl4j.contextFences";

    /** Receives retired per-context fences (write_context_fence, called on the render thread). */
    interface ContextFenceSink {
        void retired(int ctxId, int ringIdx, long fenceId);
    }

    private final Thread owner;
    // Kept strongly reachable for as long as virglrenderer may call them or read them.
    // The cookie is the uint32_t where the native write_fence stores the newest retired fence.
    private final IntPointer cookie = new IntPointer(1);
    private final java.nio.IntBuffer lastFenceView = cookie.asBuffer().put(0, 0); // malloc'ed: not zeroed
    private final RendererCallbacks callbacks;
    private final v4j_log_sink logSink;
    /** iovec arrays virglrenderer holds by pointer, by resource handle, until detach. */
    private final Map<Integer, iovec> backings = new HashMap<>();
    /**
     * Blob handles with guest storage, and its entry count. virglrenderer 0.10.4 keeps a blob's
     * iovecs on its virgl_resource only, not on the vrend resource a context transfer checks, so
     * a transfer without iovecs fails EINVAL: for these the held iovecs are passed explicitly.
     */
    private final Map<Integer, Integer> blobIovCounts = new HashMap<>();
    private final ContextOwners contextOwners = new ContextOwners();
    /** Filled capsets by (id, version, size): see {@link #capset}. */
    private final Map<List<Integer>, byte[]> capsets = new HashMap<>();
    private final virgl_box box = new virgl_box();
    private final iovec oneIov = new iovec(1);
    // Render-thread scratch for per-call arguments: JavaCPP's allocating constructors read
    // /proc/self/statm each time (its maxPhysicalBytes check), a syscall per guest command.
    private final virgl_renderer_resource_create_args createArgs = new virgl_renderer_resource_create_args();
    private final PointerPointer<?> detachedIovs = new PointerPointer<>(1);
    private final IntPointer detachedCount = new IntPointer(1);
    private ByteBuffer submitScratch = ByteBuffer.allocateDirect(64 * 1024);
    private Pointer submitScratchAt = new Pointer(submitScratch);
    private boolean initialized;
    private boolean closed;

    NativeVirgl(ContextFenceSink contextFenceSink, String renderNodePath) {
        this.owner = Thread.currentThread();
        this.callbacks = new RendererCallbacks(contextFenceSink, renderNodePath);
        this.logSink = new v4j_log_sink() {
            @Override
            public void call(BytePointer line) {
                LOG.log(Level.FINE, () -> line.getString(StandardCharsets.UTF_8).stripTrailing());
            }
        };
    }

    /** Whether {@link #CONTEXT_FENCES_PROPERTY} asks for per-context fences now. */
    static boolean contextFencesAsked() {
        return "true".equalsIgnoreCase(System.getProperty(CONTEXT_FENCES_PROPERTY, "false"));
    }

    /** Whether fences are per context (virgl_renderer_context_create_fence) rather than global. */
    boolean contextFences() {
        return callbacks.contextFences();
    }

    private void onRenderThread() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("virglrenderer called from " + Thread.currentThread().getName()
                    + ", not the render thread (this would crash the JVM)");
        }
        if (closed) {
            throw new IllegalStateException("renderer is closed");
        }
    }

    /** Returns 0 or the negative/positive error virgl_renderer_init gave. */
    int init(int flags) {
        onRenderThread();
        v4j_set_log_sink(logSink);
        int ret = callbacks.init(cookie, flags);
        initialized = ret == 0;
        return ret;
    }

    static boolean canLoad(String library) {
        return v4j_can_dlopen(library) != 0;
    }

    static int setenv(String name, String value) {
        return v4j_setenv(name, value);
    }

    /** "vendor\nrenderer\nversion" of a throw-away EGL context, or null if EGL fails. */
    String probeGl(int renderNodeFd, boolean gles) {
        onRenderThread();
        byte[] out = new byte[512];
        if (v4j_gl_probe(renderNodeFd, gles ? 1 : 0, out, out.length) != 0) {
            return null;
        }
        int len = 0;
        while (len < out.length && out[len] != 0) {
            len++;
        }
        return new String(out, 0, len, StandardCharsets.UTF_8);
    }

    int openRenderNode(String path) {
        return v4j_open_rw(path);
    }

    void closeFd(int fd) {
        v4j_close(fd);
    }

    void cleanup() {
        onRenderThread();
        if (initialized) {
            for (Integer handle : List.copyOf(backings.keySet())) {
                detachBacking(handle);
            }
            virgl_renderer_cleanup(cookie);
            initialized = false;
        }
        closed = true;
    }

    void poll() {
        onRenderThread();
        virgl_renderer_poll();
    }

    /**
     * The newest global fence virglrenderer has retired (0 before any): its write_fence, in our
     * native code, stores the id at the cookie during {@link #poll} (fences retire in order, so
     * every earlier id has retired too). A plain read, no JNI call.
     */
    int lastFence() {
        return lastFenceView.get(0);
    }

    int pollFd() {
        onRenderThread();
        return virgl_renderer_get_poll_fd();
    }

    CapsetInfo capsetInfo(int id) {
        onRenderThread();
        int[] maxVer = new int[1];
        int[] maxSize = new int[1];
        virgl_renderer_get_cap_set(id, maxVer, maxSize);
        return new CapsetInfo(id, maxVer[0], maxSize[0]);
    }

    /**
     * The capset's bytes, filled once per (id, version, size) and then served from a copy.
     * vrend_renderer_fill_caps (0.10.4) probes multisampling and mixed attachments with
     * framebuffers of its own in whatever GL context is current and leaves framebuffer 0 and
     * texture 0 bound there: in a guest's context, that guest's next CLEAR failed with
     * GL_INVALID_FRAMEBUFFER_OPERATION and vrend put the context in error for good. So it is
     * filled in vrend's context 0, and only once (the bytes do not change while the renderer runs).
     */
    byte[] capset(int id, int version, int size) {
        onRenderThread();
        List<Integer> key = List.of(id, version, size);
        byte[] cached = capsets.get(key);
        if (cached == null) {
            virgl_renderer_force_ctx_0();
            BytePointer buf = new BytePointer(size);
            try {
                buf.fill(0);
                virgl_renderer_fill_caps(id, version, buf);
                cached = new byte[size];
                buf.get(cached);
            } finally {
                buf.close();
            }
            capsets.put(key, cached);
        }
        return cached.clone();
    }

    /** owner: the session the context is for (see {@link ContextOwners}). */
    void createContext(int ctxId, int capsetId, String name, Object owner) {
        onRenderThread();
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        int ret = capsetId == 0
                ? virgl_renderer_context_create(ctxId, bytes.length, name)
                : virgl_renderer_context_create_with_flags(ctxId, capsetId & 0xff, bytes.length, name);
        // vrend (0.10.4, vrend_renderer_create_sub_ctx) leaves the new context's GL context current
        // but still records the previous one as current: that one's next submit skips its switch
        // and runs in the new context (whose empty framebuffer fails a CLEAR, marking it in error;
        // a re-sent framebuffer would attach its surfaces to the new context's FBO). Another
        // client creating a context must not break this one: make vrend switch for real next time.
        virgl_renderer_force_ctx_0();
        check("virgl_renderer_context_create", ret);
        contextOwners.created(ctxId, owner);
    }

    void destroyContext(int ctxId) {
        onRenderThread();
        virgl_renderer_context_destroy(ctxId);
        contextOwners.destroyed(ctxId);
    }

    /**
     * Before vrend work that runs in the current GL context without switching (resource
     * allocation, blob map and unmap) for caller: while another session owns a context, the
     * current one may be that session's, so vrend is moved to its context 0 first. A session
     * alone keeps the make-current this costs away from its request path.
     */
    private void leaveGuestContexts(Object caller) {
        if (contextOwners.othersThan(caller)) {
            virgl_renderer_force_ctx_0();
        }
    }

    /** owner: the calling session, here and in the blob calls below (see {@link ContextOwners}). */
    void createResource(int handle, ResourceCreateArgs a, Object owner) {
        onRenderThread();
        createArgs.handle(handle).target(a.target()).format(a.format()).bind(a.bind()).width(a.width())
                .height(a.height()).depth(a.depth()).array_size(a.arraySize())
                .last_level(a.lastLevel()).nr_samples(a.nrSamples()).flags(a.flags());
        leaveGuestContexts(owner);
        check("virgl_renderer_resource_create", virgl_renderer_resource_create(createArgs, null, 0));
    }

    /**
     * virgl_renderer_resource_create_blob. Guest storage (ranges non-empty) is held by pointer
     * like an attached backing, until detach or unref.
     */
    void createBlob(int handle, BlobCreateArgs a, List<HostRange> ranges, Object owner) {
        onRenderThread();
        iovec iovs = ranges.isEmpty() ? null : iovecs(ranges);
        try (virgl_renderer_resource_create_blob_args args = new virgl_renderer_resource_create_blob_args()) {
            args.res_handle(handle).ctx_id(a.ctxId()).blob_mem(a.blobMem()).blob_flags(a.blobFlags())
                    .blob_id(a.blobId()).size(a.size()).num_iovs(ranges.size());
            if (iovs != null) {
                args.iovecs(iovs);
            }
            leaveGuestContexts(owner);
            int ret = virgl_renderer_resource_create_blob(args);
            if (ret != 0) {
                if (iovs != null) {
                    Pointer.free(iovs);
                }
                check("virgl_renderer_resource_create_blob", ret);
            }
        }
        if (iovs != null) {
            backings.put(handle, iovs);
            blobIovCounts.put(handle, ranges.size());
        }
    }

    /** virgl_renderer_resource_map: the host address and size of a mappable blob. */
    MappedBlob mapBlob(int handle, Object owner) {
        onRenderThread();
        try (PointerPointer<?> out = new PointerPointer<>(1); LongPointer size = new LongPointer(1);
             IntPointer info = new IntPointer(1)) {
            leaveGuestContexts(owner);
            check("virgl_renderer_resource_map", virgl_renderer_resource_map(handle, out, size));
            long address = out.get(0) == null ? 0 : out.get(0).address();
            int mapInfo = virgl_renderer_resource_get_map_info(handle, info) == 0 ? info.get() : 0;
            return new MappedBlob(address, size.get(), mapInfo);
        }
    }

    void unmapBlob(int handle, Object owner) {
        onRenderThread();
        leaveGuestContexts(owner);
        check("virgl_renderer_resource_unmap", virgl_renderer_resource_unmap(handle));
    }

    void unrefResource(int handle) {
        onRenderThread();
        detachBacking(handle);
        virgl_renderer_resource_unref(handle);
    }

    void attachBacking(int handle, List<HostRange> ranges) {
        onRenderThread();
        detachBacking(handle);
        iovec iovs = iovecs(ranges);
        int ret = virgl_renderer_resource_attach_iov(handle, iovs, ranges.size());
        if (ret != 0) {
            Pointer.free(iovs);
            check("virgl_renderer_resource_attach_iov", ret);
        }
        backings.put(handle, iovs);
    }

    /** An iovec array malloc'ed without a JavaCPP deallocator: freed by detachBacking. */
    private static iovec iovecs(List<HostRange> ranges) {
        Pointer raw = Pointer.malloc((long) Math.max(1, ranges.size()) * Pointer.sizeof(iovec.class));
        if (raw == null || raw.isNull()) {
            throw new OutOfMemoryError("iovec array of " + ranges.size());
        }
        iovec iovs = new iovec(raw);
        for (int i = 0; i < ranges.size(); i++) {
            HostRange r = ranges.get(i);
            iovs.getPointer(i).iov_base(new Pointer() { { address = r.address(); } }).iov_len(r.length());
        }
        return iovs;
    }

    boolean hasBacking(int handle) {
        return backings.containsKey(handle);
    }

    void detachBacking(int handle) {
        onRenderThread();
        iovec held = backings.remove(handle);
        blobIovCounts.remove(handle);
        if (held != null) {
            virgl_renderer_resource_detach_iov(handle, detachedIovs, detachedCount);
            Pointer.free(held);
        }
    }

    void ctxAttach(int ctxId, int handle) {
        onRenderThread();
        virgl_renderer_ctx_attach_resource(ctxId, handle);
    }

    void ctxDetach(int ctxId, int handle) {
        onRenderThread();
        virgl_renderer_ctx_detach_resource(ctxId, handle);
    }

    /** Copies the commands first: the guest must not be able to change them while they parse. */
    void submit(int ctxId, ByteBuffer commands) {
        onRenderThread();
        int bytes = commands.remaining();
        if (bytes % 4 != 0) {
            throw new RendererException("command buffer of " + bytes + " bytes is not whole dwords");
        }
        if (submitScratch.capacity() < bytes) {
            submitScratch = ByteBuffer.allocateDirect(Integer.highestOneBit(bytes - 1) << 1);
            submitScratchAt = new Pointer(submitScratch);
        }
        ByteBuffer scratch = submitScratch.clear();
        scratch.put(commands.duplicate()).flip();
        check("virgl_renderer_submit_cmd", virgl_renderer_submit_cmd(submitScratchAt, ctxId, bytes / 4));
    }

    private virgl_box box(Box b) {
        return box.x(b.x()).y(b.y()).z(b.z()).w(b.w()).h(b.h()).d(b.d());
    }

    /** Transfer to the resource from its attached backing (dst == null) or from a direct buffer. */
    void transferWrite(int handle, int ctxId, int level, int stride, int layerStride, Box b, long offset,
                       ByteBuffer src) {
        onRenderThread();
        iovec iov = src == null ? blobIovs(handle) : single(src);
        int count = src == null ? blobIovCounts.getOrDefault(handle, 0) : 1;
        check("virgl_renderer_transfer_write_iov", virgl_renderer_transfer_write_iov(handle, ctxId, level,
                stride, layerStride, box(b), offset, iov, count));
    }

    /** Transfer from the resource into its attached backing (dst == null) or into a direct buffer. */
    void transferRead(int handle, int ctxId, int level, int stride, int layerStride, Box b, long offset,
                      ByteBuffer dst) {
        onRenderThread();
        iovec iov = dst == null ? blobIovs(handle) : single(dst);
        int count = dst == null ? blobIovCounts.getOrDefault(handle, 0) : 1;
        check("virgl_renderer_transfer_read_iov", virgl_renderer_transfer_read_iov(handle, ctxId, level,
                stride, layerStride, box(b), offset, iov, count));
    }

    /** The guest storage of a blob, passed explicitly to transfers; null for other resources. */
    private iovec blobIovs(int handle) {
        return blobIovCounts.containsKey(handle) ? backings.get(handle) : null;
    }

    private iovec single(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("transfer buffers must be direct ByteBuffers");
        }
        Pointer p = new Pointer(buffer);
        // A Pointer made from a buffer keeps its position; JavaCPP passes address + position.
        return oneIov.iov_base(p).iov_len(buffer.remaining());
    }

    void createFence(int fenceId, int ctxId) {
        onRenderThread();
        check("virgl_renderer_create_fence", virgl_renderer_create_fence(fenceId, ctxId));
    }

    /** A fence on ctxId's own timeline; it retires through the ContextFenceSink. */
    void createContextFence(int ctxId, long fenceId) {
        onRenderThread();
        check("virgl_renderer_context_create_fence",
                v4j_context_create_fence(ctxId, V4J_FENCE_FLAG_MERGEABLE, 0, fenceId));
    }

    ResourceInfo resourceInfo(int handle) {
        onRenderThread();
        try (virgl_renderer_resource_info info = new virgl_renderer_resource_info()) {
            check("virgl_renderer_resource_get_info", virgl_renderer_resource_get_info(handle, info));
            return new ResourceInfo(info.handle(), info.virgl_format(), info.width(), info.height(),
                    info.depth(), info.flags(), info.tex_id(), info.stride(), info.drm_fourcc());
        }
    }

    private static void check(String call, int ret) {
        if (ret != 0) {
            throw new RendererException(call, Math.abs(ret));
        }
    }
}
