package io.github.virgl4j.transport.vhostuser;

import static io.github.virgl4j.transport.vhostuser.TestFrontEnd.NEED_REPLY;
import static io.github.virgl4j.transport.vhostuser.TestFrontEnd.V1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.device.virtqueue.DriverSideQueue;
import io.github.virgl4j.device.protocol.GpuFeatures;
import io.github.virgl4j.renderer.Renderer;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: a back end on its own thread, a {@link TestFrontEnd} in front of it, guest RAM
 * in a memfd with the two rings laid out by {@link DriverSideQueue}, eventfds for kicks and
 * calls, and a {@link FakeQemuDisplay} — set up with the message sequence QEMU 10 sends for
 * {@code vhost-user-gpu-pci} (protocol-facts.md).
 */
final class QemuSession implements AutoCloseable {
    static final long GUEST_BASE = 0x10_0000L;
    static final long USER_BASE = 0x7f12_3400_0000L;
    static final int RAM = 1 << 20;
    static final int RING_SIZE = 64;
    static final int RING_AREA = 256 << 10;

    final TestFrontEnd fe = new TestFrontEnd();
    final TestGuestRam ram = new TestGuestRam(GUEST_BASE, USER_BASE, RAM);
    final FakeQemuDisplay qemuDisplay;
    final VhostUserGpuBackend backend;
    final CompletableFuture<SessionEnd> end = new CompletableFuture<>();
    final DriverSideQueue[] queues = new DriverSideQueue[2];
    final int[] kick = new int[2];
    final int[] call = new int[2];
    final int[] err = new int[2];
    long offeredFeatures;

    QemuSession(Renderer renderer, DisplayInfo qemuSays) {
        qemuDisplay = new FakeQemuDisplay(qemuSays);
        backend = new VhostUserGpuBackend(fe.backendFd, BackendOptions.of(renderer).withName("test-vgpu"));
        Thread t = new Thread(() -> end.complete(backend.serve()), "test-backend");
        t.setDaemon(true);
        t.start();
        for (int i = 0; i < 2; i++) {
            kick[i] = Native.eventfd();
            call[i] = Native.eventfd();
            err[i] = Native.eventfd();
            queues[i] = new DriverSideQueue(ram.memory, GUEST_BASE + (long) i * RING_AREA, RING_SIZE, RING_AREA);
        }
    }

    static long availAddr(DriverSideQueue q) {
        return q.descAddr + 16L * RING_SIZE;
    }

    static long usedAddr(DriverSideQueue q) {
        return (availAddr(q) + 6 + 2L * RING_SIZE + 4095) & -4096L;
    }

    /** The negotiation and setup QEMU 10 does before the guest's first kick. */
    void setUp() throws Exception {
        offeredFeatures = fe.getU64(VhostUserRequest.GET_FEATURES);
        long proto = fe.getU64(VhostUserRequest.GET_PROTOCOL_FEATURES);
        fe.send(VhostUserRequest.SET_PROTOCOL_FEATURES, V1, TestFrontEnd.u64(proto));
        assertEquals(2, fe.getU64(VhostUserRequest.GET_QUEUE_NUM));
        assertEquals(32, fe.getU64(VhostUserRequest.GET_MAX_MEM_SLOTS));
        int[] pair = new int[2];
        assertEquals(0, Native.socketpair(pair));
        Native.close(pair[0]);
        assertEquals(0, fe.acked(VhostUserRequest.SET_BACKEND_REQ_FD, null, pair[1]));
        Native.close(pair[1]);
        assertEquals(0, fe.acked(VhostUserRequest.SET_OWNER, null));
        for (int i = 0; i < 2; i++) {
            assertEquals(0, fe.acked(VhostUserRequest.SET_VRING_CALL, TestFrontEnd.u64(i), call[i]));
            assertEquals(0, fe.acked(VhostUserRequest.SET_VRING_ERR, TestFrontEnd.u64(i), err[i]));
        }
        ByteBuffer cfg = getConfig();
        assertEquals(16, cfg.getInt(4));
        fe.send(VhostUserRequest.GPU_SET_SOCKET, NEED_REPLY, null, qemuDisplay.backendFd);
        assertEquals(0, fe.expectReply(VhostUserRequest.GPU_SET_SOCKET, 8).getLong(0));
        Native.close(qemuDisplay.backendFd);
        long want = offeredFeatures & (GpuFeatures.mask(GpuFeatures.VIRGL) | GpuFeatures.mask(GpuFeatures.EDID)
                | GpuFeatures.mask(GpuFeatures.VIRTIO_F_VERSION_1) | GpuFeatures.mask(GpuFeatures.RESOURCE_UUID)
                | (1L << ProtocolFeatures.F_PROTOCOL_FEATURES));
        assertEquals(0, fe.acked(VhostUserRequest.SET_FEATURES, TestFrontEnd.u64(want)));
        assertEquals(0, fe.acked(VhostUserRequest.ADD_MEM_REG, TestFrontEnd.region(GUEST_BASE, RAM, USER_BASE, 0), ram.fd));
        for (int i = 0; i < 2; i++) {
            DriverSideQueue q = queues[i];
            assertEquals(0, fe.acked(VhostUserRequest.SET_VRING_NUM, TestFrontEnd.state(i, RING_SIZE)));
            assertEquals(0, fe.acked(VhostUserRequest.SET_VRING_BASE, TestFrontEnd.state(i, 0)));
            assertEquals(0, fe.acked(VhostUserRequest.SET_VRING_ADDR, TestFrontEnd.vringAddr(i,
                    ram.user(q.descAddr), ram.user(usedAddr(q)), ram.user(availAddr(q)))));
            assertEquals(0, fe.acked(VhostUserRequest.SET_VRING_KICK, TestFrontEnd.u64(i), kick[i]));
            assertEquals(0, fe.acked(VhostUserRequest.SET_VRING_ENABLE, TestFrontEnd.state(i, 1)));
        }
    }

    /**
     * What QEMU does when the driver sets DRIVER_OK again (driver reload, reboot): a new
     * display socket, then the rings restarted from {@code bases}.
     */
    void restart(FakeQemuDisplay newDisplay, int... bases) throws Exception {
        fe.send(VhostUserRequest.GPU_SET_SOCKET, NEED_REPLY, null, newDisplay.backendFd);
        assertEquals(0, fe.expectReply(VhostUserRequest.GPU_SET_SOCKET, 8).getLong(0));
        Native.close(newDisplay.backendFd);
        for (int i = 0; i < 2; i++) {
            DriverSideQueue q = queues[i];
            assertEquals(0, fe.acked(VhostUserRequest.SET_VRING_NUM, TestFrontEnd.state(i, RING_SIZE)));
            assertEquals(0, fe.acked(VhostUserRequest.SET_VRING_BASE, TestFrontEnd.state(i, bases[i])));
            assertEquals(0, fe.acked(VhostUserRequest.SET_VRING_ADDR, TestFrontEnd.vringAddr(i,
                    ram.user(q.descAddr), ram.user(usedAddr(q)), ram.user(availAddr(q)))));
            int k = Native.eventfd();
            assertEquals(0, fe.acked(VhostUserRequest.SET_VRING_KICK, TestFrontEnd.u64(i), k));
            Native.close(kick[i]);
            kick[i] = k;
            assertEquals(0, fe.acked(VhostUserRequest.SET_VRING_ENABLE, TestFrontEnd.state(i, 1)));
        }
    }

    /** GET_CONFIG of the 16-byte virtio_gpu_config; returns the reply payload. */
    ByteBuffer getConfig() throws Exception {
        ByteBuffer p = TestFrontEnd.payload(12 + 16);
        p.putInt(0, 0).putInt(4, 16).putInt(8, 0);
        fe.send(VhostUserRequest.GET_CONFIG, V1, p);
        return fe.expectReply(VhostUserRequest.GET_CONFIG, 28);
    }

    /** Kicks ring i and waits until its used.idx reaches {@code usedIdx} and the call eventfd fired. */
    void kickAndWait(int i, int usedIdx) throws Exception {
        assertEquals(0, Native.eventfdWrite(kick[i], 1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (queues[i].usedIdx() != usedIdx && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(usedIdx, queues[i].usedIdx(), "used.idx of ring " + i);
        short[] ready = new short[1];
        assertTrue(Native.pollIn(new int[] {call[i]}, ready, 5000) > 0, "call eventfd of ring " + i + " fired");
        assertTrue(Native.eventfdRead(call[i]) >= 1);
    }

    /** GET_VRING_BASE: stops ring i; returns the base the back end reports. */
    int stopRing(int i) throws Exception {
        fe.send(VhostUserRequest.GET_VRING_BASE, V1, TestFrontEnd.state(i, 0));
        ByteBuffer s = fe.expectReply(VhostUserRequest.GET_VRING_BASE, 8);
        assertEquals(i, s.getInt(0));
        return s.getInt(4);
    }

    /** Hangs up and returns how the back end saw the session end. */
    SessionEnd hangUp() throws Exception {
        fe.close();
        return end.get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        fe.close();
        try {
            end.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            backend.stop();
        }
        backend.close();
        qemuDisplay.close();
        for (int i = 0; i < 2; i++) {
            Native.close(kick[i]);
            Native.close(call[i]);
            Native.close(err[i]);
        }
        ram.close();
    }
}
