package io.github.virgl4j.transport.vhostuser;

import io.github.virgl4j.device.VirtioGpu;
import io.github.virgl4j.transport.vhostuser.DecodeResult.Reason;
import io.github.virgl4j.transport.vhostuser.VhostUserMessage.AddMemReg;
import io.github.virgl4j.transport.vhostuser.VhostUserMessage.GetConfig;
import io.github.virgl4j.transport.vhostuser.VhostUserMessage.GetVringBase;
import io.github.virgl4j.transport.vhostuser.VhostUserMessage.GpuSetSocket;
import io.github.virgl4j.transport.vhostuser.VhostUserMessage.RemMemReg;
import io.github.virgl4j.transport.vhostuser.VhostUserMessage.SetBackendReqFd;
import io.github.virgl4j.transport.vhostuser.VhostUserMessage.SetConfig;
import io.github.virgl4j.transport.vhostuser.VhostUserMessage.SetFeatures;
import io.github.virgl4j.transport.vhostuser.VhostUserMessage.SetMemTable;
import io.github.virgl4j.transport.vhostuser.VhostUserMessage.SetProtocolFeatures;
import io.github.virgl4j.transport.vhostuser.VhostUserMessage.SetVringAddr;
import io.github.virgl4j.transport.vhostuser.VhostUserMessage.SetVringBase;
import io.github.virgl4j.transport.vhostuser.VhostUserMessage.SetVringEnable;
import io.github.virgl4j.transport.vhostuser.VhostUserMessage.SetVringFd;
import io.github.virgl4j.transport.vhostuser.VhostUserMessage.SetVringNum;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A vhost-user-gpu back end on one connected socket: QEMU's {@code vhost-user-gpu-pci} front end
 * configures it (features, guest memory, rings, config space, display socket) and the guest's
 * virtqueues are then served by a {@link VirtioGpu} on this JVM.
 *
 * <pre>{@code
 * int fd = VhostUserListener.acceptOne(Path.of("/tmp/vgpu.sock"));
 * try (VhostUserGpuBackend b = new VhostUserGpuBackend(fd, BackendOptions.of(renderer))) {
 *     SessionEnd end = b.serve();          // until QEMU disconnects or breaks the protocol
 *     System.exit(end.kind().exitStatus());
 * }
 * }</pre>
 *
 * <p>Error policy: a message that cannot be framed (wrong version, oversized payload) or a
 * request QEMU waits on that we cannot answer ends the session with
 * {@link SessionEnd.Kind#PROTOCOL_ERROR}; any other refused or failed message is logged and,
 * when REPLY_ACK asked for it, answered with a non-zero ack (QEMU then gives up on the device
 * itself). Descriptors of refused messages are closed.
 */
public final class VhostUserGpuBackend implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(VhostUserGpuBackend.class.getName());

    private final MessageSocket socket;
    private final VhostUserDecoder decoder = new VhostUserDecoder(Native::close);
    private final DeviceRuntime runtime;
    private final String name;
    private long protocolFeatures;
    private int backendReqFd = -1;
    private volatile boolean stopping;
    private long messages;

    /**
     * @param fd the connected vhost-user socket (owned from now on)
     */
    public VhostUserGpuBackend(int fd, BackendOptions options) {
        Native.ensureAvailable();
        this.socket = new MessageSocket(fd, VhostUserDecoder.MAX_PAYLOAD);
        this.runtime = new DeviceRuntime(options);
        this.name = options.name();
    }

    /** The device currently serving the rings (rebuilt when QEMU's display size differs). */
    public VirtioGpu device() {
        return runtime.gpu();
    }

    /** The current display socket, if QEMU sent one. */
    public Optional<GpuDisplaySocket> displaySocket() {
        return Optional.ofNullable(runtime.display());
    }

    /** Guest memory as mapped from the front end's descriptors. */
    public GuestMemoryMap memory() {
        return runtime.memory;
    }

    /** Messages handled so far. */
    public synchronized long messages() {
        return messages;
    }

    /**
     * Serves messages until the session ends; never throws. Call once, on a thread of its own.
     */
    public SessionEnd serve() {
        try {
            while (true) {
                RawMessage raw = socket.read();
                handle(raw);
            }
        } catch (SessionEndException e) {
            SessionEnd end = stopping ? new SessionEnd(SessionEnd.Kind.STOPPED, "stopped") : e.end;
            log(end);
            return end;
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, name + ": internal error", e);
            return new SessionEnd(SessionEnd.Kind.INTERNAL_ERROR, e.toString());
        }
    }

    private void log(SessionEnd end) {
        Level level = end.kind() == SessionEnd.Kind.STOPPED ? Level.FINE : Level.WARNING;
        LOG.log(level, name + ": session ended: " + end);
    }

    /** Makes {@link #serve()} return {@link SessionEnd.Kind#STOPPED} soon. */
    public void stop() {
        stopping = true;
        socket.shutdown();
    }

    private boolean replyAck() {
        return (protocolFeatures & ProtocolFeatures.bit(ProtocolFeatures.REPLY_ACK)) != 0;
    }

    private void handle(RawMessage raw) throws SessionEndException {
        synchronized (this) {
            messages++;
        }
        VhostUserHeader h = raw.header();
        DecodeResult decoded = decoder.decode(h, raw.payload(), raw.fds());
        if (decoded instanceof DecodeResult.Rejected rej) {
            refuse(h, rej);
            return;
        }
        VhostUserMessage m = ((DecodeResult.Ok) decoded).message();
        LOG.fine(() -> name + ": " + m);
        Optional<ByteBuffer> reply;
        try {
            reply = execute(m);
        } catch (IllegalArgumentException | IllegalStateException e) {
            LOG.warning(name + ": " + m.request() + " failed: " + e.getMessage());
            if (m.request().alwaysReplies()) {
                throw new SessionEndException(SessionEnd.Kind.PROTOCOL_ERROR, m.request() + " cannot be answered: "
                        + e.getMessage());
            }
            ack(h, false);
            return;
        }
        if (reply.isPresent()) {
            send(reply.get());
        } else {
            ack(h, true);
        }
    }

    private void refuse(VhostUserHeader h, DecodeResult.Rejected rej) throws SessionEndException {
        LOG.warning(name + ": " + rej);
        VhostUserRequest req = VhostUserRequest.fromCode(h.request());
        if (rej.reason() == Reason.BAD_FLAGS) {
            throw new SessionEndException(SessionEnd.Kind.PROTOCOL_ERROR, rej.toString());
        }
        if (req != null && req.alwaysReplies()) {
            throw new SessionEndException(SessionEnd.Kind.PROTOCOL_ERROR, rej + " (the front end waits for a reply)");
        }
        ack(h, false);
    }

    private void ack(VhostUserHeader h, boolean success) throws SessionEndException {
        if (h.needsReply() && replyAck()) {
            send(VhostUserReplies.ack(h.request(), success));
        }
    }

    private void send(ByteBuffer message) throws SessionEndException {
        if (!socket.write(message)) {
            throw new SessionEndException(SessionEnd.Kind.DISCONNECTED, "reply could not be written: the front end is gone");
        }
    }

    /** Runs a message; returns its explicit reply, or empty for ack-only messages. */
    private Optional<ByteBuffer> execute(VhostUserMessage m) {
        switch (m.request()) {
            case GET_FEATURES:
                return reply(VhostUserReplies.u64(m.request(), runtime.offeredFeatures()));
            case SET_FEATURES: {
                long f = ((SetFeatures) m).features();
                long extra = f & ~runtime.offeredFeatures();
                if (extra != 0) {
                    // QEMU 10 passes transport bits it handles itself (VIRTIO_F_RING_RESET, 40)
                    // although we never offered them: ignore those bits rather than fail the device.
                    LOG.info(String.format("%s: SET_FEATURES: ignoring bits 0x%x that were not offered", name, extra));
                }
                runtime.setAckedFeatures(f & runtime.offeredFeatures());
                return Optional.empty();
            }
            case GET_PROTOCOL_FEATURES:
                return reply(VhostUserReplies.u64(m.request(), ProtocolFeatures.OFFERED));
            case SET_PROTOCOL_FEATURES: {
                long f = ((SetProtocolFeatures) m).features();
                if ((f & ~ProtocolFeatures.OFFERED) != 0) {
                    throw new IllegalArgumentException(String.format("protocol features 0x%x were never offered",
                            f & ~ProtocolFeatures.OFFERED));
                }
                protocolFeatures = f;
                return Optional.empty();
            }
            case SET_OWNER:
                return Optional.empty();
            case RESET_OWNER:
            case RESET_DEVICE:
                runtime.stopAll();
                return Optional.empty();
            case GET_QUEUE_NUM:
                return reply(VhostUserReplies.u64(m.request(), DeviceRuntime.QUEUES));
            case GET_MAX_MEM_SLOTS:
                return reply(VhostUserReplies.u64(m.request(), runtime.memory.maxSlots()));
            case SET_MEM_TABLE: {
                SetMemTable t = (SetMemTable) m;
                runtime.memory.replaceAll(t.regions(), t.regionFds());
                return Optional.empty();
            }
            case ADD_MEM_REG: {
                AddMemReg a = (AddMemReg) m;
                runtime.memory.add(a.region(), a.fd());
                return Optional.empty();
            }
            case REM_MEM_REG:
                runtime.memory.remove(((RemMemReg) m).region());
                return Optional.empty();
            case SET_VRING_NUM: {
                SetVringNum n = (SetVringNum) m;
                runtime.setNum(n.index(), n.num());
                return Optional.empty();
            }
            case SET_VRING_ADDR:
                runtime.setAddress(((SetVringAddr) m).address());
                return Optional.empty();
            case SET_VRING_BASE: {
                SetVringBase b = (SetVringBase) m;
                runtime.setBase(b.index(), b.base());
                return Optional.empty();
            }
            case GET_VRING_BASE: {
                int index = ((GetVringBase) m).index();
                return reply(VhostUserReplies.vringState(m.request(), index, runtime.stop(index)));
            }
            case SET_VRING_KICK:
            case SET_VRING_CALL:
            case SET_VRING_ERR:
                vringFd((SetVringFd) m);
                return Optional.empty();
            case SET_VRING_ENABLE: {
                SetVringEnable e = (SetVringEnable) m;
                runtime.setEnabled(e.index(), e.enable());
                return Optional.empty();
            }
            case SET_BACKEND_REQ_FD:
                Native.close(backendReqFd);
                backendReqFd = ((SetBackendReqFd) m).fd();
                return Optional.empty();
            case GET_CONFIG:
                return reply(config((GetConfig) m));
            case SET_CONFIG: {
                SetConfig c = (SetConfig) m;
                if (c.offset() + c.data().length > runtime.configSpace().remaining()) {
                    throw new IllegalArgumentException("SET_CONFIG past the 16-byte config space");
                }
                // events_clear only matters with events_read, which this device never raises.
                return Optional.empty();
            }
            case GPU_SET_SOCKET:
                runtime.setDisplaySocket(((GpuSetSocket) m).fd());
                return Optional.empty();
            default:
                throw new IllegalStateException("no handler for " + m.request());
        }
    }

    private void vringFd(SetVringFd m) {
        int fd = m.fd();
        try {
            switch (m.request()) {
                case SET_VRING_KICK:
                    fd = -1; // start() owns it now, also on failure
                    runtime.start(m.index(), m.fd());
                    break;
                case SET_VRING_CALL:
                    runtime.setCall(m.index(), fd);
                    break;
                default:
                    runtime.setErr(m.index(), fd);
                    break;
            }
        } catch (RuntimeException e) {
            if (fd >= 0 && m.request() != VhostUserRequest.SET_VRING_KICK) {
                Native.close(fd);
            }
            throw e;
        }
    }

    private ByteBuffer config(GetConfig c) {
        ByteBuffer space = runtime.configSpace();
        if (c.offset() + c.size() > space.remaining()) {
            LOG.warning(name + ": GET_CONFIG of " + c.size() + " bytes at " + c.offset() + " past the config space");
            return VhostUserReplies.config(c.offset(), c.flags(), new byte[0]);
        }
        byte[] data = new byte[c.size()];
        space.get(c.offset(), data);
        return VhostUserReplies.config(c.offset(), c.flags(), data);
    }

    private static Optional<ByteBuffer> reply(ByteBuffer b) {
        return Optional.of(b);
    }

    /** Stops the rings and the display socket, closes the device, memory and the socket. */
    @Override
    public void close() {
        runtime.close();
        Native.close(backendReqFd);
        backendReqFd = -1;
        socket.close();
    }
}
