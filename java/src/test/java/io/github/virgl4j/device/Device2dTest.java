package io.github.virgl4j.device;

import static io.github.virgl4j.device.GuestHarness.hdr;
import static io.github.virgl4j.device.protocol.GpuResponseType.ERR_INVALID_PARAMETER;
import static io.github.virgl4j.device.protocol.GpuResponseType.ERR_INVALID_RESOURCE_ID;
import static io.github.virgl4j.device.protocol.GpuResponseType.ERR_INVALID_SCANOUT_ID;
import static io.github.virgl4j.device.protocol.GpuResponseType.ERR_OUT_OF_MEMORY;
import static io.github.virgl4j.device.protocol.GpuResponseType.ERR_UNSPEC;
import static io.github.virgl4j.device.protocol.GpuResponseType.OK_NODATA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.device.protocol.CursorPos;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuFeatures;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.device.protocol.MemEntry;
import io.github.virgl4j.device.protocol.Rect;
import io.github.virgl4j.device.protocol.VirtioGpuFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The 2D command set on a device with no renderer: a console works without virglrenderer. */
class Device2dTest {
    private static final int B8G8R8X8 = VirtioGpuFormat.B8G8R8X8_UNORM.code();
    GuestHarness g;

    @BeforeEach
    void start() {
        g = new GuestHarness(null);
    }

    @AfterEach
    void stop() {
        g.close();
    }

    private long create64(int id) {
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceCreate2d(hdr(), id, B8G8R8X8, 64, 64)));
        return g.backWith(id, 64 * 64 * 4);
    }

    @Test
    void featuresAndConfigOfA2dOnlyDevice() {
        long f = g.gpu.features();
        assertFalse(GpuFeatures.has(f, GpuFeatures.VIRGL));
        assertTrue(GpuFeatures.has(f, GpuFeatures.EDID));
        assertTrue(GpuFeatures.has(f, GpuFeatures.VIRTIO_F_VERSION_1));
        ByteBuffer cfg = g.gpu.configSpace();
        assertEquals(1, cfg.getInt(8));  // num_scanouts
        assertEquals(0, cfg.getInt(12)); // num_capsets
    }

    @Test
    void displayInfoAndEdidDescribeTheConfiguredMode() {
        GpuResponse.OkDisplayInfo info = (GpuResponse.OkDisplayInfo) g.send(new GpuCommand.GetDisplayInfo(hdr()));
        assertEquals(new Rect(0, 0, 640, 480), info.modes().get(0).rect());
        assertTrue(info.modes().get(0).enabled());
        byte[] edid = ((GpuResponse.OkEdid) g.send(new GpuCommand.GetEdid(hdr(), 0))).edid();
        assertEquals(0, edid[0]);
        assertEquals((byte) 0xff, edid[1]);
        assertEquals(ERR_INVALID_SCANOUT_ID, g.code(new GpuCommand.GetEdid(hdr(), 1)));
    }

    @Test
    void transferAndFlushShowTheGuestPixelsOnTheScanout() {
        long backing = create64(7);
        ByteBuffer px = ByteBuffer.allocate(64 * 64 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 64 * 64; i++) {
            px.putInt(i % 64 < 32 ? 0x00ff0000 : 0x000000ff); // BGRX little-endian: red | blue
        }
        g.memory.write(backing, px.array(), 0, px.capacity());
        assertEquals(OK_NODATA, g.code(new GpuCommand.SetScanout(hdr(), new Rect(0, 0, 64, 64), 0, 7)));
        assertEquals(OK_NODATA, g.code(new GpuCommand.TransferToHost2d(hdr(), new Rect(0, 0, 64, 64), 0, 7)));
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceFlush(hdr(), new Rect(0, 0, 64, 64), 7)));
        assertEquals(2, g.frames.size()); // SET_SCANOUT and RESOURCE_FLUSH
        Frame f = g.frames.get(1);
        assertEquals(0xffff0000, f.pixel(0, 0));
        assertEquals(0xff0000ff, f.pixel(63, 63));
        assertEquals(0xff000000, g.frames.get(0).pixel(0, 0)); // before the transfer: black
    }

    @Test
    void partialTransferUsesTheGuestOffsetOfTheFirstPixel() {
        long backing = create64(3);
        int x = 10;
        int y = 20;
        long offset = (long) y * 256 + x * 4;
        g.memory.write(backing + offset, new byte[] {1, 2, 3, 0}, 0, 4);
        assertEquals(OK_NODATA, g.code(new GpuCommand.TransferToHost2d(hdr(), new Rect(x, y, 1, 1), offset, 3)));
        assertEquals(OK_NODATA, g.code(new GpuCommand.SetScanout(hdr(), new Rect(0, 0, 64, 64), 0, 3)));
        assertEquals(0xff030201, g.frames.get(0).pixel(x, y));
    }

    @Test
    void errorsOfResourceCommands() {
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(new GpuCommand.ResourceCreate2d(hdr(), 0, B8G8R8X8, 4, 4)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.ResourceCreate2d(hdr(), 1, 999, 4, 4)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.ResourceCreate2d(hdr(), 1, B8G8R8X8, 0, 4)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.ResourceCreate2d(hdr(), 1, B8G8R8X8, -1, -1)));
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceCreate2d(hdr(), 1, B8G8R8X8, 4, 4)));
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(new GpuCommand.ResourceCreate2d(hdr(), 1, B8G8R8X8, 4, 4)));
        // transfer without backing, then outside the resource
        assertEquals(ERR_UNSPEC, g.code(new GpuCommand.TransferToHost2d(hdr(), new Rect(0, 0, 4, 4), 0, 1)));
        g.backWith(1, 64);
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.TransferToHost2d(hdr(), new Rect(1, 0, 4, 4), 0, 1)));
        assertEquals(ERR_INVALID_PARAMETER,
                g.code(new GpuCommand.TransferToHost2d(hdr(), new Rect(-1, -1, 2, 2), 0, 1)));
        // reading past the end of the backing
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.TransferToHost2d(hdr(), new Rect(0, 0, 4, 4), 60, 1)));
        assertEquals(ERR_UNSPEC, g.code(new GpuCommand.ResourceAttachBacking(hdr(), 1,
                List.of(new MemEntry(GuestHarness.RAM_BASE, 64))))); // already has backing
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceDetachBacking(hdr(), 1)));
        assertEquals(ERR_UNSPEC, g.code(new GpuCommand.ResourceDetachBacking(hdr(), 1)));
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(new GpuCommand.ResourceDetachBacking(hdr(), 99)));
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceUnref(hdr(), 1)));
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(new GpuCommand.ResourceUnref(hdr(), 1))); // double unref
    }

    @Test
    void backingOutsideGuestMemoryOrOverflowingIsRejected() {
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceCreate2d(hdr(), 5, B8G8R8X8, 4, 4)));
        long end = GuestHarness.RAM_BASE + GuestHarness.RAM_SIZE;
        for (MemEntry bad : List.of(new MemEntry(end - 8, 64), new MemEntry(0, 64), new MemEntry(-16L, 64),
                new MemEntry(GuestHarness.RAM_BASE, 0), new MemEntry(Long.MAX_VALUE, -1))) {
            assertEquals(ERR_UNSPEC, g.code(new GpuCommand.ResourceAttachBacking(hdr(), 5,
                    List.of(new MemEntry(GuestHarness.RAM_BASE, 16), bad))), bad.toString());
        }
        // all or nothing: nothing was attached by the failed requests
        assertEquals(ERR_UNSPEC, g.code(new GpuCommand.ResourceDetachBacking(hdr(), 5)));
    }

    @Test
    void scanoutErrorsAndFlushOfUnboundResources() {
        create64(9);
        assertEquals(ERR_INVALID_SCANOUT_ID, g.code(new GpuCommand.SetScanout(hdr(), new Rect(0, 0, 64, 64), 1, 9)));
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(new GpuCommand.SetScanout(hdr(), new Rect(0, 0, 64, 64), 0, 8)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.SetScanout(hdr(), new Rect(0, 0, 65, 64), 0, 9)));
        // flush of a resource no scanout shows: accepted, no frame (as QEMU and crosvm)
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceFlush(hdr(), new Rect(0, 0, 64, 64), 9)));
        assertEquals(0, g.frames.size());
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(new GpuCommand.ResourceFlush(hdr(), new Rect(0, 0, 1, 1), 77)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.ResourceFlush(hdr(), new Rect(60, 0, 8, 8), 9)));
        // scanout disabled, then the resource is flushed: still no frame
        assertEquals(OK_NODATA, g.code(new GpuCommand.SetScanout(hdr(), new Rect(0, 0, 64, 64), 0, 9)));
        assertEquals(OK_NODATA, g.code(new GpuCommand.SetScanout(hdr(), new Rect(0, 0, 0, 0), 0, 0)));
        int before = g.frames.size();
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceFlush(hdr(), new Rect(0, 0, 64, 64), 9)));
        assertEquals(before, g.frames.size());
    }

    @Test
    void uuidIsStablePerResource() {
        create64(4);
        GpuResponse a = g.send(new GpuCommand.ResourceAssignUuid(hdr(), 4));
        GpuResponse b = g.send(new GpuCommand.ResourceAssignUuid(hdr(), 4));
        assertEquals(a, b);
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(new GpuCommand.ResourceAssignUuid(hdr(), 5)));
    }

    @Test
    void cursorUpdatesReachTheListener() {
        create64(11);
        assertEquals(OK_NODATA, g.code(new GpuCommand.UpdateCursor(hdr(), new CursorPos(0, 10, 20), 11, 1, 2)));
        assertEquals(OK_NODATA, g.code(new GpuCommand.MoveCursor(hdr(), new CursorPos(0, 30, 40))));
        assertEquals(OK_NODATA, g.code(new GpuCommand.UpdateCursor(hdr(), new CursorPos(0, 0, 0), 0, 0, 0)));
        assertEquals(3, g.cursors.size());
        assertEquals(64 * 64, g.cursors.get(0).image().length);
        assertEquals(30, g.cursors.get(1).x());
        assertTrue(g.cursors.get(2).hidden());
        assertEquals(ERR_INVALID_SCANOUT_ID, g.code(new GpuCommand.MoveCursor(hdr(), new CursorPos(5, 0, 0))));
    }

    @Test
    void threeDimensionalCommandsNeedTheRenderer() {
        assertEquals(ERR_UNSPEC, g.code(new GpuCommand.CtxCreate(GuestHarness.ctx(1), 0, "x")));
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.GetCapsetInfo(hdr(), 0)));
    }

    @Test
    void resourceLimitsGiveOutOfMemory() {
        GuestHarness small = new GuestHarness(null, GpuConfig.defaults()
                .withLimits(new GpuLimits(2, 64 * 64 * 4 * 2, 1, 1024, 16)));
        try (small) {
            assertEquals(OK_NODATA, small.code(new GpuCommand.ResourceCreate2d(hdr(), 1, B8G8R8X8, 64, 64)));
            assertEquals(ERR_OUT_OF_MEMORY, small.code(new GpuCommand.ResourceCreate2d(hdr(), 2, B8G8R8X8, 65, 64)));
            assertEquals(OK_NODATA, small.code(new GpuCommand.ResourceCreate2d(hdr(), 2, B8G8R8X8, 64, 64)));
            assertEquals(ERR_OUT_OF_MEMORY, small.code(new GpuCommand.ResourceCreate2d(hdr(), 3, B8G8R8X8, 1, 1)));
            assertArrayEquals(new long[] {2, 64 * 64 * 4 * 2},
                    new long[] {small.gpu.metrics().resources(), small.gpu.metrics().hostMemory()});
        }
    }
}
