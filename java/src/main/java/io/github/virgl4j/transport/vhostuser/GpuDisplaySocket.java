package io.github.virgl4j.transport.vhostuser;

import io.github.virgl4j.device.CursorState;
import io.github.virgl4j.device.DisplayListener;
import io.github.virgl4j.device.Frame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.logging.Logger;

/**
 * Our end of the vhost-user-gpu display socket (GPU_SET_SOCKET): it negotiates the protocol
 * features, asks QEMU for its display configuration (and EDID, when QEMU offers it), then shows
 * the device's output to QEMU without any dmabuf — llvmpipe cannot export one — as SCANOUT
 * (size) and UPDATE (x8r8g8b8 pixels read back on each flush), plus cursor messages.
 *
 * <p>It is a {@link DisplayListener}: the device's queue threads only enqueue, a writer thread
 * sends (so a slow QEMU never stalls the guest's virtqueue), and frames are coalesced per
 * scanout (only the newest unsent frame is kept). A reader thread takes QEMU's replies. When
 * QEMU closes the socket — it does whenever the driver resets the device — everything pending
 * is dropped quietly; the next GPU_SET_SOCKET brings a new socket.
 */
public final class GpuDisplaySocket implements DisplayListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GpuDisplaySocket.class.getName());
    /** How long to wait for each of QEMU's replies during the handshake. */
    static final long REPLY_TIMEOUT_MS = 5000;
    /** Largest UPDATE message; bigger frames go in stripes of whole rows. */
    static final int MAX_UPDATE_BYTES = 4 << 20;
    /** EDID reply: virtio_gpu_resp_edid (24-byte header, size u32, padding u32, 1024 bytes). */
    static final int EDID_REPLY_SIZE = 24 + 8 + 1024;
    static final int OK_EDID = 0x1104;
    private static final int MAX_SCANOUTS = 16;

    private final MessageSocket socket;
    private final String name;
    private final Map<Integer, CompletableFuture<ByteBuffer>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<DisplayInfo> displayInfo = new CompletableFuture<>();
    private final BlockingQueue<Object> outgoing = new LinkedBlockingQueue<>();
    private final AtomicReferenceArray<Frame> latest = new AtomicReferenceArray<>(MAX_SCANOUTS);
    private final long[] sentSize = new long[MAX_SCANOUTS];
    private final Thread reader;
    private final Thread writer;
    private volatile long protocolFeatures;
    private volatile byte[] edid;
    private volatile boolean closed;
    private volatile long framesSent;

    private record Flush(int scanoutId) {
    }

    private record Disable(int scanoutId) {
    }

    private static final Object STOP = new Object();

    /** Takes ownership of {@code fd} and starts the handshake. */
    public GpuDisplaySocket(int fd, String name) {
        this.socket = new MessageSocket(fd, 64 * 1024);
        this.name = name;
        this.reader = new Thread(this::readLoop, name + "-display-reader");
        this.writer = new Thread(this::writeLoop, name + "-display-writer");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    /** QEMU's display configuration; fails if QEMU does not answer. */
    public CompletableFuture<DisplayInfo> displayInfo() {
        return displayInfo;
    }

    /** The protocol features both sides agreed on (after the handshake). */
    public long protocolFeatures() {
        return protocolFeatures;
    }

    /** QEMU's EDID blob for scanout 0, when it supports GET_EDID and answered. */
    public Optional<byte[]> edid() {
        byte[] e = edid;
        return e == null ? Optional.empty() : Optional.of(e.clone());
    }

    public boolean isClosed() {
        return closed;
    }

    /** UPDATE messages sent so far (frames, not stripes). */
    public long framesSent() {
        return framesSent;
    }

    // ---- DisplayListener: called on queue threads; only enqueue ----

    @Override
    public void onFrame(Frame frame) {
        int id = frame.scanoutId();
        if (closed || id < 0 || id >= MAX_SCANOUTS) {
            return;
        }
        if (latest.getAndSet(id, frame) == null) {
            outgoing.add(new Flush(id));
        }
    }

    @Override
    public void onScanoutDisabled(int scanoutId) {
        if (!closed && scanoutId >= 0 && scanoutId < MAX_SCANOUTS) {
            latest.set(scanoutId, null);
            outgoing.add(new Disable(scanoutId));
        }
    }

    @Override
    public void onCursor(CursorState cursor) {
        if (!closed && cursor.scanoutId() >= 0 && cursor.scanoutId() < MAX_SCANOUTS) {
            try {
                outgoing.add(VhostGpuMessages.cursor(cursor));
            } catch (IllegalArgumentException e) {
                LOG.fine(name + ": cursor not sent: " + e.getMessage());
            }
        }
    }

    // ---- reader ----

    private void readLoop() {
        try {
            while (!closed) {
                RawMessage m = socket.read();
                for (int fd : m.fds()) {
                    Native.close(fd); // QEMU sends no descriptors to back ends here
                }
                if (!m.header().isReply()) {
                    LOG.warning(name + ": ignoring display-socket request " + m.header().request() + " from QEMU");
                    continue;
                }
                CompletableFuture<ByteBuffer> f = pending.remove(m.header().request());
                if (f == null) {
                    // DMABUF_UPDATE acks and late replies after a timeout end up here.
                    LOG.fine(name + ": unexpected display-socket reply " + m.header().request());
                } else {
                    f.complete(m.payload());
                }
            }
        } catch (SessionEndException e) {
            if (!closed) {
                LOG.info(name + ": display socket closed by QEMU (" + e.end.detail() + ")");
            }
        } finally {
            markClosed();
        }
    }

    private void markClosed() {
        closed = true;
        IllegalStateException gone = new IllegalStateException("display socket closed");
        pending.values().forEach(f -> f.completeExceptionally(gone));
        pending.clear();
        displayInfo.completeExceptionally(gone);
        outgoing.add(STOP);
    }

    private ByteBuffer request(ByteBuffer message, VhostGpuRequest r) throws Exception {
        CompletableFuture<ByteBuffer> f = new CompletableFuture<>();
        pending.put(r.code(), f);
        if (!send(message)) {
            pending.remove(r.code());
            throw new IllegalStateException("display socket write failed");
        }
        try {
            return f.get(REPLY_TIMEOUT_MS, TimeUnit.MILLISECONDS).order(ByteOrder.nativeOrder());
        } finally {
            pending.remove(r.code(), f);
        }
    }

    // ---- writer ----

    private void handshake() {
        try {
            ByteBuffer pf = request(VhostGpuMessages.empty(VhostGpuRequest.GET_PROTOCOL_FEATURES),
                    VhostGpuRequest.GET_PROTOCOL_FEATURES);
            long offered = pf.remaining() == 8 ? pf.getLong(0) : 0;
            long agreed = offered & (1L << VhostGpuRequest.PROTOCOL_F_EDID);
            send(VhostGpuMessages.setProtocolFeatures(agreed));
            protocolFeatures = agreed;
            DisplayInfo info = DisplayInfo.parse(request(VhostGpuMessages.empty(VhostGpuRequest.GET_DISPLAY_INFO),
                    VhostGpuRequest.GET_DISPLAY_INFO).order(ByteOrder.LITTLE_ENDIAN));
            displayInfo.complete(info);
            LOG.info(name + ": QEMU display: " + info.preferred().map(r -> r.w() + "x" + r.h()).orElse("none")
                    + ", " + info.scanouts() + " scanout(s), protocol features 0x" + Long.toHexString(agreed));
            if ((agreed & (1L << VhostGpuRequest.PROTOCOL_F_EDID)) != 0) {
                ByteBuffer e = request(VhostGpuMessages.getEdid(0), VhostGpuRequest.GET_EDID).order(ByteOrder.LITTLE_ENDIAN);
                if (e.remaining() == EDID_REPLY_SIZE && e.getInt(0) == OK_EDID
                        && Integer.compareUnsigned(e.getInt(24), 1024) <= 0) {
                    byte[] blob = new byte[e.getInt(24)];
                    e.get(32, blob);
                    edid = blob;
                } else {
                    LOG.warning(name + ": malformed EDID reply of " + e.remaining() + " bytes ignored");
                }
            }
        } catch (TimeoutException e) {
            LOG.warning(name + ": QEMU did not answer the display handshake within " + REPLY_TIMEOUT_MS + " ms");
            displayInfo.completeExceptionally(e);
        } catch (ExecutionException | RuntimeException e) {
            LOG.warning(name + ": display handshake failed: " + e);
            displayInfo.completeExceptionally(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            displayInfo.completeExceptionally(e);
        } catch (Exception e) {
            displayInfo.completeExceptionally(e);
        }
    }

    private void writeLoop() {
        handshake();
        try {
            while (true) {
                Object item = outgoing.take();
                if (item == STOP || closed) {
                    return;
                }
                if (item instanceof ByteBuffer b) {
                    send(b);
                } else if (item instanceof Flush f) {
                    Frame frame = latest.getAndSet(f.scanoutId(), null);
                    if (frame != null) {
                        sendFrame(frame);
                    }
                } else if (item instanceof Disable d) {
                    sentSize[d.scanoutId()] = 0;
                    send(VhostGpuMessages.scanout(d.scanoutId(), 0, 0));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendFrame(Frame f) {
        long size = (long) f.width() << 32 | f.height();
        if (sentSize[f.scanoutId()] != size) {
            // QEMU composites UPDATEs into the surface SCANOUT creates: it must come first.
            if (!send(VhostGpuMessages.scanout(f.scanoutId(), f.width(), f.height()))) {
                return;
            }
            sentSize[f.scanoutId()] = size;
        }
        int rowsPerMessage = Math.max(1, (MAX_UPDATE_BYTES - VhostGpuMessages.UPDATE_HEADER) / (f.width() * 4));
        for (int y = 0; y < f.height(); y += rowsPerMessage) {
            if (!send(VhostGpuMessages.update(f, y, Math.min(rowsPerMessage, f.height() - y)))) {
                return;
            }
        }
        framesSent++;
    }

    private boolean send(ByteBuffer message) {
        if (closed) {
            return false;
        }
        if (!socket.write(message)) {
            if (!closed) {
                LOG.info(name + ": display socket write failed; QEMU has closed it");
            }
            closed = true;
            return false;
        }
        return true;
    }

    /** Stops both threads and closes the socket. Idempotent. */
    @Override
    public void close() {
        closed = true;
        outgoing.add(STOP);
        socket.shutdown();
        try {
            writer.join(2000);
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
    }
}
