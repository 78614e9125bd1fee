package io.github.virgl4j.device;

import io.github.virgl4j.device.memory.RegionGuestMemory;
import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandEncoder;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.device.protocol.MemEntry;
import io.github.virgl4j.renderer.Renderer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Plays a guest driver against a real {@link VirtioGpu}: guest RAM, a page allocator, typed requests. */
final class GuestHarness implements AutoCloseable {
    static final long RAM_BASE = 0x1000_0000L;
    static final int RAM_SIZE = 32 << 20;

    final RegionGuestMemory memory = GuestRam.allocate(RAM_BASE, RAM_SIZE);
    final List<Frame> frames = new CopyOnWriteArrayList<>();
    final List<CursorState> cursors = new CopyOnWriteArrayList<>();
    final VirtioGpu gpu;
    private long next = RAM_BASE;

    GuestHarness(Renderer renderer, GpuConfig config) {
        this(renderer, config, null);
    }

    GuestHarness(Renderer renderer, GpuConfig config, HostVisibleRegion hostVisible) {
        gpu = VirtioGpu.builder(memory).renderer(renderer).config(config).name("harness").hostVisible(hostVisible)
                .display(new DisplayListener() {
                    @Override
                    public void onFrame(Frame frame) {
                        frames.add(frame);
                    }

                    @Override
                    public void onCursor(CursorState cursor) {
                        cursors.add(cursor);
                    }
                }).build();
    }

    GuestHarness(Renderer renderer) {
        this(renderer, GpuConfig.defaults().withSize(640, 480));
    }

    /** Page-aligned guest memory of size bytes. */
    long alloc(int size) {
        long at = next;
        next += (size + 4095) & ~4095L;
        if (next > RAM_BASE + RAM_SIZE) {
            throw new IllegalStateException("harness RAM exhausted");
        }
        return at;
    }

    static CtrlHeader hdr() {
        return CtrlHeader.EMPTY;
    }

    static CtrlHeader ctx(int ctxId) {
        return new CtrlHeader(0, 0, 0, ctxId, 0);
    }

    static CtrlHeader fenced(int ctxId, long fenceId) {
        return new CtrlHeader(0, CtrlHeader.FLAG_FENCE, fenceId, ctxId, 0);
    }

    ByteBuffer raw(GpuCommand c) {
        return gpu.handle(GpuCommandEncoder.encode(c));
    }

    GpuResponse send(GpuCommand c) {
        return GpuResponse.decode(raw(c));
    }

    /** The response type code of a command (0x1100 OK_NODATA, 0x12xx errors). */
    int code(GpuCommand c) {
        return send(c).type();
    }

    /** Attaches freshly allocated guest memory of size bytes as backing, in one entry. */
    long backWith(int resourceId, int size) {
        long at = alloc(size);
        GpuResponse r = send(new GpuCommand.ResourceAttachBacking(hdr(), resourceId, List.of(new MemEntry(at, size))));
        if (!r.isOk()) {
            throw new AssertionError("attach backing failed: " + r);
        }
        return at;
    }

    @Override
    public void close() {
        gpu.close();
    }
}
