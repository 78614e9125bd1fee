package io.github.virgl4j.device;

import io.github.virgl4j.device.memory.GuestMemory;
import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.DecodeError;
import io.github.virgl4j.device.protocol.DecodeResult;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandDecoder;
import io.github.virgl4j.device.protocol.GpuCommandEncoder;
import io.github.virgl4j.device.protocol.GpuFeatures;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.renderer.FenceCompletion;
import io.github.virgl4j.renderer.FdWatch;
import io.github.virgl4j.renderer.RenderSession;
import io.github.virgl4j.renderer.Renderer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A virtio-gpu device. A hypervisor (or a transport) hands it requests; it validates each one
 * against its own state and the guest's memory, runs it (2D in Java, 3D through its
 * {@link RenderSession}), and returns the response bytes. It never learns which transport fed it.
 *
 * <p>Every request gets a response: malformed, truncated or hostile input gets the virtio-gpu
 * error code and the device keeps serving. Requests with {@code VIRTIO_GPU_FLAG_FENCE} complete
 * only after the renderer has passed their fence.
 *
 * <pre>{@code
 * Renderer renderer = Renderer.open(RendererOptions.llvmpipe());
 * GuestMemory mem = ...;                                    // the guest's RAM
 * try (VirtioGpu gpu = VirtioGpu.builder(mem).renderer(renderer).display(frame -> ...).build()) {
 *     ByteBuffer response = gpu.handle(request);              // or submit(request) for a future
 * }
 * }</pre>
 */
public final class VirtioGpu implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(VirtioGpu.class.getName());

    private final String name;
    private final GpuConfig config;
    private final GuestMemory memory;
    private final Renderer renderer;
    private final DisplayListener display;
    private final CommandTap tap;
    private final HostVisibleRegion hostVisible;
    private final FenceCompletion fenceCompletion;
    private DeviceState state;
    private CommandRouter router;
    private boolean closed;

    private VirtioGpu(Builder b) {
        this.name = b.name;
        this.config = b.config;
        this.memory = b.memory;
        this.renderer = b.renderer;
        this.display = b.display;
        this.tap = b.tap;
        this.hostVisible = b.hostVisible;
        this.fenceCompletion = b.fenceCompletion;
        start();
        if (tap != null) {
            tap.deviceStarted(config, memory);
        }
    }

    private void start() {
        Optional<RenderSession> session = Optional.ofNullable(renderer).map(r -> r.openSession(name, fenceCompletion));
        state = new DeviceState(config, memory, session, display);
        state.tap = tap;
        if (hostVisible != null) {
            HostMappings mappings = new HostMappings(hostVisible);
            state.hostVisible = mappings;
            session.ifPresent(ses -> ses.onClose(mappings::unmapAll)); // also when the renderer closes first
        }
        router = new CommandRouter(state);
    }

    public static Builder builder(GuestMemory memory) {
        return new Builder(memory);
    }

    /** Builds a device; without a renderer it serves 2D only (no VIRGL feature). */
    public static final class Builder {
        private final GuestMemory memory;
        private GpuConfig config = GpuConfig.defaults();
        private Renderer renderer;
        private DisplayListener display = DisplayListener.NONE;
        private String name = "virtio-gpu";
        private CommandTap tap;
        private HostVisibleRegion hostVisible;
        private FenceCompletion fenceCompletion = FenceCompletion.HELPER_THREAD;

        private Builder(GuestMemory memory) {
            this.memory = Objects.requireNonNull(memory, "memory");
        }

        public Builder config(GpuConfig value) {
            this.config = Objects.requireNonNull(value);
            return this;
        }

        /** The shared renderer; null (the default) for a 2D-only device. */
        public Builder renderer(Renderer value) {
            this.renderer = value;
            return this;
        }

        public Builder display(DisplayListener value) {
            this.display = Objects.requireNonNull(value);
            return this;
        }

        /** Records what the guest sends (see the stream package); null for none. */
        public Builder tap(CommandTap value) {
            this.tap = value;
            return this;
        }

        /**
         * The host-visible shared memory region RESOURCE_MAP_BLOB maps host blobs into; null
         * (the default) when the hypervisor provides none, and MAP_BLOB answers ERR_UNSPEC.
         */
        public Builder hostVisible(HostVisibleRegion value) {
            this.hostVisible = value;
            return this;
        }

        /**
         * Which thread completes the futures {@link VirtioGpu#submit} returns for fenced
         * requests: a helper thread (the default; dependents may block), or the render thread
         * for a transport that is served there and only posts work from them (vtest).
         */
        public Builder fenceCompletion(FenceCompletion value) {
            this.fenceCompletion = Objects.requireNonNull(value);
            return this;
        }

        /** A name for logs, metrics and the render session. */
        public Builder name(String value) {
            this.name = Objects.requireNonNull(value);
            return this;
        }

        public VirtioGpu build() {
            return new VirtioGpu(this);
        }
    }

    public String name() {
        return name;
    }

    public GpuConfig config() {
        return config;
    }

    public boolean has3d() {
        return state.session.isPresent();
    }

    /**
     * Device feature bits to offer (virtio spec 5.7.3): VIRGL and CONTEXT_INIT with a renderer,
     * EDID and RESOURCE_UUID always, RESOURCE_BLOB when configured (the default), plus VERSION_1.
     */
    public long features() {
        long f = GpuFeatures.mask(GpuFeatures.EDID) | GpuFeatures.mask(GpuFeatures.RESOURCE_UUID)
                | GpuFeatures.mask(GpuFeatures.VIRTIO_F_VERSION_1);
        if (has3d()) {
            f |= GpuFeatures.mask(GpuFeatures.VIRGL) | GpuFeatures.mask(GpuFeatures.CONTEXT_INIT);
        }
        if (config.offerBlob()) {
            f |= GpuFeatures.mask(GpuFeatures.RESOURCE_BLOB);
        }
        return f;
    }

    /**
     * The device configuration space (virtio spec 5.7.4): events_read, events_clear,
     * num_scanouts, num_capsets, little-endian u32 each.
     */
    public synchronized ByteBuffer configSpace() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0).putInt(0).putInt(config.scanouts()).putInt(state.capsets.size());
        return b.flip();
    }

    /** Handles one request and waits for its response (after its fence, if it asked for one). */
    public ByteBuffer handle(ByteBuffer request) {
        return submit(request).join();
    }

    /**
     * Handles one request now and returns its response, which completes at once or, for a
     * fenced request, when the renderer has passed the fence. The request buffer is not kept.
     */
    public CompletableFuture<ByteBuffer> submit(ByteBuffer request) {
        DecodeResult decoded = GpuCommandDecoder.decode(request);
        CtrlHeader header = decoded.header();
        Ran ran = run(decoded, request);
        ByteBuffer bytes = ran.response().encode(header);
        if (ran.fence() == null) {
            return CompletableFuture.completedFuture(bytes);
        }
        return ran.fence().handle((ok, failure) -> failure == null ? bytes : GpuResponse.Err.UNSPEC.encode(header));
    }

    /**
     * Handles one command a transport built itself (no bytes to decode: vtest), under the same
     * limits and checks as {@link #submit(ByteBuffer)}, and returns its typed response, which
     * completes like that method's. A recording tap still sees the command's wire bytes.
     */
    public CompletableFuture<GpuResponse> submit(GpuCommand command) {
        Ran ran = run(GpuCommandDecoder.check(command), tap != null ? GpuCommandEncoder.encode(command) : null);
        if (ran.fence() == null) {
            return CompletableFuture.completedFuture(ran.response());
        }
        GpuResponse ok = ran.response();
        return ran.fence().handle((done, failure) -> failure == null ? ok : GpuResponse.Err.UNSPEC);
    }

    /** Runs a typed command and waits for its response (after its fence, if it asked for one). */
    public GpuResponse handle(GpuCommand command) {
        return submit(command).join();
    }

    /**
     * A command's response and, if it made one, the fence its response waits for: as the render
     * thread made it ({@link #executeFenced}), then with the device's fence count as a dependent
     * ({@link #run}).
     */
    private record Ran(GpuResponse response, CompletableFuture<Void> fence) {
    }

    /** request: the wire bytes, for the tap (null when there is none). */
    private Ran run(DecodeResult decoded, ByteBuffer request) {
        CtrlHeader header = decoded.header();
        GpuResponse response;
        CompletableFuture<Void> fence = null;
        synchronized (this) {
            if (closed) {
                return new Ran(GpuResponse.Err.UNSPEC, null);
            }
            if (tap != null) {
                tap.request(request.duplicate());
            }
            state.commands++;
            state.pendingFence = null;
            if (decoded instanceof DecodeError err) {
                LOG.log(Level.FINE, () -> name + ": rejected request: " + err.reason());
                response = err.response();
            } else {
                GpuCommand command = ((DecodeResult.Decoded) decoded).command();
                // One render-thread task per command (with its fence): the session calls inside
                // run inline rather than each being handed over and waited for.
                Ran done;
                try {
                    done = state.session.isPresent()
                            ? state.session.get().batch(() -> executeFenced(command, header))
                            : new Ran(execute(command), null);
                } catch (RuntimeException e) { // the renderer was closed under us
                    LOG.log(Level.WARNING, name + ": renderer unavailable: " + e.getMessage());
                    done = new Ran(GpuResponse.Err.UNSPEC, null);
                }
                response = done.response();
                fence = done.fence();
            }
            if (!response.isOk()) {
                state.errors++;
            }
            if (tap != null) {
                tap.responded(response);
            }
            state.pendingFence = null;
        }
        if (fence == null) {
            if (header.isFenced() && response.isOk()) {
                countFence();
            }
            return new Ran(response, null);
        }
        return new Ran(response, fence.whenComplete((ok, failure) -> countFence()));
    }

    /** Runs a command and, if it asked for one and succeeded, makes its fence (render thread). */
    private Ran executeFenced(GpuCommand command, CtrlHeader header) {
        GpuResponse response = execute(command);
        CompletableFuture<Void> fence = null;
        if (response.isOk() && header.isFenced()) {
            try {
                fence = state.pendingFence != null ? state.pendingFence : fence(header);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, name + ": fence failed", e);
                return new Ran(GpuResponse.Err.UNSPEC, null);
            }
        }
        return new Ran(response, fence);
    }

    /** Runs in fence futures' dependents: lock-free, so it never waits for a device call. */
    private void countFence() {
        state.fences.incrementAndGet();
    }

    private CompletableFuture<Void> fence(CtrlHeader header) {
        // The session's fences complete in creation order (global or per-context renderer
        // timelines alike), so every ring (FLAG_INFO_RING_IDX) and the device's own timeline stay
        // in order: fence N completes after all earlier ones.
        Integer ctx = state.contexts.get(header.ctxId());
        return state.session.get().fence(ctx == null ? 0 : ctx);
    }

    /** Runs a decoded command; every failure becomes its virtio-gpu error response. */
    private GpuResponse execute(GpuCommand command) {
        try {
            return router.route(command);
        } catch (GpuError e) {
            LOG.log(Level.FINE, () -> name + ": " + command.getClass().getSimpleName() + ": " + e.getMessage());
            return e.response;
        } catch (RuntimeException e) {
            // A bug of ours or an unexpected renderer failure: the guest gets ERR_UNSPEC, we go on.
            LOG.log(Level.WARNING, name + ": " + command.getClass().getSimpleName() + " failed", e);
            return GpuResponse.Err.UNSPEC;
        }
    }

    /**
     * Has the render thread serve fd for this device (see {@link RenderSession#watch}): a
     * transport that runs its connection there gets the device's commands run inline, and the
     * handler's time is the device's render-thread time in {@link #metrics()}.
     *
     * @throws IllegalStateException when the device has no renderer
     */
    public FdWatch watch(int fd, int events, FdWatch.Handler handler, Runnable onRendererClose) {
        return state.session.orElseThrow(() -> new IllegalStateException(name + " has no renderer"))
                .watch(fd, events, handler, onRendererClose);
    }

    /**
     * Retires the fences the GPU has passed now (see {@link RenderSession#retireFences}): a
     * transport that answers "is it done yet" asks this first. Nothing without a renderer.
     */
    public void retireFences() {
        state.session.ifPresent(RenderSession::retireFences);
    }

    /** Counters since the device started (or was last reset). */
    public synchronized DeviceMetrics metrics() {
        long nanos = state.session.map(RenderSession::renderNanos).orElse(0L);
        return new DeviceMetrics(state.commands, state.errors, state.bytesTransferred, state.submitBytes,
                state.fences.get(), state.frames, nanos, state.resources.size(), state.contexts.size(), state.hostMemory);
    }

    /**
     * Virtio device reset (driver reload): every resource, context and scanout of this device is
     * destroyed in the renderer; other devices sharing the renderer are untouched.
     */
    public synchronized void reset() {
        BlobCommands.releaseAll(state);
        state.session.ifPresent(RenderSession::close);
        for (int i = 0; i < state.scanouts.length; i++) {
            if (state.scanouts[i].resourceId != 0) {
                display.onScanoutDisabled(i);
            }
        }
        start();
        if (tap != null) {
            tap.deviceReset();
        }
    }

    /** Destroys everything this device created in the renderer. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            BlobCommands.releaseAll(state);
            state.session.ifPresent(RenderSession::close);
            if (tap != null) {
                tap.deviceClosed();
            }
        }
    }
}
