package io.github.virgl4j.stream;

import io.github.virgl4j.device.DisplayListener;
import io.github.virgl4j.device.Frame;
import io.github.virgl4j.device.GpuConfig;
import io.github.virgl4j.device.GuestRam;
import io.github.virgl4j.device.VirtioGpu;
import io.github.virgl4j.device.memory.RegionGuestMemory;
import io.github.virgl4j.device.protocol.Box3d;
import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandEncoder;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.device.protocol.MemEntry;
import io.github.virgl4j.device.protocol.Rect;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.virgl.VirglCommands;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small guest session recorded through the device API: a 2D console-like resource drawn from
 * two scatter-gather entries and updated in part, then a 3D render target cleared by a virgl
 * stream, read back into guest memory (a readback frame), partly overwritten by an in-stream
 * TRANSFER3D upload from guest memory, and shown on the scanout; then a guest-memory blob
 * scanned out straight from guest memory, redrawn in place and flushed.
 */
final class RecordedScene {
    static final long RAM = 0x1000_0000L;
    static final int W = 64;
    static final int H = 48;
    static final int CTX = 1;
    static final int TARGET = 1;
    static final int CONSOLE = 10;
    static final int BLOB = 20;
    static final long BLOB_MEMORY = RAM + 0x20_0000;
    static final long TARGET_BACKING = RAM + 0x10_0000;
    /** RENDER_TARGET | SAMPLER_VIEW | DISPLAY_TARGET (virgl_hw.h). */
    static final int TARGET_BINDS = 1 << 1 | 1 << 3 | 1 << 7;

    final List<Frame> liveFrames = new ArrayList<>();
    final List<Integer> responses = new ArrayList<>();

    /** Runs the session on a fresh device, recorded to file (written when the device closes). */
    static RecordedScene record(Renderer renderer, Path file) throws IOException {
        RecordedScene scene = new RecordedScene();
        GpuConfig config = GpuConfig.defaults().withSize(320, 240);
        RegionGuestMemory ram = GuestRam.allocate(RAM, 4 << 20);
        StreamRecorder recorder = StreamRecorder.create(file, config, renderer.info(),
                new StreamManifest.Source("RecordedScene", "2D console + 3D clear, readback, upload"));
        try (VirtioGpu gpu = recorder.attach(VirtioGpu.builder(ram).renderer(renderer).display(new DisplayListener() {
            @Override
            public void onFrame(Frame frame) {
                scene.liveFrames.add(frame);
            }
        })).build()) {
            scene.run(gpu, ram);
        }
        return scene;
    }

    private void send(VirtioGpu gpu, GpuCommand c) {
        responses.add(GpuResponse.decode(gpu.handle(GpuCommandEncoder.encode(c))).type());
    }

    private static CtrlHeader ctx() {
        return new CtrlHeader(0, 0, 0, CTX, 0);
    }

    private void run(VirtioGpu gpu, RegionGuestMemory ram) {
        // 2D: B8G8R8X8 console of W×H whose backing is two entries far apart
        int half = W * H * 2;
        send(gpu, new GpuCommand.ResourceCreate2d(CtrlHeader.EMPTY, CONSOLE, 2, W, H));
        send(gpu, new GpuCommand.ResourceAttachBacking(CtrlHeader.EMPTY, CONSOLE,
                List.of(new MemEntry(RAM, half), new MemEntry(RAM + 0x8_0000, half))));
        for (int i = 0; i < W * H; i++) {
            long at = i * 4L < half ? RAM + i * 4L : RAM + 0x8_0000 + i * 4L - half;
            ram.slice(at, 4).putInt(0, (i % W) * 4 | (i / W) * 5 << 8 | 0x40 << 16);
        }
        Rect all = new Rect(0, 0, W, H);
        send(gpu, new GpuCommand.TransferToHost2d(CtrlHeader.EMPTY, all, 0, CONSOLE));
        send(gpu, new GpuCommand.SetScanout(CtrlHeader.EMPTY, all, 0, CONSOLE));
        for (int y = 4; y < 12; y++) { // a "line of text": rows 4..11 in the first entry
            for (int x = 8; x < 40; x++) {
                ram.slice(RAM + (y * W + x) * 4L, 4).putInt(0, 0x00ffffff);
            }
        }
        send(gpu, new GpuCommand.TransferToHost2d(CtrlHeader.EMPTY, new Rect(0, 4, W, 8), 4L * W * 4, CONSOLE));
        send(gpu, new GpuCommand.ResourceFlush(CtrlHeader.EMPTY, all, CONSOLE));

        // 3D: clear, read back (a readback frame), upload 16 rows in-stream, show it
        send(gpu, new GpuCommand.CtxCreate(ctx(), 0, "recorded-scene"));
        send(gpu, new GpuCommand.ResourceCreate3d(CtrlHeader.EMPTY, TARGET, 2, VirglCommands.FORMAT_B8G8R8X8_UNORM,
                TARGET_BINDS, W, W, 1, 1, 0, 0, 0));
        send(gpu, new GpuCommand.ResourceAttachBacking(CtrlHeader.EMPTY, TARGET, List.of(new MemEntry(TARGET_BACKING, W * W * 4))));
        send(gpu, new GpuCommand.CtxAttachResource(ctx(), TARGET));
        ByteBuffer clear = new VirglCommands().createSurface(1, TARGET, VirglCommands.FORMAT_B8G8R8X8_UNORM)
                .setFramebuffer(1).clearColor(0.2f, 0.6f, 1f, 1f).build();
        send(gpu, new GpuCommand.Submit3d(new CtrlHeader(0, CtrlHeader.FLAG_FENCE, 1, CTX, 0), clear));
        send(gpu, new GpuCommand.TransferFromHost3d(ctx(), new Box3d(0, 0, 0, W, W, 1), 0, TARGET, 0, 0, 0));
        for (int i = 0; i < W * 16; i++) {
            ram.slice(TARGET_BACKING + i * 4L, 4).putInt(0, 0x00ff0000 | (i % W) * 4);
        }
        ByteBuffer upload = new VirglCommands().transfer3d(TARGET, 0, 0, W, 16, 0, 1).build();
        send(gpu, new GpuCommand.Submit3d(new CtrlHeader(0, CtrlHeader.FLAG_FENCE, 2, CTX, 0), upload));
        send(gpu, new GpuCommand.SetScanout(CtrlHeader.EMPTY, new Rect(0, 0, W, W), 0, TARGET));
        send(gpu, new GpuCommand.ResourceUnref(CtrlHeader.EMPTY, CONSOLE));

        // a guest blob: no transfers, the scanout reads guest memory at SET_SCANOUT_BLOB and FLUSH
        int size = W * H * 4;
        for (int i = 0; i < W * H; i++) {
            ram.slice(BLOB_MEMORY + i * 4L, 4).putInt(0, (i % W) << 18 | (i / W) << 3);
        }
        send(gpu, new GpuCommand.ResourceCreateBlob(CtrlHeader.EMPTY, BLOB, 1, 0, 0, size,
                List.of(new MemEntry(BLOB_MEMORY, size))));
        send(gpu, new GpuCommand.SetScanoutBlob(CtrlHeader.EMPTY, all, 0, BLOB, W, H, 2,
                List.of(W * 4, 0, 0, 0), List.of(0, 0, 0, 0)));
        for (int y = 20; y < 28; y++) {
            for (int x = 0; x < W; x++) {
                ram.slice(BLOB_MEMORY + (y * W + x) * 4L, 4).putInt(0, 0x0000ff00);
            }
        }
        send(gpu, new GpuCommand.ResourceFlush(CtrlHeader.EMPTY, all, BLOB));
    }
}
