package io.github.virgl4j.transport.vhostuser;

import static io.github.virgl4j.transport.vhostuser.TestFrontEnd.NEED_REPLY;
import static io.github.virgl4j.transport.vhostuser.TestFrontEnd.V1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.device.virtqueue.DriverSideQueue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hostile or broken front end: malformed frames end the session with a typed reason,
 * malformed or invalid requests are refused with a non-zero REPLY_ACK while the back end keeps
 * serving, descriptors never leak, and guest memory outside what QEMU shared is never touched.
 * Runs a 2D-only device (no renderer) so each test starts fast.
 */
class VhostUserHostileTest {
    static final long GUEST = 0x20_0000L;
    static final long USER = 0x7f55_0000_0000L;
    static final int RAM = 1 << 20;

    TestFrontEnd fe;
    VhostUserGpuBackend backend;
    final CompletableFuture<SessionEnd> end = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        fe = new TestFrontEnd();
        backend = new VhostUserGpuBackend(fe.backendFd, BackendOptions.of(null).withName("hostile"));
        Thread t = new Thread(() -> end.complete(backend.serve()), "hostile-backend");
        t.setDaemon(true);
        t.start();
        fe.send(VhostUserRequest.SET_PROTOCOL_FEATURES, V1, TestFrontEnd.u64(ProtocolFeatures.OFFERED));
    }

    @AfterEach
    void stop() throws Exception {
        fe.close();
        end.get(10, TimeUnit.SECONDS);
        backend.close();
    }

    SessionEnd ended() throws Exception {
        return end.get(10, TimeUnit.SECONDS);
    }

    void stillServing() throws Exception {
        assertEquals(2, fe.getU64(VhostUserRequest.GET_QUEUE_NUM));
        assertFalse(end.isDone());
    }

    private static long nextMark = 0x5eed_0000L;

    /**
     * How many descriptors of this process refer to the same eventfd as {@code fd} (1: only fd
     * itself, so the back end kept none it was sent). Counts by the eventfd's identity in
     * /proc/self/fdinfo ("eventfd-id", or a count written to it first on kernels without ids),
     * not by the number of open descriptors, which other threads of the test JVM change.
     */
    static long copiesOf(int fd) throws IOException {
        String id = eventfdLine(fd, "eventfd-id:");
        if (id == null) {
            Native.eventfdWrite(fd, ++nextMark); // every copy shows the same count
            id = eventfdLine(fd, "eventfd-count:");
        }
        String key = id.substring(0, id.indexOf(':') + 1);
        long copies = 0;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fdinfo"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String line;
                try {
                    line = eventfdLine(Integer.parseInt(p.getFileName().toString()), key);
                } catch (IOException gone) {
                    continue; // closed meanwhile by another thread
                }
                if (id.equals(line)) {
                    copies++;
                }
            }
        }
        return copies;
    }

    private static String eventfdLine(int fd, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith(key)) {
                return line.replaceAll("\\s+", " ").trim();
            }
        }
        return null;
    }

    @Test
    void oversizedPayloadEndsTheSessionWithoutAllocating() throws Exception {
        fe.sendRaw(VhostUserRequest.SET_FEATURES.code(), V1, 0x7fff_fff0, TestFrontEnd.u64(1));
        SessionEnd e = ended();
        assertEquals(SessionEnd.Kind.PROTOCOL_ERROR, e.kind());
        assertEquals(2, e.kind().exitStatus());
        assertTrue(e.detail().contains("2147483632"), e.detail());
    }

    @Test
    void wrongVersionEndsTheSession() throws Exception {
        fe.sendRaw(VhostUserRequest.GET_FEATURES.code(), 2, 0, null);
        assertEquals(SessionEnd.Kind.PROTOCOL_ERROR, ended().kind());
    }

    @Test
    void hangingUpInsideAPayloadIsADisconnect() throws Exception {
        fe.sendRaw(VhostUserRequest.ADD_MEM_REG.code(), V1, 40, TestFrontEnd.u64(0));
        fe.close();
        SessionEnd e = ended();
        assertEquals(SessionEnd.Kind.DISCONNECTED, e.kind());
        assertEquals(1, e.kind().exitStatus());
    }

    @Test
    void badSizesAndUnknownRequestsAreNackedAndServingGoesOn() throws Exception {
        fe.sendRaw(VhostUserRequest.SET_VRING_NUM.code(), NEED_REPLY, 4, TestFrontEnd.payload(4));
        assertEquals(1, fe.expectReply(VhostUserRequest.SET_VRING_NUM, 8).getLong(0));
        fe.sendRaw(99, NEED_REPLY, 0, null);
        assertEquals(1, fe.expectReply(99, 8).getLong(0));
        assertEquals(1, fe.acked(VhostUserRequest.SET_VRING_NUM, TestFrontEnd.state(0, 3)));     // not a power of two
        assertEquals(1, fe.acked(VhostUserRequest.SET_VRING_NUM, TestFrontEnd.state(7, 64)));    // no ring 7
        assertEquals(1, fe.acked(VhostUserRequest.SET_VRING_BASE, TestFrontEnd.state(0, 0x10000)));
        assertEquals(1, fe.acked(VhostUserRequest.SET_PROTOCOL_FEATURES, TestFrontEnd.u64(1L << 14)));
        stillServing();
    }

    @Test
    void requestsThatMustBeAnsweredButCannotBeEndTheSession() throws Exception {
        fe.send(VhostUserRequest.GET_VRING_BASE, V1, TestFrontEnd.state(9, 0));
        SessionEnd e = ended();
        assertEquals(SessionEnd.Kind.PROTOCOL_ERROR, e.kind());
        assertTrue(e.detail().contains("ring index 9"), e.detail());
    }

    @Test
    void configReadsPastTheConfigSpaceGetTheEmptyErrorReply() throws Exception {
        ByteBuffer p = TestFrontEnd.payload(12 + 16);
        p.putInt(0, 8).putInt(4, 16);
        fe.send(VhostUserRequest.GET_CONFIG, V1, p);
        ByteBuffer r = fe.expectReply(VhostUserRequest.GET_CONFIG, 12);
        assertEquals(8, r.getInt(0));
        assertEquals(0, r.getInt(4));
        stillServing();
    }

    @Test
    void memoryRegionsMissingOverlappingWrappingOrPastTheFileAreRefused() throws Exception {
        try (TestGuestRam ram = new TestGuestRam(GUEST, USER, RAM)) {
            assertEquals(1, fe.acked(VhostUserRequest.ADD_MEM_REG, TestFrontEnd.region(GUEST, RAM, USER, 0)));
            // Larger than the memfd: mapping it would SIGBUS on first touch.
            assertEquals(1, fe.acked(VhostUserRequest.ADD_MEM_REG, TestFrontEnd.region(GUEST, 2L * RAM, USER, 0), ram.fd));
            assertEquals(1, fe.acked(VhostUserRequest.ADD_MEM_REG, TestFrontEnd.region(GUEST, RAM, USER, 4096), ram.fd));
            assertEquals(1, fe.acked(VhostUserRequest.ADD_MEM_REG, TestFrontEnd.region(-4096L, 8192, USER, 0), ram.fd));
            assertEquals(1, fe.acked(VhostUserRequest.ADD_MEM_REG, TestFrontEnd.region(GUEST, 0, USER, 0), ram.fd));
            assertEquals(0, fe.acked(VhostUserRequest.ADD_MEM_REG, TestFrontEnd.region(GUEST, RAM, USER, 0), ram.fd));
            // Same guest range, other user range; and the other way round.
            assertEquals(1, fe.acked(VhostUserRequest.ADD_MEM_REG,
                    TestFrontEnd.region(GUEST + 4096, 4096, USER + 0x1000_0000L, 0), ram.fd));
            assertEquals(1, fe.acked(VhostUserRequest.ADD_MEM_REG,
                    TestFrontEnd.region(GUEST + 0x1000_0000L, 4096, USER + 8192, 0), ram.fd));
            assertEquals(List.of(new MemoryRegionDescription(GUEST, RAM, USER, 0)), backend.memory().regions());
            // REM_MEM_REG of something never added fails; of the real region succeeds.
            assertEquals(1, fe.acked(VhostUserRequest.REM_MEM_REG, TestFrontEnd.region(GUEST, 4096, USER, 0)));
            assertEquals(0, fe.acked(VhostUserRequest.REM_MEM_REG, TestFrontEnd.region(GUEST, RAM, USER, 0)));
            assertEquals(List.of(), backend.memory().regions());
            assertEquals(1, backend.memory().retiredCount());
            stillServing();
        }
    }

    @Test
    void vringAddressesOutsideSharedMemoryAreRefused() throws Exception {
        try (TestGuestRam ram = new TestGuestRam(GUEST, USER, RAM)) {
            assertEquals(0, fe.acked(VhostUserRequest.ADD_MEM_REG, TestFrontEnd.region(GUEST, RAM, USER, 0), ram.fd));
            assertEquals(0, fe.acked(VhostUserRequest.SET_VRING_NUM, TestFrontEnd.state(0, 64)));
            assertEquals(1, fe.acked(VhostUserRequest.SET_VRING_ADDR, TestFrontEnd.vringAddr(0,
                    USER + RAM, USER + 8192, USER + 4096)));
            // A used ring that starts inside but runs past the end of the region.
            assertEquals(1, fe.acked(VhostUserRequest.SET_VRING_ADDR, TestFrontEnd.vringAddr(0,
                    USER, USER + RAM - 16, USER + 4096)));
            // Guest-physical addresses are not user addresses.
            assertEquals(1, fe.acked(VhostUserRequest.SET_VRING_ADDR, TestFrontEnd.vringAddr(0,
                    GUEST, GUEST + 8192, GUEST + 4096)));
            int kick = Native.eventfd();
            // Kick before a valid address: refused, and the descriptor is not kept.
            assertEquals(1, fe.acked(VhostUserRequest.SET_VRING_KICK, TestFrontEnd.u64(0), kick));
            assertEquals(1, fe.acked(VhostUserRequest.SET_VRING_KICK, TestFrontEnd.u64(5), kick));
            assertEquals(1, copiesOf(kick), "the back end kept a refused kick descriptor");
            Native.close(kick);
            stillServing();
        }
    }

    @Test
    void descriptorsOfRefusedMessagesAreClosed() throws Exception {
        int[] fds = {Native.eventfd(), Native.eventfd(), Native.eventfd()};
        for (int i = 0; i < 20; i++) {
            fe.send(VhostUserRequest.GET_QUEUE_NUM, V1, null, fds);           // no descriptors expected
            assertEquals(2, fe.expectReply(VhostUserRequest.GET_QUEUE_NUM, 8).getLong(0));
            fe.sendRaw(77, NEED_REPLY, 0, null, fds);                          // unknown request
            assertEquals(1, fe.expectReply(77, 8).getLong(0));
            assertEquals(1, fe.acked(VhostUserRequest.SET_VRING_CALL, TestFrontEnd.u64(3), fds[0]));  // no ring 3
        }
        for (int fd : fds) {
            assertEquals(1, copiesOf(fd), "the back end kept a descriptor of a refused message");
        }
        for (int fd : fds) {
            Native.close(fd);
        }
    }

    @Test
    void aCorruptRingIsReportedOnTheErrorEventfdAndTheBackEndStaysUp() throws Exception {
        try (TestGuestRam ram = new TestGuestRam(GUEST, USER, RAM)) {
            int kick = Native.eventfd();
            int err = Native.eventfd();
            DriverSideQueue q = new DriverSideQueue(ram.memory, GUEST, 64, RAM);
            long avail = q.descAddr + 16L * 64;
            long used = (avail + 6 + 2L * 64 + 4095) & -4096L;
            assertEquals(0, fe.acked(VhostUserRequest.ADD_MEM_REG, TestFrontEnd.region(GUEST, RAM, USER, 0), ram.fd));
            assertEquals(0, fe.acked(VhostUserRequest.SET_VRING_ERR, TestFrontEnd.u64(0), err));
            assertEquals(0, fe.acked(VhostUserRequest.SET_VRING_NUM, TestFrontEnd.state(0, 64)));
            assertEquals(0, fe.acked(VhostUserRequest.SET_VRING_ADDR, TestFrontEnd.vringAddr(0,
                    ram.user(q.descAddr), ram.user(used), ram.user(avail))));
            assertEquals(0, fe.acked(VhostUserRequest.SET_VRING_KICK, TestFrontEnd.u64(0), kick));
            assertEquals(0, fe.acked(VhostUserRequest.SET_VRING_ENABLE, TestFrontEnd.state(0, 1)));
            // A descriptor pointing far outside guest memory.
            q.writeDesc(q.descAddr, 0, 0x4000_0000_0000L, 4096, 0, 0);
            ram.memory.slice(avail + 4, 2).putShort(0, (short) 0);
            ram.memory.slice(avail, 4).putShort(2, (short) 1);
            assertEquals(0, Native.eventfdWrite(kick, 1));
            short[] ready = new short[1];
            assertTrue(Native.pollIn(new int[] {err}, ready, 10_000) > 0, "error eventfd fired");
            assertEquals(0, q.usedIdx());
            stillServing();
            fe.send(VhostUserRequest.GET_VRING_BASE, V1, TestFrontEnd.state(0, 0));
            assertEquals(0, fe.expectReply(VhostUserRequest.GET_VRING_BASE, 8).getInt(4));
            Native.close(kick);
            Native.close(err);
        }
    }
}
