package io.github.virgl4j.device;

import static io.github.virgl4j.device.GuestHarness.ctx;
import static io.github.virgl4j.device.GuestHarness.hdr;
import static io.github.virgl4j.device.protocol.GpuResponseType.OK_DISPLAY_INFO;
import static io.github.virgl4j.device.protocol.GpuResponseType.OK_NODATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.device.memory.RegionGuestMemory;
import io.github.virgl4j.device.protocol.Box3d;
import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandEncoder;
import io.github.virgl4j.device.protocol.MemEntry;
import io.github.virgl4j.device.virtqueue.DriverSideQueue;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererOptions;
import io.github.virgl4j.virgl.VirglCommands;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The device driven the way a hypervisor drives it: a split virtqueue laid out in guest memory. */
class DeviceVirtqueueTest {
    static final long BASE = 0x4_0000L;
    static final int RAM = 8 << 20;
    static final int RGBA = VirglCommands.FORMAT_R8G8B8A8_UNORM;

    static byte[] bytes(GpuCommand c) {
        ByteBuffer b = GpuCommandEncoder.encode(c);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    static int responseType(DriverSideQueue q, DriverSideQueue.Chain chain) {
        return ByteBuffer.wrap(q.read(chain.writableAddrs().get(0), 4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    @Test
    void rendersThroughTheControlQueueAndReadsPixelsBackIntoGuestMemory() throws Exception {
        RegionGuestMemory mem = GuestRam.allocate(BASE, RAM);
        DriverSideQueue driver = new DriverSideQueue(mem, BASE, 64, RAM);
        AtomicInteger interrupts = new AtomicInteger();
        try (VirtioGpu gpu = VirtioGpu.builder(mem).renderer(Renderer.open(RendererOptions.llvmpipe())).build()) {
            QueueProcessor controlq = new QueueProcessor(gpu, driver.device(), interrupts::incrementAndGet);
            long backing = driver.alloc(16 * 16 * 4);
            ByteBuffer clear = new VirglCommands().createSurface(1, 10, RGBA).setFramebuffer(1)
                    .clearColor(0f, 1f, 0f, 1f).build();
            byte[] submitHeader = Arrays.copyOf(bytes(new GpuCommand.Submit3d(ctx(1), clear)), 32);
            byte[] stream = new byte[clear.remaining()];
            clear.get(stream);

            List<DriverSideQueue.Chain> chains = List.of(
                    driver.addChain(List.of(bytes(new GpuCommand.GetDisplayInfo(hdr()))), 408),
                    driver.addChain(List.of(bytes(new GpuCommand.CtxCreate(ctx(1), 0, "vq")), new byte[0]), 24),
                    driver.addIndirectChain(List.of(bytes(Device3dTest.texture(10, RGBA, 16, 16))), 24),
                    driver.addChain(List.of(bytes(new GpuCommand.ResourceAttachBacking(hdr(), 10,
                            List.of(new MemEntry(backing, 16 * 16 * 4))))), 24),
                    driver.addChain(List.of(bytes(new GpuCommand.CtxAttachResource(ctx(1), 10))), 24),
                    // header and command stream in two descriptors, as Linux sends SUBMIT_3D
                    driver.addIndirectChain(List.of(submitHeader, stream), 24),
                    driver.addChain(List.of(bytes(new GpuCommand.TransferFromHost3d(
                            new CtrlHeader(0, CtrlHeader.FLAG_FENCE, 99, 1, 0),
                            new Box3d(0, 0, 0, 16, 16, 1), 0, 10, 0, 64, 0))), 24));

            assertEquals(7, controlq.process());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (driver.usedIdx() < 7 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(7, driver.usedIdx());
            assertEquals(OK_DISPLAY_INFO, responseType(driver, chains.get(0)));
            for (int i = 1; i < chains.size(); i++) {
                assertEquals(OK_NODATA, responseType(driver, chains.get(i)), "chain " + i);
            }
            assertEquals(408, driver.usedElem(0)[1]); // used length = response bytes written
            byte[] px = driver.read(backing, 16 * 16 * 4);
            for (int i = 0; i < 256; i++) {
                assertEquals(0x00ff00ff, ByteBuffer.wrap(px, i * 4, 4).getInt(), "pixel " + i);
            }
            assertTrue(interrupts.get() >= 1);
        }
    }

    @Test
    void aDescriptorLoopBreaksTheQueueInsteadOfHanging() throws Exception {
        RegionGuestMemory mem = GuestRam.allocate(BASE, RAM);
        DriverSideQueue driver = new DriverSideQueue(mem, BASE, 8, RAM);
        try (VirtioGpu gpu = VirtioGpu.builder(mem).build()) {
            QueueProcessor q = new QueueProcessor(gpu, driver.device(), () -> { });
            DriverSideQueue.Chain c = driver.addChain(List.of(bytes(new GpuCommand.GetDisplayInfo(hdr()))), 408);
            driver.writeDesc(driver.descAddr, c.head(), driver.alloc(24), 24, 1 /* NEXT */, c.head()); // points at itself
            q.process();
            assertTrue(q.isBroken());
            assertEquals(0, q.process());
            // the device itself still answers requests handed to it directly
            assertEquals(OK_DISPLAY_INFO, io.github.virgl4j.device.protocol.GpuResponse.decode(
                    gpu.handle(GpuCommandEncoder.encode(new GpuCommand.GetDisplayInfo(hdr())))).type());
        }
    }
}
