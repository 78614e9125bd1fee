package io.github.virgl4j.transport.vhostuser;

import io.github.virgl4j.device.GpuConfig;
import io.github.virgl4j.device.QueueProcessor;
import io.github.virgl4j.device.VirtioGpu;
import io.github.virgl4j.device.protocol.GpuFeatures;
import io.github.virgl4j.device.protocol.Rect;
import io.github.virgl4j.device.virtqueue.SplitVirtqueue;
import io.github.virgl4j.device.virtqueue.VirtqueueException;
import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The device side of a session: the {@link VirtioGpu}, its two rings (controlq 0, cursorq 1)
 * with their workers, guest memory, and the current display socket. Ring life follows
 * vhost-user's "Ring states": a ring starts on SET_VRING_KICK, is served only while enabled, and
 * stops on GET_VRING_BASE after its in-flight requests have returned. When every ring has
 * stopped the device is reset (the driver is resetting it) and removed memory is unmapped.
 *
 * <p>The device is (re)built lazily on the first kick after a reset, sized by QEMU's answer to
 * the display socket's GET_DISPLAY_INFO; waiting for that answer happens outside the lock so
 * the vhost-user thread keeps serving QEMU meanwhile.
 */
final class DeviceRuntime implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DeviceRuntime.class.getName());
    static final int QUEUES = 2;
    static final long DRAIN_MS = 5000;

    private final BackendOptions options;
    final GuestMemoryMap memory;
    private final Vring[] rings = new Vring[QUEUES];
    private final Object lock = new Object();
    private VirtioGpu gpu;
    private boolean deviceInUse;
    private volatile GpuDisplaySocket display;
    private long ackedFeatures;
    private boolean undrained;

    /** Routes device output to the current display socket and the user's listener. */
    private final DisplayRouter router;

    DeviceRuntime(BackendOptions options) {
        this.options = options;
        this.router = new DisplayRouter(() -> display, options.display());
        this.memory = new GuestMemoryMap(options.maxMemSlots());
        for (int i = 0; i < QUEUES; i++) {
            rings[i] = new Vring(i);
        }
        this.gpu = build(options.config());
    }

    private VirtioGpu build(GpuConfig config) {
        return VirtioGpu.builder(memory.memory()).config(config).renderer(options.renderer())
                .display(router).name(options.name()).tap(options.taps().apply(config)).build();
    }

    /** The device's features plus the ring features our virtqueue supports and bit 30. */
    long offeredFeatures() {
        synchronized (lock) {
            return gpu.features() | GpuFeatures.mask(GpuFeatures.VIRTIO_RING_F_INDIRECT_DESC)
                    | GpuFeatures.mask(GpuFeatures.VIRTIO_RING_F_EVENT_IDX)
                    | GpuFeatures.mask(GpuFeatures.VIRTIO_F_VERSION_1)
                    | ProtocolFeatures.bit(ProtocolFeatures.F_PROTOCOL_FEATURES);
        }
    }

    void setAckedFeatures(long features) {
        synchronized (lock) {
            ackedFeatures = features;
            for (Vring r : rings) {
                if (r.queue != null) {
                    r.queue.setEventIdx(eventIdx());
                }
            }
        }
    }

    private boolean eventIdx() {
        return GpuFeatures.has(ackedFeatures, GpuFeatures.VIRTIO_RING_F_EVENT_IDX);
    }

    ByteBuffer configSpace() {
        synchronized (lock) {
            return gpu.configSpace();
        }
    }

    VirtioGpu gpu() {
        synchronized (lock) {
            return gpu;
        }
    }

    GpuDisplaySocket display() {
        return display;
    }

    /** GPU_SET_SOCKET: a new display socket replaces the old one. */
    void setDisplaySocket(int fd) {
        GpuDisplaySocket old = display;
        display = new GpuDisplaySocket(fd, options.name());
        if (old != null) {
            old.close();
        }
    }

    Vring ring(int index) {
        if (index < 0 || index >= QUEUES) {
            throw new IllegalArgumentException("ring index " + Integer.toUnsignedString(index) + " (this device has "
                    + QUEUES + ")");
        }
        return rings[index];
    }

    void setNum(int index, int num) {
        synchronized (lock) {
            Vring r = stoppedRing(index);
            if (num < 1 || num > SplitVirtqueue.MAX_SIZE || Integer.bitCount(num) != 1) {
                throw new IllegalArgumentException("ring size " + Integer.toUnsignedString(num) + " is not a power of two <= 32768");
            }
            r.num = num;
        }
    }

    void setBase(int index, int base) {
        synchronized (lock) {
            Vring r = stoppedRing(index);
            if (base < 0 || base > 0xffff) {
                throw new IllegalArgumentException("ring base " + Integer.toUnsignedString(base) + " is not a u16");
            }
            r.base = base;
        }
    }

    void setAddress(VringAddress a) {
        synchronized (lock) {
            Vring r = stoppedRing(a.index());
            if ((a.flags() & VringAddress.F_LOG) != 0) {
                throw new IllegalArgumentException("used-ring logging (VHOST_VRING_F_LOG) is not supported");
            }
            // Checked now, so a bad address is refused to the message that carried it.
            translate(a, Math.max(r.num, 1));
            r.address = a;
        }
    }

    private record GuestRings(long desc, long avail, long used) {
    }

    private GuestRings translate(VringAddress a, int num) {
        return new GuestRings(guest("descriptor table", a.desc(), 16L * num),
                guest("available ring", a.avail(), 6 + 2L * num), guest("used ring", a.used(), 6 + 8L * num));
    }

    private long guest(String what, long user, long length) {
        OptionalLong g = memory.userToGuest(user, length);
        if (g.isEmpty()) {
            throw new IllegalArgumentException(String.format("%s at user address 0x%x (+%d) is outside guest memory",
                    what, user, length));
        }
        return g.getAsLong();
    }

    private Vring stoppedRing(int index) {
        Vring r = ring(index);
        if (r.started) {
            throw new IllegalStateException("ring " + index + " is running (GET_VRING_BASE stops it)");
        }
        return r;
    }

    void setEnabled(int index, boolean on) {
        Vring r = ring(index);
        r.enabled = on;
        synchronized (lock) {
            if (on && r.worker != null) {
                r.worker.wake();
            }
        }
    }

    void setCall(int index, int fd) {
        ring(index).replaceCall(fd);
    }

    void setErr(int index, int fd) {
        ring(index).replaceErr(fd);
    }

    /**
     * SET_VRING_KICK: makes the ring's virtqueue over guest memory and starts its worker.
     * Takes the descriptor (closes it on failure).
     */
    void start(int index, int kickFd) {
        Vring r;
        try {
            r = ring(index);
        } catch (IllegalArgumentException e) {
            Native.close(kickFd);
            throw e;
        }
        stopWorker(r);
        synchronized (lock) {
            r.started = false;
            r.replaceKick(-1);
            GuestRings g;
            SplitVirtqueue q;
            try {
                if (r.num == 0 || r.address == null) {
                    throw new IllegalStateException("ring " + index + " kicked before SET_VRING_NUM and SET_VRING_ADDR");
                }
                g = translate(r.address, r.num);
                q = new SplitVirtqueue(memory.memory(), r.num, g.desc(), g.avail(), g.used());
            } catch (VirtqueueException e) {
                Native.close(kickFd);
                r.signalError();
                throw new IllegalArgumentException("ring " + index + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                Native.close(kickFd);
                throw e;
            }
            r.replaceKick(kickFd);
            q.setLastAvailIdx(r.base);
            q.setEventIdx(eventIdx());
            r.queue = q;
            r.availAtStart = r.base;
            r.usedAtStart = q.usedIdx();
            r.processor = null;
            r.started = true;
            r.worker = new KickWorker(options.name() + "-vq" + index, r.kickFd, () -> service(r));
            r.worker.start();
            LOG.info(String.format("%s: ring %d started: size %d, base %d, desc 0x%x avail 0x%x used 0x%x%s", options.name(),
                    index, r.num, r.base, g.desc(), g.avail(), g.used(), eventIdx() ? ", event idx" : ""));
        }
    }

    /**
     * Runs on the ring's worker: builds the device/processor if needed, then serves one round
     * of the ring. True when the driver published more meanwhile (maybe without a kick,
     * §2.7.10): the worker runs another round after checking for stop, so a driver that never
     * stops publishing cannot hold the ring's worker.
     */
    private boolean service(Vring r) {
        QueueProcessor p = r.processor;
        if (p == null) {
            waitForDisplayInfo();
            synchronized (lock) {
                if (!r.started || r.queue == null) {
                    return false;
                }
                if (!deviceInUse) {
                    resize();
                    deviceInUse = true;
                }
                p = new QueueProcessor(gpu, r.queue, r::interrupt);
                r.processor = p;
            }
        }
        if (!r.enabled) {
            return false;
        }
        boolean wasBroken = p.isBroken();
        p.process();
        if (!wasBroken && p.isBroken()) {
            LOG.warning(options.name() + ": ring " + r.index + " is broken; told QEMU through the error eventfd");
            r.signalError();
        }
        return p.hasPending();
    }

    private void waitForDisplayInfo() {
        GpuDisplaySocket d = display;
        if (d == null || options.displayWaitMs() == 0) {
            return;
        }
        try {
            d.displayInfo().get(options.displayWaitMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.fine(options.name() + ": no display info from QEMU: " + e);
        }
    }

    /** Sizes the (unused) device by QEMU's display info; holds the lock. */
    private void resize() {
        GpuDisplaySocket d = display;
        if (d == null || !d.displayInfo().isDone() || d.displayInfo().isCompletedExceptionally()) {
            return;
        }
        DisplayInfo info = d.displayInfo().join();
        GpuConfig want = options.config();
        if (info.preferred().isPresent()) {
            Rect rect = info.preferred().get();
            want = want.withSize(rect.w(), rect.h());
        }
        want = want.withScanouts(info.scanouts());
        if (!want.equals(gpu.config())) {
            LOG.info(options.name() + ": device sized by QEMU: " + want.width() + "x" + want.height() + ", "
                    + want.scanouts() + " scanout(s)");
            gpu.close();
            gpu = build(want);
        }
    }

    private void stopWorker(Vring r) {
        KickWorker w;
        synchronized (lock) {
            w = r.worker;
            r.worker = null;
        }
        if (w != null) {
            w.close();
        }
    }

    /**
     * GET_VRING_BASE: stops the ring, waits (bounded) for its in-flight requests, and returns
     * the next available index. When no ring runs any more the device is reset.
     */
    int stop(int index) {
        Vring r = ring(index);
        stopWorker(r);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MS);
        while (r.inFlight() > 0 && System.nanoTime() < deadline) {
            sleep(1);
        }
        synchronized (lock) {
            if (r.inFlight() > 0) {
                undrained = true;
                LOG.warning(options.name() + ": ring " + index + " still has " + r.inFlight()
                        + " request(s) in flight after " + DRAIN_MS + " ms");
            }
            int base = r.queue != null ? r.queue.lastAvailIdx() : r.base;
            r.base = base;
            r.started = false;
            r.queue = null;
            r.processor = null;
            r.replaceKick(-1);
            LOG.info(options.name() + ": ring " + index + " stopped at avail index " + base);
            if (!anyStarted() && deviceInUse) {
                resetDevice();
            }
            return base;
        }
    }

    private boolean anyStarted() {
        for (Vring x : rings) {
            if (x.started) {
                return true;
            }
        }
        return false;
    }

    /** Holds the lock; every ring stopped. */
    private void resetDevice() {
        LOG.info(options.name() + ": all rings stopped; device reset after " + gpu.metrics());
        gpu.reset();
        deviceInUse = false;
        if (!undrained) {
            memory.releaseRetired();
        }
    }

    /** RESET_OWNER / RESET_DEVICE: stop every ring and reset the device. */
    void stopAll() {
        for (int i = 0; i < QUEUES; i++) {
            if (rings[i].started) {
                stop(i);
            }
        }
        synchronized (lock) {
            if (deviceInUse) {
                resetDevice();
            }
            for (Vring r : rings) {
                r.enabled = false;
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the session: workers, display socket, device, memory (if nothing is in flight), fds. */
    @Override
    public void close() {
        for (Vring r : rings) {
            stopWorker(r);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        boolean drained;
        do {
            drained = true;
            for (Vring r : rings) {
                drained &= r.inFlight() == 0;
            }
        } while (!drained && System.nanoTime() < deadline && sleepTrue());
        GpuDisplaySocket d = display;
        display = null;
        if (d != null) {
            d.close();
        }
        synchronized (lock) {
            for (Vring r : rings) {
                r.started = false;
                r.queue = null;
                r.closeFds();
            }
            try {
                gpu.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing the device failed", e);
            }
            if (drained && !undrained) {
                memory.close();
            }
        }
    }

    private static boolean sleepTrue() {
        sleep(1);
        return true;
    }
}
