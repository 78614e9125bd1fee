package io.github.virgl4j.transport.vtest;

import static io.github.virgl4j.binding.global.virglrenderer.v4j_close;
import static io.github.virgl4j.binding.global.virglrenderer.v4j_mmap_shared;
import static io.github.virgl4j.binding.global.virglrenderer.v4j_munmap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.virgl4j.renderer.HostMemory;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared memory the server makes for RESOURCE_CREATE2 (protocol v2): a small one released by
 * its client is handed to that client's next resource of the same size, zeroed (up to
 * {@link SharedMemoryPool#MAX_POOLED} at once, as Mesa lets go of dozens of fence resources in one
 * go); a large one is never kept, nor is the server's fd of it once the client has its copy.
 */
class VtestSharedMemoryTest {
    private static Path dir;
    private static VtestServer server;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "vtest-shm");
        server = VtestServer.start(dir.resolve("s"), Renderer.open(RendererOptions.llvmpipe()), null, null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A side x side RGBA texture with side*side*4 bytes of shared memory; returns the fd received. */
    private static int create(VtestServerHostileTest.Client c, int handle, int side) throws IOException {
        c.sendDwords(VtestCommandId.RESOURCE_CREATE2.id(), handle, 2, 67, 2, side, side, 1, 1, 0, 0, side * side * 4);
        return c.receiveFd();
    }

    /** What the client sees through the fd: the memfd's name and inode. */
    private static String memfd(int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
    }

    /** The server's own memfds of vtest resources open in this process (the client's are closed). */
    private static long serverMemfds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).toString().contains("memfd:vtest-res");
                } catch (IOException e) {
                    return false; // closed while listing
                }
            }).count();
        }
    }

    private static void fill(int fd, int size, byte value, boolean check) {
        Pointer p = v4j_mmap_shared(fd, size, 0, 1);
        try {
            ByteBuffer b = HostMemory.view(p.address(), size);
            for (int i = 0; i < size; i++) {
                if (check) {
                    assertEquals(0, b.get(i), "byte " + i + " of a reused memory");
                }
                b.put(i, value);
            }
        } finally {
            v4j_munmap(p, size);
        }
    }

    @Test
    void aReleasedSmallMemoryIsReusedZeroedForTheNextResourceOfItsSize() throws IOException {
        try (VtestServerHostileTest.Client c = new VtestServerHostileTest.Client(server.path())) {
            int first = create(c, 1, 16);
            String name = memfd(first);
            fill(first, 1024, (byte) 0x5a, false);
            v4j_close(first);
            c.sendDwords(VtestCommandId.RESOURCE_UNREF.id(), 1);

            int second = create(c, 2, 16);
            try {
                assertEquals(name, memfd(second), "the same memfd (name and inode) again");
                fill(second, 1024, (byte) 1, true);
            } finally {
                v4j_close(second);
            }
            int other = create(c, 3, 8); // another size: a memory of its own
            try {
                assertNotEquals(name, memfd(other));
            } finally {
                v4j_close(other);
            }
            assertTrue(c.alive());
        }
    }

    @Test
    void aBurstOfReleasesIsKeptUpToThePoolLimitAndReusedByTheNextCreates() throws IOException {
        int n = SharedMemoryPool.MAX_POOLED + 22;
        awaitNoClients(); // another test's client gives its memories back when its session closes
        int heldBefore = SharedMemoryPool.openFdsOfAllClients();
        assumeTrue(SharedMemoryPool.MAX_OPEN_FDS_ALL >= heldBefore + n, "descriptor limit too low for this test");
        try (VtestServerHostileTest.Client c = new VtestServerHostileTest.Client(server.path())) {
            long before = serverMemfds();
            Set<String> released = new HashSet<>();
            for (int i = 0; i < n; i++) {
                int fd = createFence(c, 1000 + i);
                released.add(memfd(fd));
                v4j_close(fd);
            }
            for (int i = 0; i < n; i++) {
                c.sendDwords(VtestCommandId.RESOURCE_UNREF.id(), 1000 + i);
            }
            int reused = 0;
            for (int i = 0; i < n; i++) {
                int fd = createFence(c, 2000 + i);
                if (released.contains(memfd(fd))) {
                    reused++;
                }
                v4j_close(fd);
            }
            assertEquals(SharedMemoryPool.MAX_POOLED, reused, "memories reused out of " + n + " released at once");
            assertTrue(c.alive());
            assertEquals(n, serverMemfds() - before, "the server holds one fd per live small memory");
            assertEquals(heldBefore + n, SharedMemoryPool.openFdsOfAllClients());
        }
        awaitNoClients();
        assertEquals(heldBefore, SharedMemoryPool.openFdsOfAllClients(), "a gone client's fds are given back");
    }

    /** The render thread closes a session once it reads end of stream: waits for that. */
    private static void awaitNoClients() {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!server.devices().isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertTrue(server.devices().isEmpty(), "clients still connected: " + server.devices().size());
    }

    /** A fence resource as Mesa makes one; returns the fd received. */
    private static int createFence(VtestServerHostileTest.Client c, int handle) throws IOException {
        c.sendDwords(VtestCommandId.RESOURCE_CREATE2.id(), VtestServerHostileTest.Client.fenceResource(handle));
        return c.receiveFd();
    }

    @Test
    void largeMemoriesAreNeitherKeptNorHeldOpenByTheServer() throws IOException {
        try (VtestServerHostileTest.Client c = new VtestServerHostileTest.Client(server.path())) {
            long before = serverMemfds();
            String last = null;
            for (int i = 1; i <= 8; i++) {
                int fd = create(c, 100 + i, 256); // 256 KiB each
                String name = memfd(fd);
                assertNotEquals(last, name);
                last = name;
                v4j_close(fd);
                if (i % 2 == 0) {
                    c.sendDwords(VtestCommandId.RESOURCE_UNREF.id(), 100 + i);
                }
            }
            assertTrue(c.alive());
            assertEquals(before, serverMemfds(), "the server closed its fds of four live large memories");
        }
    }
}
