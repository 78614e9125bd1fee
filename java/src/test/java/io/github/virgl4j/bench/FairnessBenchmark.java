package io.github.virgl4j.bench;

import io.github.virgl4j.device.GuestRam;
import io.github.virgl4j.device.VirtioGpu;
import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandEncoder;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.device.protocol.MemEntry;
import io.github.virgl4j.device.protocol.Rect;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererOptions;
import io.github.virgl4j.virgl.VirglCommands;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fairness of the shared render thread: a light guest renders small frames (fenced submit +
 * flush) while a second guest floods SUBMIT_3D with full-screen clears of a 2048x2048 target
 * (args: frames, flood target size).
 * Prints the light guest's median and p95 frame latency alone and under the flood, and the ratio
 * (goal: at most 2x). Run: bench/fairness.sh (a main, not a timed unit test).
 */
public final class FairnessBenchmark {
    private static final int FMT = VirglCommands.FORMAT_B8G8R8X8_UNORM;

    private FairnessBenchmark() {
    }

    static VirtioGpu device(Renderer r, String name, int size) {
        VirtioGpu gpu = VirtioGpu.builder(GuestRam.allocate(0x1000_0000L, size * size * 4 + 4096))
                .renderer(r).name(name).build();
        CtrlHeader ctx = new CtrlHeader(0, 0, 0, 1, 0);
        send(gpu, new GpuCommand.CtxCreate(ctx, 0, name));
        send(gpu, new GpuCommand.ResourceCreate3d(CtrlHeader.EMPTY, 1, 2, FMT, 2 | 8 | (1 << 18), size, size, 1, 1, 0, 0, 0));
        send(gpu, new GpuCommand.ResourceAttachBacking(CtrlHeader.EMPTY, 1, List.of(new MemEntry(0x1000_0000L, size * size * 4))));
        send(gpu, new GpuCommand.CtxAttachResource(ctx, 1));
        send(gpu, new GpuCommand.SetScanout(CtrlHeader.EMPTY, new Rect(0, 0, size, size), 0, 1));
        send(gpu, new GpuCommand.Submit3d(ctx, new VirglCommands().createSurface(1, 1, FMT).setFramebuffer(1).build()));
        return gpu;
    }

    static void send(VirtioGpu gpu, GpuCommand c) {
        GpuResponse r = GpuResponse.decode(gpu.handle(GpuCommandEncoder.encode(c)));
        if (!r.isOk()) {
            throw new IllegalStateException(c + ": " + r);
        }
    }

    static ByteBuffer clear(float v) {
        return new VirglCommands().clearColor(v, 0.5f, 1 - v, 1).build();
    }

    /** Frame latencies in microseconds of n light frames: fenced clear, then a flush (readback). */
    static long[] lightFrames(VirtioGpu light, int n) {
        long[] us = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            send(light, new GpuCommand.Submit3d(new CtrlHeader(0, CtrlHeader.FLAG_FENCE, i, 1, 0), clear(i % 2)));
            send(light, new GpuCommand.ResourceFlush(CtrlHeader.EMPTY, new Rect(0, 0, 64, 64), 1));
            us[i] = (System.nanoTime() - t0) / 1000;
        }
        Arrays.sort(us);
        return us;
    }

    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        // the flooder's unit of work: one full-screen clear of a floodSize² target
        int floodSize = args.length > 1 ? Integer.parseInt(args[1]) : 2048;
        Renderer r = Renderer.open(RendererOptions.llvmpipe());
        try (VirtioGpu light = device(r, "light", 64); VirtioGpu flood = device(r, "flood", floodSize)) {
            lightFrames(light, 50); // warm-up
            long[] alone = lightFrames(light, frames);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong floodSubmits = new AtomicLong();
            Thread flooder = new Thread(() -> {
                CompletableFuture<?>[] window = new CompletableFuture<?>[8];
                long i = 0;
                while (!stop.get()) { // keep 8 fenced full-screen clears in flight
                    int slot = (int) (i % window.length);
                    if (window[slot] != null) {
                        window[slot].join();
                    }
                    window[slot] = flood.submit(GpuCommandEncoder.encode(new GpuCommand.Submit3d(
                            new CtrlHeader(0, CtrlHeader.FLAG_FENCE, i, 1, 0), clear((i % 10) / 10f))));
                    floodSubmits.incrementAndGet();
                    i++;
                }
                for (CompletableFuture<?> f : window) {
                    if (f != null) {
                        f.join();
                    }
                }
            }, "flood");
            flooder.start();
            Thread.sleep(200);
            long t0 = System.nanoTime();
            long[] flooded = lightFrames(light, frames);
            double seconds = (System.nanoTime() - t0) / 1e9;
            stop.set(true);
            flooder.join();
            long aloneMedian = alone[frames / 2];
            long floodMedian = flooded[frames / 2];
            System.out.printf("light guest frame latency alone:       median %d us, p95 %d us%n", aloneMedian,
                    alone[frames * 95 / 100]);
            System.out.printf("light guest frame latency under flood: median %d us, p95 %d us "
                    + "(flood guest: %.0f full-screen %dx%d clears/s)%n", floodMedian, flooded[frames * 95 / 100],
                    floodSubmits.get() / seconds, floodSize, floodSize);
            System.out.printf("ratio flooded/alone: median %.2f, p95 %.2f (goal <= 2)%n",
                    (double) floodMedian / aloneMedian, (double) flooded[frames * 95 / 100] / alone[frames * 95 / 100]);
            System.out.printf("render-thread time: light %.1f ms, flood %.1f ms%n", light.metrics().renderNanos() / 1e6,
                    flood.metrics().renderNanos() / 1e6);
        } finally {
            r.close();
        }
    }
}
