package io.github.virgl4j.fuzz;

import io.github.virgl4j.device.GpuConfig;
import io.github.virgl4j.device.GpuLimits;
import io.github.virgl4j.device.GuestRam;
import io.github.virgl4j.device.VirtioGpu;
import io.github.virgl4j.device.memory.RegionGuestMemory;
import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandEncoder;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.device.protocol.MemEntry;
import io.github.virgl4j.renderer.Renderer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A device on the real renderer with live objects, put back into the same state before every
 * fuzz input (so a crashing input reproduces on its own): 3D context 1; a 64x64 RGBA render
 * target 10 and a 16 KiB buffer 12, both backed and attached to context 1; a backed 64x64 2D
 * resource 11; an unbacked, unattached 64x64 3D texture 13. Limits are small, so the fuzzer
 * reaches every one of them.
 */
final class DeviceFixture implements AutoCloseable {
    static final long RAM_BASE = 0x1000_0000L;
    static final int RAM_SIZE = 1 << 20;
    /** 12 resources, 4 MiB of them, 3 contexts, 1 KiB per SUBMIT_3D, 4 backing entries. */
    static final GpuLimits LIMITS = new GpuLimits(12, 4L << 20, 3, 1024, 4);
    static final int CTX = 1;
    static final int TEXTURE = 10;
    static final int IMAGE_2D = 11;
    static final int BUFFER = 12;
    static final int UNBACKED = 13;
    static final int RGBA = 67;

    final RegionGuestMemory ram = GuestRam.allocate(RAM_BASE, RAM_SIZE);
    final VirtioGpu gpu;
    private final byte[] zeros = new byte[RAM_SIZE];

    DeviceFixture(Renderer renderer) {
        gpu = VirtioGpu.builder(ram).renderer(renderer).name("fuzz")
                .config(GpuConfig.defaults().withSize(640, 480).withScanouts(2).withLimits(LIMITS)).build();
    }

    /** The requests that create the live objects, as a guest driver sends them. */
    static List<ByteBuffer> setupRequests() {
        CtrlHeader none = CtrlHeader.EMPTY;
        CtrlHeader ctx = new CtrlHeader(0, 0, 0, CTX, 0);
        List<GpuCommand> cmds = List.of(
                new GpuCommand.CtxCreate(ctx, 0, "fuzz"),
                texture(TEXTURE, RGBA, 0x4000a),
                new GpuCommand.ResourceAttachBacking(none, TEXTURE, List.of(new MemEntry(RAM_BASE, 0x4000))),
                new GpuCommand.CtxAttachResource(ctx, TEXTURE),
                new GpuCommand.ResourceCreate2d(none, IMAGE_2D, 1, 64, 64),
                new GpuCommand.ResourceAttachBacking(none, IMAGE_2D, List.of(new MemEntry(RAM_BASE + 0x4000, 0x4000))),
                new GpuCommand.ResourceCreate3d(none, BUFFER, 0, 64, 0x10, 0x4000, 1, 1, 1, 0, 0, 0),
                new GpuCommand.ResourceAttachBacking(none, BUFFER, List.of(new MemEntry(RAM_BASE + 0x8000, 0x4000))),
                new GpuCommand.CtxAttachResource(ctx, BUFFER),
                texture(UNBACKED, 2, 0x4000a));
        List<ByteBuffer> out = new ArrayList<>();
        for (GpuCommand c : cmds) {
            out.add(GpuCommandEncoder.encode(c));
        }
        return out;
    }

    static GpuCommand.ResourceCreate3d texture(int id, int format, int bind) {
        return new GpuCommand.ResourceCreate3d(CtrlHeader.EMPTY, id, 2, format, bind, 64, 64, 1, 1, 0, 0, 0);
    }

    /** Destroys whatever the last input made (virtio reset), clears guest RAM, makes the live objects. */
    void reset() {
        gpu.reset();
        ram.write(RAM_BASE, zeros, 0, zeros.length);
        for (ByteBuffer req : setupRequests()) {
            GpuResponse r = GpuResponse.decode(gpu.handle(req));
            if (!r.isOk()) {
                throw new IllegalStateException("fixture set-up failed: " + r);
            }
        }
    }

    @Override
    public void close() {
        gpu.close();
    }
}
