package io.github.virgl4j.multiguest;

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
import io.github.virgl4j.device.DisplayListener;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.virgl.VirglCommands;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One guest rendering a scene of its own through its own device, with the same guest ids every
 * guest uses (context 1, resources 1 and 2), as real guests do.
 */
final class Scene implements AutoCloseable {
    static final int SIZE = 64;
    static final int FMT = VirglCommands.FORMAT_B8G8R8X8_UNORM;

    final int variant;
    final RegionGuestMemory ram = GuestRam.allocate(0x1000_0000L, 4 << 20);
    final List<Frame> frames = new CopyOnWriteArrayList<>();
    final VirtioGpu gpu;

    Scene(Renderer renderer, int variant) {
        this.variant = variant;
        this.gpu = VirtioGpu.builder(ram).renderer(renderer).name("guest-" + variant)
                .display(new DisplayListener() {
                    @Override
                    public void onFrame(Frame f) {
                        frames.add(f);
                    }
                }).build();
    }

    int send(GpuCommand c) {
        return GpuResponse.decode(gpu.handle(GpuCommandEncoder.encode(c))).type();
    }

    static CtrlHeader ctx1() {
        return new CtrlHeader(0, 0, 0, 1, 0);
    }

    /** Creates context 1, target 1, tile 2; returns the first error code or 0x1100. */
    int setUp() {
        int[] codes = {
            send(new GpuCommand.CtxCreate(ctx1(), 0, "scene-" + variant)),
            send(create(1, SIZE)), send(create(2, SIZE / 4)),
            send(new GpuCommand.ResourceAttachBacking(CtrlHeader.EMPTY, 1, List.of(new MemEntry(0x1000_0000L, SIZE * SIZE * 4)))),
            send(new GpuCommand.CtxAttachResource(ctx1(), 1)),
            send(new GpuCommand.CtxAttachResource(ctx1(), 2)),
            send(new GpuCommand.SetScanout(CtrlHeader.EMPTY, new Rect(0, 0, SIZE, SIZE), 0, 1)),
        };
        for (int c : codes) {
            if (c != 0x1100) {
                return c;
            }
        }
        return 0x1100;
    }

    static GpuCommand.ResourceCreate3d create(int id, int size) {
        return new GpuCommand.ResourceCreate3d(CtrlHeader.EMPTY, id, 2, FMT, (1 << 1) | (1 << 3) | (1 << 18),
                size, size, 1, 1, 0, 0, 0);
    }

    /** Frame n of this guest's scene: a background and a tile, both depending on variant and n. */
    int renderFrame(int n) {
        float v = variant / 8f;
        int t = SIZE / 4;
        int pos = (n * 7 + variant * 11) % (SIZE - t);
        int code = send(new GpuCommand.Submit3d(new CtrlHeader(0, CtrlHeader.FLAG_FENCE, n, 1, 0), new VirglCommands()
                .createSurface(1, 1, FMT).createSurface(2, 2, FMT)
                .setFramebuffer(2).clearColor(1f - v, v, (n % 5) / 5f, 1f)
                .setFramebuffer(1).clearColor(v, 0.5f, 1f - v, 1f)
                .copyRegion(1, pos, SIZE - t - pos, 2, 0, 0, t, t)
                .destroySurface(1).destroySurface(2).build()));
        if (code != 0x1100) {
            return code;
        }
        return send(new GpuCommand.ResourceFlush(CtrlHeader.EMPTY, new Rect(0, 0, SIZE, SIZE), 1));
    }

    Frame lastFrame() {
        return frames.get(frames.size() - 1);
    }

    @Override
    public void close() {
        gpu.close();
    }
}
