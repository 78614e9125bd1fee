package io.github.virgl4j.transport.vtest;

import io.github.virgl4j.device.CommandTap;
import io.github.virgl4j.device.GpuConfig;
import io.github.virgl4j.device.GuestRam;
import io.github.virgl4j.device.VirtioGpu;
import io.github.virgl4j.device.memory.MemoryRegion;
import io.github.virgl4j.device.memory.RegionGuestMemory;
import io.github.virgl4j.device.protocol.Box3d;
import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.device.protocol.MemEntry;
import io.github.virgl4j.renderer.FdWatch;
import io.github.virgl4j.renderer.FenceCompletion;
import io.github.virgl4j.renderer.Renderer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One vtest client, mapped onto its own virtio-gpu device: the client's renderer is context 1,
 * its resources are device resources, the shared memory the server creates for them (v2+) is the
 * client's guest memory, and its submits are SUBMIT_3Ds. Validation, fences and recording are the
 * device's; this class only translates vtest requests into virtio-gpu commands.
 *
 * <p>Fences are made per run of submits, not per submit: consecutive submits run unfenced, and one
 * empty fenced SUBMIT_3D follows them, before the next request of another kind (a BUSY_WAIT's
 * answer, the RESOURCE_CREATE2 Mesa sends after each frame's submit) or at the end of what the
 * socket delivered. The fence's flush starts llvmpipe's rasterizer threads, so they work while
 * the render thread serves what follows the submits, as they do with the reference server, which
 * fences every submit at once.
 * A vtest BUSY_WAIT asks whether any earlier submit still runs (the reference server answers it
 * from its last fence too), so one fence after the last submit answers it as well as one after
 * each. Every fence costs the renderer a sync object, a flush (llvmpipe rasterizes what it has
 * binned so far) and a wake-up of its sync thread; Mesa sends two submits per glmark2 frame. The
 * fence rides on an empty submit because vrend makes its sync object in the current GL context:
 * the submit makes that the client's, whatever ran in between (0.10.4 vrend_renderer_create_fence).
 *
 * <p>The connection is served on the render thread itself (an {@link FdWatch}), as
 * virgl_test_server serves its client on its one thread: requests are decoded from what the
 * socket has and run with no hand-over to another thread, replies are sent without blocking (a
 * client that does not read them is not read from either), and a BUSY_WAIT that must wait parks
 * the connection until the client's last fence has retired.
 *
 * <p>A request the device refuses ends this client (vtest has no error replies; the reference
 * server drops such clients too); other clients go on.
 */
final class VtestClientSession implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(VtestClientSession.class.getName());
    private static final int CTX = 1;
    private static final long GUEST_BASE = 1L << 32;
    /** Server-allocated resource ids (protocol v3) come from one counter for all clients. */
    private static final AtomicInteger SERVER_IDS = new AtomicInteger(1 << 20);

    /** Most bytes taken from the socket per readiness, so one busy client cannot hog the thread. */
    private static final int READ_BUDGET = 256 * 1024;
    private static final ByteBuffer NO_COMMANDS = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final VtestSocket socket;
    private final VtestInputBuffer input = new VtestInputBuffer();
    private final VtestDecoder decoder;
    private final VtestReplyQueue output;
    private final Consumer<VtestClientSession> onClosed;
    private final int maxProtocolVersion;
    private FdWatch watch;
    private boolean parked;
    private boolean closed;
    private final RegionGuestMemory memory = new RegionGuestMemory();
    private final VirtioGpu gpu;
    private final Map<Integer, SharedMemory> shm = new HashMap<>();
    private final SharedMemoryPool shmPool = new SharedMemoryPool();
    private final Map<Integer, Long> shmBase = new HashMap<>();
    private long nextGuestAddress = GUEST_BASE;
    private long fenceId;
    private int protocolVersion;
    private int capset;
    private boolean contextCreated;
    private String name = "vtest";
    private CompletableFuture<GpuResponse> lastSubmit = CompletableFuture.completedFuture(null);
    /** Submits ran since the last fence: {@link #lastSubmit} does not cover them yet. */
    private boolean unfenced;

    VtestClientSession(VtestSocket socket, Renderer renderer, String id, CommandTap tap, int maxProtocolVersion,
                       Consumer<VtestClientSession> onClosed) {
        this.socket = socket;
        this.output = new VtestReplyQueue(socket);
        this.maxProtocolVersion = maxProtocolVersion;
        this.onClosed = onClosed;
        this.decoder = new VtestDecoder(input);
        // The session runs on the render thread and its fence dependents only post the parked
        // BUSY_WAIT's reply: they may run there too, with no hand-off through a helper thread.
        this.gpu = VirtioGpu.builder(memory).renderer(renderer).name(id).tap(tap)
                .config(GpuConfig.defaults()).fenceCompletion(FenceCompletion.RENDER_THREAD).build();
    }

    VirtioGpu device() {
        return gpu;
    }

    /** Starts serving the client on the render thread; {@code onClosed} hears when it is dropped. */
    void start() {
        gpu.watch(socket.fd(), FdWatch.READ, this::ready, this::close);
    }

    /** Render thread: the socket is readable, writable, or broken. */
    private void ready(FdWatch w, int revents) {
        watch = w; // the handler can run before renderer.watch has returned to start()
        try {
            if ((revents & (FdWatch.HANGUP | FdWatch.ERROR)) != 0 && !output.isEmpty()) {
                throw new IOException("client went away with " + output.size() + " replies unsent");
            }
            if ((revents & FdWatch.WRITE) != 0) {
                output.flush();
            }
            if ((revents & (FdWatch.READ | FdWatch.HANGUP | FdWatch.ERROR)) != 0 && output.isEmpty()) {
                for (int taken = 0; taken < READ_BUDGET; ) {
                    int n = input.fill(socket, READ_BUDGET - taken);
                    if (n <= 0) {
                        break;
                    }
                    taken += n;
                    if (input.drained()) {
                        break; // a short read: another recv now would only say EAGAIN
                    }
                }
            }
            if ((revents & FdWatch.INVALID) != 0) {
                throw new IOException("descriptor is no longer valid");
            }
            serveBuffered();
        } catch (Throwable e) {
            drop(e);
        }
    }

    /** Runs every complete request received, until the input runs dry or the client must wait. */
    private void serveBuffered() throws IOException, ClientError, VtestProtocolException {
        serveRequests();
        if (closed) {
            return;
        }
        fenceSubmits(); // the end of what arrived: the renderer starts on it now, not at the next read
        watch.interest(parked ? 0 : (!output.isEmpty() ? FdWatch.WRITE : FdWatch.READ));
    }

    private void serveRequests() throws IOException, ClientError, VtestProtocolException {
        while (!closed && !parked && output.isEmpty() && input.ready()) {
            java.util.Optional<VtestRequest> next;
            try {
                next = decoder.next();
            } catch (VtestInputBuffer.Incomplete partial) {
                input.rewind(partial);
                break;
            }
            input.commit();
            if (next.isEmpty()) {
                LOG.log(Level.FINE, gpu.name() + ": client closed the connection");
                close();
                return;
            }
            handle(next.get());
        }
    }

    private void drop(Throwable e) {
        if (e instanceof VtestProtocolException || e instanceof ClientError) {
            LOG.log(Level.INFO, gpu.name() + ": dropping client: " + e.getMessage());
        } else if (e instanceof IOException) {
            LOG.log(Level.FINE, gpu.name() + ": connection closed: " + e.getMessage());
        } else {
            LOG.log(Level.WARNING, gpu.name() + ": dropping client after an internal error", e);
        }
        close();
    }

    /** BUSY_WAIT with the wait flag while the last submit runs: answered when its fence retires. */
    private void park(CompletableFuture<GpuResponse> fence) {
        parked = true;
        fence.whenComplete((ok, failure) -> watch.post(this::unpark));
    }

    private void unpark() {
        parked = false;
        try {
            output.send(new VtestReply.BusyWait(false));
            serveBuffered();
        } catch (Throwable e) {
            drop(e);
        }
    }

    /** The device refused a request: the client is dropped. */
    static final class ClientError extends Exception {
        ClientError(String message) {
            super(message, null, false, false);
        }
    }

    private void handle(VtestRequest r) throws IOException, ClientError {
        if (unfenced && !(r instanceof VtestRequest.SubmitCmd)) {
            fenceSubmits(); // the end of a run of submits
        }
        if (r instanceof VtestRequest.CreateRenderer c) {
            name = c.name();
        } else if (r instanceof VtestRequest.PingProtocolVersion) {
            output.send(new VtestReply.Ping());
        } else if (r instanceof VtestRequest.ProtocolVersion v) {
            // version 1 was withdrawn: a client asking for it gets 0, as the reference server does
            protocolVersion = VtestProtocol.negotiate(Math.max(v.version(), 0), maxProtocolVersion);
            decoder.setProtocolVersion(protocolVersion);
            output.send(new VtestReply.ProtocolVersion(protocolVersion));
        } else if (r instanceof VtestRequest.GetCaps) {
            output.send(new VtestReply.Caps(VtestProtocol.CAPSET_VIRGL, capset(VtestProtocol.CAPSET_VIRGL, 1)));
        } else if (r instanceof VtestRequest.GetCaps2) {
            output.send(new VtestReply.Caps(VtestProtocol.CAPSET_VIRGL2, capset(VtestProtocol.CAPSET_VIRGL2, 2)));
        } else if (r instanceof VtestRequest.GetCapset c) {
            byte[] caps = capsetOrNull(c.capsetId(), c.version());
            output.send(new VtestReply.Capset(caps == null ? new byte[0] : caps));
        } else if (r instanceof VtestRequest.GetParam p) {
            // Timelines need virglrenderer's per-context fences, which 0.10's stable API lacks.
            output.send(new VtestReply.Param(p.param() == VtestProtocol.PARAM_MAX_TIMELINE_COUNT, 0));
        } else if (r instanceof VtestRequest.ContextInit c) {
            if (contextCreated) {
                throw new ClientError("CONTEXT_INIT after the context exists");
            }
            capset = c.capsetId();
        } else if (r instanceof VtestRequest.ResourceCreate c) {
            int id = createResource(c.handle(), c.target(), c.format(), c.bind(), c.width(), c.height(), c.depth(),
                    c.arraySize(), c.lastLevel(), c.nrSamples());
            output.send(new VtestReply.ResourceCreated(VtestCommandId.RESOURCE_CREATE, protocolVersion, id, false));
        } else if (r instanceof VtestRequest.ResourceCreate2 c) {
            createResource2(c);
        } else if (r instanceof VtestRequest.ResourceUnref u) {
            unref(u.handle());
        } else if (r instanceof VtestRequest.SubmitCmd s) {
            submit(s.commands());
        } else if (r instanceof VtestRequest.ResourceBusyWait w) {
            if (!lastSubmit.isDone()) {
                // virgl_test_server polls virglrenderer before it answers: the GPU may have
                // passed the fence since the render thread last asked.
                gpu.retireFences();
            }
            boolean busy = !lastSubmit.isDone();
            if (busy && w.waitFlag()) {
                park(lastSubmit); // the render thread must go on retiring fences meanwhile
            } else {
                output.send(new VtestReply.BusyWait(busy));
            }
        } else if (r instanceof VtestRequest.TransferPut2 t) {
            transfer2(true, t.handle(), t.level(), t.box(), t.offset());
        } else if (r instanceof VtestRequest.TransferGet2 t) {
            transfer2(false, t.handle(), t.level(), t.box(), t.offset());
        } else if (r instanceof VtestRequest.TransferPut t) {
            inlineTransfer(true, t.handle(), t.level(), t.stride(), t.layerStride(), t.box(), t.data(), 0);
        } else if (r instanceof VtestRequest.TransferGet t) {
            byte[] data = inlineTransfer(false, t.handle(), t.level(), t.stride(), t.layerStride(), t.box(), null,
                    Math.toIntExact(t.dataSize()));
            output.send(new VtestReply.TransferData(data));
        } else {
            throw new ClientError(r.command() + " is not supported by this server");
        }
    }

    private GpuResponse device(GpuCommand c) {
        return gpu.handle(c);
    }

    private void require(GpuCommand c) throws ClientError {
        GpuResponse r = device(c);
        if (!r.isOk()) {
            throw new ClientError(c + " refused by the device: " + r);
        }
    }

    private void ensureContext() throws ClientError {
        if (!contextCreated) {
            require(GpuCommand.CtxCreate.named(ctx(), capset, name)); // at most 64 UTF-8 bytes
            contextCreated = true;
        }
    }

    private static CtrlHeader ctx() {
        return new CtrlHeader(0, 0, 0, CTX, 0);
    }

    private byte[] capsetOrNull(int id, int version) {
        GpuResponse r = device(new GpuCommand.GetCapset(CtrlHeader.EMPTY, id, version));
        return r instanceof GpuResponse.OkCapset caps ? caps.data() : null;
    }

    private byte[] capset(int id, int version) throws ClientError {
        byte[] caps = capsetOrNull(id, version);
        if (caps == null) {
            throw new ClientError("the renderer has no capset " + id);
        }
        return caps;
    }

    /** Protocol v3 lets the server choose ids; before that the client's handle is the id. */
    private int createResource(int clientHandle, int target, int format, int bind, int width, int height,
                               int depth, int arraySize, int lastLevel, int nrSamples) throws ClientError {
        ensureContext();
        int id = protocolVersion >= VtestProtocol.VERSION_3 ? SERVER_IDS.getAndIncrement() : clientHandle;
        require(new GpuCommand.ResourceCreate3d(CtrlHeader.EMPTY, id, target, format, bind, width, height, depth,
                arraySize, lastLevel, nrSamples, 0));
        require(new GpuCommand.CtxAttachResource(ctx(), id));
        return id;
    }

    private void createResource2(VtestRequest.ResourceCreate2 c) throws IOException, ClientError {
        int id = createResource(c.handle(), c.target(), c.format(), c.bind(), c.width(), c.height(), c.depth(),
                c.arraySize(), c.lastLevel(), c.nrSamples());
        if (c.dataSize() <= 0) {
            output.send(new VtestReply.ResourceCreated(VtestCommandId.RESOURCE_CREATE2, protocolVersion, id, false));
            return;
        }
        if (c.dataSize() > Integer.MAX_VALUE) {
            throw new ClientError("shared memory of " + c.dataSize() + " bytes is larger than 2 GiB");
        }
        int size = (int) c.dataSize();
        SharedMemory mem = shmPool.take(id, size);
        long base = nextGuestAddress;
        nextGuestAddress += (size + 0xfffL) & ~0xfffL;
        memory.addRegion(new MemoryRegion(base, mem.buffer, mem.address));
        shm.put(id, mem);
        shmBase.put(id, base);
        require(new GpuCommand.ResourceAttachBacking(CtrlHeader.EMPTY, id, List.of(new MemEntry(base, size))));
        output.send(new VtestReply.ResourceCreated(VtestCommandId.RESOURCE_CREATE2, protocolVersion, id, true), mem.fd());
        shmPool.sent(mem);
    }

    private void unref(int id) throws ClientError {
        require(new GpuCommand.ResourceUnref(CtrlHeader.EMPTY, id)); // detaches the backing first
        SharedMemory mem = shm.remove(id);
        if (mem != null) {
            memory.removeRegion(shmBase.remove(id));
            shmPool.release(mem);
        }
    }

    private void submit(ByteBuffer commands) throws ClientError {
        ensureContext();
        require(new GpuCommand.Submit3d(ctx(), commands));
        unfenced = true;
    }

    /** One fence after the submits run since the last one: an empty fenced SUBMIT_3D. */
    private void fenceSubmits() throws ClientError {
        if (!unfenced) {
            return;
        }
        unfenced = false;
        CtrlHeader fenced = new CtrlHeader(0, CtrlHeader.FLAG_FENCE, ++fenceId, CTX, 0);
        CompletableFuture<GpuResponse> done = gpu.submit(new GpuCommand.Submit3d(fenced, NO_COMMANDS));
        GpuResponse immediate = done.getNow(null);
        if (immediate != null && !immediate.isOk()) {
            throw new ClientError("fence refused by the device: " + immediate);
        }
        lastSubmit = done;
    }

    private Box3d box(VtestBox b) {
        return new Box3d(b.x(), b.y(), b.z(), b.width(), b.height(), b.depth());
    }

    /** v2 transfers move data between the resource and its shared memory, at offset. */
    private void transfer2(boolean put, int id, int level, VtestBox b, long offset) throws ClientError {
        GpuCommand c = put
                ? new GpuCommand.TransferToHost3d(ctx(), box(b), offset, id, level, 0, 0)
                : new GpuCommand.TransferFromHost3d(ctx(), box(b), offset, id, level, 0, 0);
        require(c);
    }

    /**
     * v0 transfers carry the data in the socket: it goes through a scratch region of the
     * client's guest memory attached as the resource's backing for the one transfer.
     */
    private byte[] inlineTransfer(boolean put, int id, int level, int stride, int layerStride, VtestBox b,
                                  byte[] data, int getSize) throws ClientError {
        int size = put ? data.length : getSize;
        if (size <= 0 || shm.containsKey(id)) {
            throw new ClientError("inline transfer of " + size + " bytes to resource " + id);
        }
        ByteBuffer scratch = ByteBuffer.allocateDirect(size);
        long base = nextGuestAddress;
        nextGuestAddress += (size + 0xfffL) & ~0xfffL;
        memory.addRegion(GuestRam.region(base, scratch));
        try {
            if (put) {
                scratch.put(0, data);
            }
            require(new GpuCommand.ResourceAttachBacking(CtrlHeader.EMPTY, id, List.of(new MemEntry(base, size))));
            try {
                GpuCommand c = put
                        ? new GpuCommand.TransferToHost3d(ctx(), box(b), 0, id, level, stride, layerStride)
                        : new GpuCommand.TransferFromHost3d(ctx(), box(b), 0, id, level, stride, layerStride);
                require(c);
            } finally {
                device(new GpuCommand.ResourceDetachBacking(CtrlHeader.EMPTY, id));
            }
            byte[] out = new byte[put ? 0 : size];
            scratch.get(0, out);
            return out;
        } finally {
            memory.removeRegion(base);
        }
    }

    /** Shuts the connection down (any thread): the render thread sees it end and closes it. */
    void shutdown() {
        socket.shutdown();
    }

    /**
     * Destroys the client's device (every resource and context) and unmaps its memory (render
     * thread). Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (watch != null) {
                watch.cancel();
            }
            gpu.close();
        } finally {
            for (SharedMemory m : shm.values()) {
                shmPool.close(m);
            }
            shm.clear();
            shmPool.close();
            output.close();
            socket.close();
            onClosed.accept(this);
        }
    }
}
