package io.github.virgl4j.transport.vtest;

import static io.github.virgl4j.binding.global.virglrenderer.v4j_close;
import static io.github.virgl4j.binding.global.virglrenderer.v4j_mmap_shared;
import static io.github.virgl4j.binding.global.virglrenderer.v4j_munmap;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.device.DeviceMetrics;
import io.github.virgl4j.renderer.HostMemory;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererOptions;
import io.github.virgl4j.virgl.VirglCommands;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RESOURCE_BUSY_WAIT over several submits: the server fences once per run of submits (not once
 * per SUBMIT_CMD), and the answers still cover every submit before them.
 */
class VtestBusyWaitTest {
    private static final int SIDE = 256;
    private static final int TARGET = 1;
    private static Path dir;
    private static Renderer renderer;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "vtest-busy");
        renderer = Renderer.open(RendererOptions.llvmpipe());
    }

    /**
     * Closed, not left open: in the default suite's order this close, before TestStreamsTest's
     * open, is what crashed the JVM while Renderer.close() still ran virgl_renderer_cleanup.
     */
    @AfterAll
    static void stop() {
        renderer.close();
    }

    private static byte[] submit(ByteBuffer virgl) {
        int[] payload = new VtestRequest.SubmitCmd(virgl).dwords();
        return Frames.start().frame(payload.length, VtestCommandId.SUBMIT_CMD.id(), payload).build();
    }

    private static byte[] busyWait(int flags) {
        return Frames.start().frame(2, VtestCommandId.RESOURCE_BUSY_WAIT.id(), TARGET, flags).build();
    }

    @Test
    void twoSubmitsInOneBatchShareOneFenceAndBusyWaitCoversBoth() throws Exception {
        CompletableFuture<DeviceMetrics> metrics = new CompletableFuture<>();
        try (VtestServer server = VtestServer.start(dir.resolve("s"), renderer, null,
                gpu -> metrics.complete(gpu.metrics()))) {
            int fd;
            try (VtestServerHostileTest.Client c = new VtestServerHostileTest.Client(server.path())) {
                c.sendDwords(VtestCommandId.RESOURCE_CREATE2.id(), TARGET, 2, VirglCommands.FORMAT_R8G8B8A8_UNORM, 2,
                        SIDE, SIDE, 1, 1, 0, 0, SIDE * SIDE * 4);
                fd = c.receiveFd();

                // One write: red, then green over it, then a BUSY_WAIT without the wait flag.
                byte[] red = submit(new VirglCommands().createSurface(1, TARGET, VirglCommands.FORMAT_R8G8B8A8_UNORM)
                        .setFramebuffer(1).clearColor(1, 0, 0, 1).build());
                byte[] green = submit(new VirglCommands().clearColor(0, 1, 0, 1).build());
                c.socket.write(Frames.start().bytes(red).bytes(green).bytes(busyWait(0)).build());
                // The fence for the batch is made at this BUSY_WAIT: busy or not is whatever the
                // renderer says then (nearly always still busy), but it is one answer.
                int[] first = c.readReply();
                assertEquals(1, first.length);
                assertTrue(first[0] == 0 || first[0] == 1, "busy is 0 or 1: " + first[0]);

                c.socket.write(busyWait(VtestProtocol.BUSY_WAIT_FLAG_WAIT));
                assertArrayEquals(new int[] {0}, c.readReply(), "done after waiting");
                c.sendDwords(VtestCommandId.TRANSFER_GET2.id(), TARGET, 0, 0, 0, 0, SIDE, SIDE, 1, SIDE * SIDE * 4, 0);
                c.socket.write(busyWait(VtestProtocol.BUSY_WAIT_FLAG_WAIT));
                assertArrayEquals(new int[] {0}, c.readReply());

                Pointer p = v4j_mmap_shared(fd, SIDE * SIDE * 4, 0, 0);
                try {
                    ByteBuffer pixels = HostMemory.view(p.address(), SIDE * SIDE * 4);
                    for (int i = 0; i < SIDE * SIDE; i += 997) {
                        assertEquals(0xff00ff00, pixels.order(ByteOrder.LITTLE_ENDIAN).getInt(i * 4),
                                "pixel " + i + " is the second submit's green");
                    }
                } finally {
                    v4j_munmap(p, SIDE * SIDE * 4);
                    v4j_close(fd);
                }
            }
            DeviceMetrics m = metrics.get(10, TimeUnit.SECONDS);
            assertEquals(1, m.fences(), "one fence for the batch of two submits: " + m);
            // The connection is served on the render thread: that time is the client's device's
            // (it read 0 while the watch counted it apart from the device's session).
            assertTrue(m.renderNanos() > 0, "render-thread time of the client's device: " + m);
        }
    }

    @Test
    void aRequestOfAnotherKindEndsARunOfSubmitsWithItsFence() throws Exception {
        CompletableFuture<DeviceMetrics> metrics = new CompletableFuture<>();
        try (VtestServer server = VtestServer.start(dir.resolve("r"), renderer, null,
                gpu -> metrics.complete(gpu.metrics()))) {
            try (VtestServerHostileTest.Client c = new VtestServerHostileTest.Client(server.path())) {
                c.sendDwords(VtestCommandId.RESOURCE_CREATE2.id(), TARGET, 2, VirglCommands.FORMAT_R8G8B8A8_UNORM, 2,
                        SIDE, SIDE, 1, 1, 0, 0, SIDE * SIDE * 4);
                v4j_close(c.receiveFd());
                // One write, as Mesa sends a frame: submits, a fence resource, a submit, a wait.
                byte[] red = submit(new VirglCommands().createSurface(1, TARGET, VirglCommands.FORMAT_R8G8B8A8_UNORM)
                        .setFramebuffer(1).clearColor(1, 0, 0, 1).build());
                byte[] green = submit(new VirglCommands().clearColor(0, 1, 0, 1).build());
                int[] fence = VtestServerHostileTest.Client.fenceResource(TARGET + 1);
                byte[] fenceResource = Frames.start().frame(fence.length, VtestCommandId.RESOURCE_CREATE2.id(), fence)
                        .build();
                c.socket.write(Frames.start().bytes(red).bytes(green).bytes(fenceResource).bytes(green)
                        .bytes(busyWait(VtestProtocol.BUSY_WAIT_FLAG_WAIT)).build());
                v4j_close(c.receiveFd());
                assertArrayEquals(new int[] {0}, c.readReply(), "done after waiting");
            }
            DeviceMetrics m = metrics.get(10, TimeUnit.SECONDS);
            assertEquals(2, m.fences(), "one fence per run of submits, the first one before the create: " + m);
        }
    }

    /**
     * A BUSY_WAIT asks the renderer (virgl_renderer_poll) before it answers, as virgl_test_server
     * does, instead of trusting what the render thread last saw: here a readback in the same
     * batch has made the GPU finish the submit, so a BUSY_WAIT right after it must be able to say
     * "not busy". The render thread serves the whole batch without a turn of its own in between,
     * so without that poll every answer is "busy". The renderer's sync thread notices the passed
     * fence concurrently; of five tries, at least one must see it.
     */
    @Test
    void aBusyWaitAsksTheRendererWhetherTheGpuHasPassedTheFence() throws Exception {
        int big = 1024;
        int bytes = big * big * 4;
        try (VtestServer server = VtestServer.start(dir.resolve("p"), renderer, null, gpu -> { })) {
            try (VtestServerHostileTest.Client c = new VtestServerHostileTest.Client(server.path())) {
                c.sendDwords(VtestCommandId.RESOURCE_CREATE2.id(), TARGET, 2, VirglCommands.FORMAT_R8G8B8A8_UNORM, 2,
                        big, big, 1, 1, 0, 0, bytes);
                v4j_close(c.receiveFd());
                byte[] surface = submit(new VirglCommands()
                        .createSurface(1, TARGET, VirglCommands.FORMAT_R8G8B8A8_UNORM).setFramebuffer(1).build());
                c.socket.write(surface);
                int notBusy = 0;
                StringBuilder answers = new StringBuilder();
                for (int i = 0; i < 5; i++) {
                    byte[] clear = submit(new VirglCommands().clearColor(i % 2, 1, 0, 1).build());
                    byte[] readBack = Frames.start().frame(10, VtestCommandId.TRANSFER_GET2.id(),
                            TARGET, 0, 0, 0, 0, big, big, 1, bytes, 0).build();
                    c.socket.write(Frames.start().bytes(clear).bytes(readBack).bytes(busyWait(0)).build());
                    int answer = c.readReply()[0];
                    answers.append(answer);
                    if (answer == 0) {
                        notBusy++;
                    }
                    c.socket.write(busyWait(VtestProtocol.BUSY_WAIT_FLAG_WAIT));
                    assertArrayEquals(new int[] {0}, c.readReply(), "done after waiting");
                }
                assertTrue(notBusy > 0, "a BUSY_WAIT after a readback saw the GPU done (answers " + answers + ")");
            }
        }
    }
}
