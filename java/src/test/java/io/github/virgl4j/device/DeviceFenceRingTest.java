package io.github.virgl4j.device;

import static io.github.virgl4j.device.GuestHarness.ctx;
import static io.github.virgl4j.device.GuestHarness.hdr;
import static io.github.virgl4j.device.protocol.GpuResponseType.OK_NODATA;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandEncoder;
import io.github.virgl4j.device.protocol.Rect;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererOptions;
import io.github.virgl4j.virgl.VirglCommands;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fenced SUBMIT_3D on several rings (FLAG_INFO_RING_IDX) and contexts, against the real renderer. */
class DeviceFenceRingTest {
    static final int BGRX = VirglCommands.FORMAT_B8G8R8X8_UNORM;
    static Renderer renderer;
    GuestHarness g;

    @BeforeAll
    static void open() {
        renderer = Renderer.open(RendererOptions.llvmpipe());
    }

    @BeforeEach
    void start() {
        g = new GuestHarness(renderer);
    }

    @AfterEach
    void stop() {
        g.close();
    }

    private void target(int ctxId, int resId, int size) {
        assertEquals(OK_NODATA, g.code(new GpuCommand.CtxCreate(ctx(ctxId), 0, "ring-" + ctxId)));
        assertEquals(OK_NODATA, g.code(Device3dTest.texture(resId, BGRX, size, size)));
        g.backWith(resId, size * size * 4);
        assertEquals(OK_NODATA, g.code(new GpuCommand.CtxAttachResource(ctx(ctxId), resId)));
        assertEquals(OK_NODATA, g.code(Device3dTest.submit(ctxId,
                new VirglCommands().createSurface(1, resId, BGRX).setFramebuffer(1).build())));
    }

    @Test
    void everyTimelineCompletesInFenceOrderAndResponsesEchoFenceAndRing() throws Exception {
        target(1, 10, 512);
        target(2, 20, 32);
        Map<String, List<Long>> completed = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (long fence = 1; fence <= 80; fence++) {
            int ctxId = fence % 5 == 0 ? 2 : 1;
            boolean ringed = fence % 4 != 0;
            int ring = ringed ? (int) (fence % 3) : 0;
            CtrlHeader h = new CtrlHeader(0, CtrlHeader.FLAG_FENCE | (ringed ? CtrlHeader.FLAG_INFO_RING_IDX : 0),
                    fence, ctxId, ring);
            String timeline = ringed ? ctxId + "/" + ring : "global";
            long id = fence;
            ByteBuffer cmds = new VirglCommands().clearColor(fence / 80f, 0.5f, 0, 1).build();
            all.add(g.gpu.submit(GpuCommandEncoder.encode(new GpuCommand.Submit3d(h, cmds))).thenAccept(resp -> {
                ByteBuffer r = resp.order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(OK_NODATA, r.getInt(0));
                assertEquals(id, r.getLong(8));
                assertEquals(ctxId, r.getInt(16));
                assertEquals(ringed ? CtrlHeader.FLAG_INFO_RING_IDX : 0, r.getInt(4) & CtrlHeader.FLAG_INFO_RING_IDX);
                assertEquals(ring, r.get(20) & 0xff);
                completed.computeIfAbsent(timeline, k -> Collections.synchronizedList(new ArrayList<>())).add(id);
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertEquals(7, completed.size(), completed.keySet().toString()); // global + 1/0..2 + 2/0..2
        for (Map.Entry<String, List<Long>> e : completed.entrySet()) {
            assertEquals(e.getValue().stream().sorted().toList(), e.getValue(), "timeline " + e.getKey());
        }
        assertEquals(80, completed.values().stream().mapToInt(List::size).sum());
        assertEquals(0, renderer.outstandingFences());
        // Context 2's last clear (fence 80: 1.0, 0.5, 0) is what its scanout shows.
        assertEquals(OK_NODATA, g.code(new GpuCommand.SetScanout(hdr(), new Rect(0, 0, 32, 32), 0, 20)));
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceFlush(hdr(), new Rect(0, 0, 32, 32), 20)));
        int argb = g.frames.get(g.frames.size() - 1).pixel(5, 5);
        assertEquals(0xff, argb >> 16 & 0xff);
        assertEquals(0x80, argb >> 8 & 0xff, 1.0);
        assertEquals(0, argb & 0xff);
    }

    @Test
    void fencedSubmitThenContextDestroyStillAnswersTheFence() throws Exception {
        target(1, 10, 1024);
        List<CompletableFuture<ByteBuffer>> answers = new ArrayList<>();
        for (long fence = 1; fence <= 10; fence++) {
            answers.add(g.gpu.submit(GpuCommandEncoder.encode(new GpuCommand.Submit3d(GuestHarness.fenced(1, fence),
                    new VirglCommands().clearColor(1, 0, 0, 1).build()))));
        }
        assertEquals(OK_NODATA, g.code(new GpuCommand.CtxDestroy(ctx(1))));
        for (CompletableFuture<ByteBuffer> a : answers) {
            assertEquals(OK_NODATA, a.get(30, TimeUnit.SECONDS).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
        }
        assertEquals(0, renderer.outstandingFences());
    }
}
