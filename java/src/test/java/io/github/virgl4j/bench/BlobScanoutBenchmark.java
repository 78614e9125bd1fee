package io.github.virgl4j.bench;

import io.github.virgl4j.device.DisplayListener;
import io.github.virgl4j.device.Frame;
import io.github.virgl4j.device.GuestRam;
import io.github.virgl4j.device.VirtioGpu;
import io.github.virgl4j.device.memory.RegionGuestMemory;
import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandEncoder;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.device.protocol.MemEntry;
import io.github.virgl4j.device.protocol.Rect;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A 1024x768 console frame on a 2D-only device, two ways in one run: a 2D resource
 * (TRANSFER_TO_HOST_2D copies the guest pages into Java, then RESOURCE_FLUSH) and a GUEST blob
 * over the same pages (the flush reads them in place). Prints ms per frame and the ratio.
 */
public final class BlobScanoutBenchmark {
    private static final int W = 1024;
    private static final int H = 768;
    private static final int SIZE = W * H * 4;
    private static final int FRAMES = 100;
    private static long frames;

    private BlobScanoutBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        RegionGuestMemory mem = GuestRam.allocate(0x1000_0000L, 64 << 20);
        VirtioGpu gpu = VirtioGpu.builder(mem).display(new DisplayListener() {
            @Override
            public void onFrame(Frame f) {
                frames++;
            }
        }).build();
        List<MemEntry> pages = new ArrayList<>(); // one entry per 4 KiB page, as a Linux guest sends them
        for (long p = 0; p < SIZE; p += 4096) {
            pages.add(new MemEntry(0x1000_0000L + p, 4096));
        }
        CtrlHeader h = CtrlHeader.EMPTY;
        Rect full = new Rect(0, 0, W, H);
        ok(gpu, new GpuCommand.ResourceCreate2d(h, 1, 2, W, H));
        ok(gpu, new GpuCommand.ResourceAttachBacking(h, 1, pages));
        ok(gpu, new GpuCommand.ResourceCreateBlob(h, 2, 1, 2, 0, SIZE, pages));
        ByteBuffer transfer2d = GpuCommandEncoder.encode(new GpuCommand.TransferToHost2d(h, full, 0, 1));
        ByteBuffer flush2d = GpuCommandEncoder.encode(new GpuCommand.ResourceFlush(h, full, 1));
        ByteBuffer transferBlob = GpuCommandEncoder.encode(new GpuCommand.TransferToHost2d(h, full, 0, 2));
        ByteBuffer flushBlob = GpuCommandEncoder.encode(new GpuCommand.ResourceFlush(h, full, 2));
        for (int round = 0; round < rounds; round++) {
            ok(gpu, new GpuCommand.SetScanout(h, full, 0, 1));
            long t0 = System.nanoTime();
            for (int i = 0; i < FRAMES; i++) {
                gpu.handle(transfer2d.duplicate());
                gpu.handle(flush2d.duplicate());
            }
            long twoD = System.nanoTime() - t0;
            ok(gpu, new GpuCommand.SetScanoutBlob(h, full, 0, 2, W, H, 2, List.of(W * 4, 0, 0, 0),
                    List.of(0, 0, 0, 0)));
            t0 = System.nanoTime();
            for (int i = 0; i < FRAMES; i++) {
                gpu.handle(transferBlob.duplicate()); // what Linux sends for a dumb blob: a no-op
                gpu.handle(flushBlob.duplicate());
            }
            long blob = System.nanoTime() - t0;
            System.out.printf("round %d: 2D transfer+flush %.2f ms/frame, guest blob %.2f ms/frame, 2D/blob %.2f%n",
                    round, twoD / 1e6 / FRAMES, blob / 1e6 / FRAMES, (double) twoD / blob);
        }
        System.out.println(frames + " frames; host bytes of live resources " + gpu.metrics().hostMemory()
                + " (the 2D copy; the blob has none)");
    }

    private static void ok(VirtioGpu gpu, GpuCommand c) {
        GpuResponse r = GpuResponse.decode(gpu.handle(GpuCommandEncoder.encode(c)));
        if (!r.isOk()) {
            throw new AssertionError(c.getClass().getSimpleName() + " -> " + r);
        }
    }
}
