package io.github.virgl4j.device;

import static io.github.virgl4j.device.GuestHarness.hdr;
import static io.github.virgl4j.device.protocol.GpuResponseType.ERR_INVALID_PARAMETER;
import static io.github.virgl4j.device.protocol.GpuResponseType.ERR_INVALID_RESOURCE_ID;
import static io.github.virgl4j.device.protocol.GpuResponseType.ERR_INVALID_SCANOUT_ID;
import static io.github.virgl4j.device.protocol.GpuResponseType.ERR_OUT_OF_MEMORY;
import static io.github.virgl4j.device.protocol.GpuResponseType.ERR_UNSPEC;
import static io.github.virgl4j.device.protocol.GpuResponseType.OK_NODATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.device.protocol.Blob;
import io.github.virgl4j.device.protocol.CursorPos;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandEncoder;
import io.github.virgl4j.device.protocol.GpuFeatures;
import io.github.virgl4j.device.protocol.MemEntry;
import io.github.virgl4j.device.protocol.Rect;
import io.github.virgl4j.device.protocol.VirtioGpuFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GUEST blobs on a device with no renderer, as a Linux guest uses them for its dumb buffers
 * when RESOURCE_BLOB is offered without 3D: RESOURCE_CREATE_BLOB over its pages,
 * SET_SCANOUT_BLOB, TRANSFER_TO_HOST_2D (a no-op) and RESOURCE_FLUSH.
 */
class DeviceBlobTest {
    private static final int XRGB = VirtioGpuFormat.B8G8R8X8_UNORM.code();
    /** A 64×48 framebuffer with a padded 272-byte stride, at offset 64 of the blob. */
    private static final int W = 64;
    private static final int H = 48;
    private static final int STRIDE = 272;
    private static final int OFFSET = 64;
    private static final int SIZE = 16384; // >= 64 + 47 * 272 + 256 = 13104
    GuestHarness g;

    @BeforeEach
    void start() {
        g = new GuestHarness(null);
    }

    @AfterEach
    void stop() {
        g.close();
    }

    private static GpuCommand.ResourceCreateBlob guestBlob(int id, long size, List<MemEntry> entries) {
        return new GpuCommand.ResourceCreateBlob(hdr(), id, Blob.MEM_GUEST, Blob.FLAG_USE_SHAREABLE, 0, size, entries);
    }

    private static GpuCommand.SetScanoutBlob scanout(int resource, Rect rect, int w, int h, int format, int stride,
                                                     int offset) {
        return new GpuCommand.SetScanoutBlob(hdr(), rect, 0, resource, w, h, format, List.of(stride, 0, 0, 0),
                List.of(offset, 0, 0, 0));
    }

    private static GpuCommand.SetScanoutBlob fullScanout(int resource) {
        return scanout(resource, new Rect(0, 0, W, H), W, H, XRGB, STRIDE, OFFSET);
    }

    /** Blob id over two pieces of guest memory that are not adjacent (a real sg list). Returns their addresses. */
    private long[] createSplitBlob(int id) {
        long first = g.alloc(8192);
        g.alloc(4096); // a hole between the two pieces
        long second = g.alloc(8192);
        assertEquals(OK_NODATA, g.code(guestBlob(id, SIZE, List.of(new MemEntry(first, 8192),
                new MemEntry(second, 8192)))));
        return new long[] {first, second};
    }

    /** Writes pixel (x, y) = argb into the blob at its framebuffer layout (B, G, R, X bytes). */
    private void putPixel(long[] pieces, int x, int y, int rgb) {
        long at = OFFSET + (long) y * STRIDE + x * 4L;
        long addr = at < 8192 ? pieces[0] + at : pieces[1] + at - 8192;
        ByteBuffer px = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(rgb);
        g.memory.write(addr, px.array(), 0, 4);
    }

    private int[] paint(long[] pieces, int frame) {
        int[] expected = new int[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int rgb = (x * 4 + frame) << 16 | (y * 5) << 8 | (x ^ y ^ frame) & 0xff;
                putPixel(pieces, x, y, rgb);
                expected[y * W + x] = 0xff000000 | rgb;
            }
        }
        return expected;
    }

    private Frame lastFrame() {
        return g.frames.get(g.frames.size() - 1);
    }

    @Test
    void blobIsOfferedWithoutARendererAndCanBeSwitchedOff() {
        assertTrue(GpuFeatures.has(g.gpu.features(), GpuFeatures.RESOURCE_BLOB));
        try (GuestHarness off = new GuestHarness(null, GpuConfig.defaults().withBlob(false))) {
            assertFalse(GpuFeatures.has(off.gpu.features(), GpuFeatures.RESOURCE_BLOB));
            long at = off.alloc(4096);
            assertEquals(ERR_UNSPEC, off.code(guestBlob(1, 4096, List.of(new MemEntry(at, 4096)))));
            assertEquals(ERR_UNSPEC, off.code(new GpuCommand.ResourceUnmapBlob(hdr(), 1)));
        }
    }

    @Test
    void scanoutBlobShowsGuestPagesAndEachFlushRereadsThem() {
        long[] pieces = createSplitBlob(5);
        int[] first = paint(pieces, 0);
        assertEquals(OK_NODATA, g.code(fullScanout(5)));
        Frame shown = lastFrame();
        assertEquals(W, shown.width());
        assertEquals(H, shown.height());
        assertEquals(new Frame(0, 0, W, H, first).sha256(), shown.sha256());

        // the guest draws the next frame in place; TRANSFER_TO_HOST_2D has nothing to copy
        int[] second = paint(pieces, 7);
        assertEquals(OK_NODATA, g.code(new GpuCommand.TransferToHost2d(hdr(), new Rect(0, 0, W, H), 0, 5)));
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceFlush(hdr(), new Rect(0, 0, W, H), 5)));
        Frame flushed = lastFrame();
        assertEquals(new Frame(0, 0, W, H, second).sha256(), flushed.sha256());
        assertNotEquals(shown.sha256(), flushed.sha256());
        assertEquals(0xff000000 | (63 * 4 + 7) << 16 | (47 * 5) << 8 | (63 ^ 47 ^ 7), flushed.pixel(63, 47));
        assertEquals(0, g.gpu.metrics().hostMemory()); // nothing copied to the host
    }

    @Test
    void aScanoutRectShowsThatPartOfTheFramebuffer() {
        long[] pieces = createSplitBlob(5);
        int[] all = paint(pieces, 3);
        assertEquals(OK_NODATA, g.code(scanout(5, new Rect(10, 20, 30, 28), W, H, XRGB, STRIDE, OFFSET)));
        Frame f = lastFrame();
        assertEquals(30, f.width());
        assertEquals(28, f.height());
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 30; x++) {
                assertEquals(all[(y + 20) * W + x + 10], f.pixel(x, y), x + "," + y);
            }
        }
    }

    @Test
    void createBlobErrors() {
        long at = g.alloc(8192);
        List<MemEntry> page = List.of(new MemEntry(at, 4096));
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(guestBlob(0, 4096, page)));
        for (int mem : new int[] {0, 4, -1}) {
            assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.ResourceCreateBlob(hdr(), 1, mem, 0, 0, 4096,
                    page)), "blob_mem " + mem);
        }
        // host memory without a renderer (QEMU's 2D device answers the same)
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.ResourceCreateBlob(hdr(), 1, Blob.MEM_HOST3D, 0,
                1, 4096, List.of())));
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.ResourceCreateBlob(hdr(), 1,
                Blob.MEM_HOST3D_GUEST, 0, 1, 4096, page)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.ResourceCreateBlob(hdr(), 1, Blob.MEM_GUEST, 8,
                0, 4096, page)));                                               // unknown flag
        assertEquals(ERR_INVALID_PARAMETER, g.code(guestBlob(1, 0, page)));      // empty
        assertEquals(ERR_INVALID_PARAMETER, g.code(guestBlob(1, -1L, page)));    // 2^64 - 1
        assertEquals(ERR_INVALID_PARAMETER, g.code(guestBlob(1, 4097, page)));   // more than the entries hold
        assertEquals(ERR_UNSPEC, g.code(guestBlob(1, 4096, List.of())));        // no entries
        // sg entries outside guest memory, or wrapping: all or nothing, the id stays free
        assertEquals(ERR_UNSPEC, g.code(guestBlob(1, 8192, List.of(new MemEntry(at, 4096),
                new MemEntry(GuestHarness.RAM_BASE + GuestHarness.RAM_SIZE - 4096, 8192)))));
        assertEquals(ERR_UNSPEC, g.code(guestBlob(1, 4096, List.of(new MemEntry(0x10, 4096)))));
        assertEquals(ERR_UNSPEC, g.code(guestBlob(1, 4096, List.of(new MemEntry(-4096L, 8192)))));
        assertEquals(0, g.gpu.metrics().resources());
        assertEquals(OK_NODATA, g.code(guestBlob(1, 4096, page)));
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(guestBlob(1, 4096, page))); // in use
        assertEquals(1, g.gpu.metrics().resources());
    }

    @Test
    void createBlobLimits() {
        try (GuestHarness small = new GuestHarness(null, GpuConfig.defaults()
                .withLimits(new GpuLimits(2, 1 << 20, 1, 64, 2)))) {
            long at = small.alloc(4 * 4096);
            List<MemEntry> three = List.of(new MemEntry(at, 4096), new MemEntry(at + 4096, 4096),
                    new MemEntry(at + 8192, 4096));
            assertEquals(ERR_INVALID_PARAMETER, small.code(guestBlob(1, 4096, three))); // 3 > 2 entries
            assertEquals(OK_NODATA, small.code(guestBlob(1, 4096, three.subList(0, 1))));
            assertEquals(OK_NODATA, small.code(guestBlob(2, 4096, three.subList(1, 2))));
            assertEquals(ERR_OUT_OF_MEMORY, small.code(guestBlob(3, 4096, three.subList(2, 3)))); // 2 resources
        }
    }

    @Test
    void setScanoutBlobErrors() {
        createSplitBlob(5);
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceCreate2d(hdr(), 6, XRGB, 64, 48)));
        Rect full = new Rect(0, 0, W, H);
        assertEquals(ERR_INVALID_SCANOUT_ID, g.code(new GpuCommand.SetScanoutBlob(hdr(), full, 1, 5, W, H, XRGB,
                List.of(STRIDE, 0, 0, 0), List.of(OFFSET, 0, 0, 0))));
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(fullScanout(9)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(fullScanout(6)));                              // not a blob
        assertEquals(ERR_INVALID_PARAMETER, g.code(scanout(5, full, W, H, 99, STRIDE, OFFSET)));  // format
        assertEquals(ERR_INVALID_PARAMETER, g.code(scanout(5, full, 0, H, XRGB, STRIDE, OFFSET)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(scanout(5, full, W, -1, XRGB, STRIDE, OFFSET)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(scanout(5, new Rect(1, 0, W, H), W, H, XRGB, STRIDE, OFFSET)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(scanout(5, new Rect(0, 0, 0, H), W, H, XRGB, STRIDE, OFFSET)));
        // rect fields that overflow 32 bits
        assertEquals(ERR_INVALID_PARAMETER, g.code(scanout(5, new Rect(-16, 0, 32, H), W, H, XRGB, STRIDE, OFFSET)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(scanout(5, new Rect(0, 0, W, -1), W, H, XRGB, STRIDE, OFFSET)));
        // stride shorter than a row, or so long the picture leaves the blob (and wraps 32 bits)
        assertEquals(ERR_INVALID_PARAMETER, g.code(scanout(5, full, W, H, XRGB, W * 4 - 4, OFFSET)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(scanout(5, full, W, H, XRGB, -1, OFFSET)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(scanout(5, full, W, H, XRGB, 1 << 30, OFFSET)));
        // offsets past the end, or wrapping
        assertEquals(ERR_INVALID_PARAMETER, g.code(scanout(5, full, W, H, XRGB, STRIDE, -1)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(scanout(5, full, W, H, XRGB, STRIDE, SIZE)));
        // the last byte: exactly at the end fits, one more does not
        int fits = SIZE - ((H - 1) * STRIDE + W * 4);
        assertEquals(ERR_INVALID_PARAMETER, g.code(scanout(5, full, W, H, XRGB, STRIDE, fits + 1)));
        assertEquals(0, g.frames.size());
        assertEquals(OK_NODATA, g.code(scanout(5, full, W, H, XRGB, STRIDE, fits)));
        assertEquals(1, g.frames.size());
        // without backing there is nothing to show
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceDetachBacking(hdr(), 5)));
        assertEquals(ERR_UNSPEC, g.code(fullScanout(5)));
        assertEquals(ERR_UNSPEC, g.code(new GpuCommand.ResourceFlush(hdr(), full, 5)));
    }

    @Test
    void plainScanoutAndFlushOfABlob() {
        long[] pieces = createSplitBlob(5);
        paint(pieces, 1);
        Rect full = new Rect(0, 0, W, H);
        // a blob has no size of its own: SET_SCANOUT and 2D transfers of a real rect never fit
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.SetScanout(hdr(), full, 0, 5)));
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceFlush(hdr(), full, 5))); // shown nowhere: no-op
        assertEquals(0, g.frames.size());
        assertEquals(OK_NODATA, g.code(fullScanout(5)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.ResourceFlush(hdr(), new Rect(0, 0, W + 1, H), 5)));
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(new GpuCommand.ResourceFlush(hdr(), full, 9)));
        // SET_SCANOUT_BLOB with resource 0 disables the scanout
        assertEquals(OK_NODATA, g.code(new GpuCommand.SetScanoutBlob(hdr(), new Rect(0, 0, 0, 0), 0, 0, 0, 0, 0,
                List.of(0, 0, 0, 0), List.of(0, 0, 0, 0))));
        int frames = g.frames.size();
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceFlush(hdr(), full, 5)));
        assertEquals(frames, g.frames.size());
    }

    @Test
    void unrefAndMapOfGuestBlobs() {
        createSplitBlob(5);
        assertEquals(OK_NODATA, g.code(fullScanout(5)));
        // a guest blob is the guest's own memory: nothing to map into the host-visible region
        assertEquals(ERR_UNSPEC, g.code(new GpuCommand.ResourceMapBlob(hdr(), 5, 0)));
        assertEquals(ERR_UNSPEC, g.code(new GpuCommand.ResourceUnmapBlob(hdr(), 5)));
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(new GpuCommand.ResourceMapBlob(hdr(), 9, 0)));
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(new GpuCommand.ResourceUnmapBlob(hdr(), 9)));
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceUnref(hdr(), 5)));
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(new GpuCommand.ResourceUnref(hdr(), 5)));
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(new GpuCommand.ResourceFlush(hdr(), new Rect(0, 0, W, H), 5)));
        assertEquals(0, g.gpu.metrics().resources());
        createSplitBlob(5); // the id is free again, and the old scanout does not show it
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceFlush(hdr(), new Rect(0, 0, W, H), 5)));
        assertEquals(1, g.frames.size());
    }

    @Test
    void cursorFromAGuestBlob() {
        long at = g.alloc(64 * 64 * 4);
        ByteBuffer img = ByteBuffer.allocate(64 * 64 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 64 * 64; i++) {
            img.putInt(i == 64 * 3 + 2 ? 0x80112233 : 0); // ARGB8888: B, G, R, A in memory
        }
        g.memory.write(at, img.array(), 0, img.capacity());
        assertEquals(OK_NODATA, g.code(guestBlob(7, 64 * 64 * 4, List.of(new MemEntry(at, 64 * 64 * 4)))));
        assertEquals(OK_NODATA, g.code(new GpuCommand.UpdateCursor(hdr(), new CursorPos(0, 5, 6), 7, 1, 2)));
        CursorState c = g.cursors.get(g.cursors.size() - 1);
        assertEquals(0x80112233, c.image()[64 * 3 + 2]);
        assertEquals(0, c.image()[0]);
        assertEquals(OK_NODATA, g.code(guestBlob(8, 4096, List.of(new MemEntry(at, 4096)))));
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.UpdateCursor(hdr(), new CursorPos(0, 5, 6), 8, 1, 2)));
    }

    @Test
    void resetDropsBlobsAndTheirScanouts() {
        createSplitBlob(5);
        assertEquals(OK_NODATA, g.code(fullScanout(5)));
        g.gpu.reset();
        assertEquals(0, g.gpu.metrics().resources());
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(new GpuCommand.ResourceFlush(hdr(), new Rect(0, 0, W, H), 5)));
        createSplitBlob(5);
    }

    @Test
    void aRecordingTapSeesTheGuestBytesEachBlobFrameReads() {
        List<long[]> reads = new java.util.ArrayList<>(); // resource, offset, length
        CommandTap tap = new CommandTap() {
            @Override
            public void request(ByteBuffer request) {
            }

            @Override
            public void backingRead(int resourceId, long offset, ByteBuffer bytes) {
                reads.add(new long[] {resourceId, offset, bytes.remaining()});
            }
        };
        try (VirtioGpu gpu = VirtioGpu.builder(g.memory).tap(tap).build()) {
            long at = g.alloc(SIZE);
            gpu.handle(GpuCommandEncoder.encode(guestBlob(5, SIZE, List.of(new MemEntry(at, SIZE)))));
            gpu.handle(GpuCommandEncoder.encode(fullScanout(5)));
            assertEquals(H, reads.size());
            for (int y = 0; y < H; y++) {
                assertEquals(5, reads.get(y)[0]);
                assertEquals(OFFSET + (long) y * STRIDE, reads.get(y)[1]);
                assertEquals(W * 4, reads.get(y)[2]);
            }
        }
    }
}
