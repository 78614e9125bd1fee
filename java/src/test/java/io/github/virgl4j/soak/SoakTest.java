package io.github.virgl4j.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.device.GuestRam;
import io.github.virgl4j.device.VirtioGpu;
import io.github.virgl4j.device.memory.RegionGuestMemory;
import io.github.virgl4j.device.protocol.Box3d;
import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandEncoder;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.device.protocol.MemEntry;
import io.github.virgl4j.renderer.RenderSession;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererOptions;
import io.github.virgl4j.virgl.VirglCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Several guests create, render and destroy resources and contexts over and over; afterwards
 * the renderer holds nothing of theirs and native memory is back near its baseline.
 * Duration: -Dvirgl4j.soak.seconds (default 15; the long run is documented in the README).
 */
class SoakTest {
    static final int GUESTS = 4;
    /** Mesa and glibc keep caches that settle at about 40-47 MiB (30 s: +40, 90 s: +47 measured). */
    static final long RSS_SLACK = 64L << 20;

    @Test
    void createRenderDestroyCyclesLeaveNoNativeObjectsOrMemoryBehind() throws Exception {
        long seconds = Long.getLong("virgl4j.soak.seconds", 15);
        Renderer renderer = Renderer.open(RendererOptions.llvmpipe());
        cycles(renderer, 0, 2_000_000_000L); // warm-up: Mesa's shader and buffer caches
        NativeMemory baseline = NativeMemory.now();
        ExecutorService pool = Executors.newFixedThreadPool(GUESTS);
        AtomicLong total = new AtomicLong();
        List<Future<Long>> runs = new ArrayList<>();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        for (int g = 0; g < GUESTS; g++) {
            int guest = g;
            runs.add(pool.submit(() -> cycles(renderer, guest, deadline - System.nanoTime())));
        }
        for (Future<Long> f : runs) {
            total.addAndGet(f.get());
        }
        pool.shutdown();
        NativeMemory after = NativeMemory.now();
        int liveSessions = renderer.sessions().size();
        long leakedObjects = renderer.sessions().stream().mapToLong(RenderSession::liveObjects).sum();
        System.out.printf("soak: %d guests, %d s, %d create/render/destroy cycles; baseline %s; after %s; "
                + "renderer objects left %d, fences outstanding %d%n", GUESTS, seconds, total.get(), baseline,
                after, leakedObjects, renderer.outstandingFences());
        assertTrue(total.get() > GUESTS * 10L, "too few cycles: " + total.get());
        assertEquals(0, liveSessions);
        assertEquals(0, renderer.outstandingFences());
        assertTrue(after.outsideJvm() - baseline.outsideJvm() < RSS_SLACK,
                "native memory grew from " + baseline + " to " + after);
        assertTrue(after.directBytes() - baseline.directBytes() < 8L << 20,
                "direct buffers grew from " + baseline + " to " + after);
    }

    /**
     * Repeats: new device, context, 3 resources, render, read back, destroy all. Returns cycles.
     * The guest's RAM is allocated once, as a hypervisor does: churning 1 MiB direct buffers
     * from several threads measures glibc's per-thread arenas, not this library.
     */
    private static long cycles(Renderer renderer, int guest, long nanos) {
        long end = System.nanoTime() + nanos;
        long n = 0;
        RegionGuestMemory ram = GuestRam.allocate(0x1000_0000L, 1 << 20);
        do {
            try (VirtioGpu gpu = VirtioGpu.builder(ram).renderer(renderer).name("soak-" + guest).build()) {
                int base = 1000 * (guest + 1);
                CtrlHeader ctx = new CtrlHeader(0, 0, 0, 1, 0);
                send(gpu, new GpuCommand.CtxCreate(ctx, 0, "soak"));
                for (int r = 0; r < 3; r++) {
                    send(gpu, new GpuCommand.ResourceCreate3d(CtrlHeader.EMPTY, base + r, 2, 67, 2 | 8, 128, 128, 1, 1, 0, 0, 0));
                    send(gpu, new GpuCommand.ResourceAttachBacking(CtrlHeader.EMPTY, base + r,
                            List.of(new MemEntry(0x1000_0000L + r * 65536L, 65536))));
                    send(gpu, new GpuCommand.CtxAttachResource(ctx, base + r));
                }
                send(gpu, new GpuCommand.Submit3d(new CtrlHeader(0, CtrlHeader.FLAG_FENCE, n, 1, 0),
                        new VirglCommands().createSurface(1, base, 67).setFramebuffer(1)
                                .clearColor(guest / 4f, 0.5f, 1f, 1f).build()));
                send(gpu, new GpuCommand.TransferFromHost3d(ctx, new Box3d(0, 0, 0, 128, 128, 1), 0, base, 0, 512, 0));
                if (n % 2 == 0) { // half the time the guest cleans up, half the time the device does
                    for (int r = 0; r < 3; r++) {
                        send(gpu, new GpuCommand.ResourceUnref(CtrlHeader.EMPTY, base + r));
                    }
                    send(gpu, new GpuCommand.CtxDestroy(ctx));
                }
            }
            n++;
        } while (System.nanoTime() < end);
        return n;
    }

    private static void send(VirtioGpu gpu, GpuCommand c) {
        GpuResponse r = GpuResponse.decode(gpu.handle(GpuCommandEncoder.encode(c)));
        if (!r.isOk()) {
            throw new AssertionError(c.getClass().getSimpleName() + " failed: " + r);
        }
    }
}
