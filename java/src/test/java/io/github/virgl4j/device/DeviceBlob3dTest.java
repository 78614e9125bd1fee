package io.github.virgl4j.device;

import static io.github.virgl4j.device.GuestHarness.ctx;
import static io.github.virgl4j.device.GuestHarness.hdr;
import static io.github.virgl4j.device.protocol.GpuResponseType.ERR_INVALID_CONTEXT_ID;
import static io.github.virgl4j.device.protocol.GpuResponseType.ERR_INVALID_PARAMETER;
import static io.github.virgl4j.device.protocol.GpuResponseType.ERR_INVALID_RESOURCE_ID;
import static io.github.virgl4j.device.protocol.GpuResponseType.ERR_UNSPEC;
import static io.github.virgl4j.device.protocol.GpuResponseType.OK_MAP_INFO;
import static io.github.virgl4j.device.protocol.GpuResponseType.OK_NODATA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.device.protocol.Blob;
import io.github.virgl4j.device.protocol.Box3d;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuFeatures;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.device.protocol.GpuResponseType;
import io.github.virgl4j.device.protocol.MemEntry;
import io.github.virgl4j.device.protocol.Rect;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererOptions;
import io.github.virgl4j.virgl.VirglCommands;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Host blobs (HOST3D, HOST3D_GUEST) through virglrenderer 0.10.4 on llvmpipe: objects a virgl
 * context made with PIPE_RESOURCE_CREATE, turned into resources, mapped copy-free into a
 * host-visible region the guest reads and writes, shown on a scanout.
 */
class DeviceBlob3dTest {
    static final int BUFFER = 0;
    static final int TEXTURE_2D = 2;
    static final int R8 = 64;
    static final int BGRX = VirglCommands.FORMAT_B8G8R8X8_UNORM;
    static final int BIND_RENDER_TARGET = 1 << 1;
    static final int BIND_VERTEX_BUFFER = 1 << 4;
    static final int MAP_PERSISTENT_COHERENT = 2 | 4;
    static final long REGION = 1 << 20;
    static Renderer renderer;
    GuestHarness g;
    TrappedHostVisibleRegion region;

    @BeforeAll
    static void open() {
        renderer = Renderer.open(RendererOptions.llvmpipe());
    }

    @BeforeEach
    void start() {
        region = new TrappedHostVisibleRegion(REGION);
        g = new GuestHarness(renderer, GpuConfig.defaults().withSize(640, 480), region);
        assertEquals(OK_NODATA, g.code(new GpuCommand.CtxCreate(ctx(1), 0, "blob")));
    }

    @AfterEach
    void stop() {
        g.close();
    }

    private void submit(VirglCommands cmds) {
        assertEquals(OK_NODATA, g.code(new GpuCommand.Submit3d(ctx(1), cmds.build())));
    }

    /** A persistent, coherent buffer object of size bytes in context 1 (what Mesa makes for ARB_buffer_storage). */
    private void pipeBuffer(int blobId, int size) {
        submit(new VirglCommands().pipeResourceCreate(BUFFER, R8, BIND_VERTEX_BUFFER, size, 1, 1, 1, 0, 0,
                MAP_PERSISTENT_COHERENT, blobId));
    }

    private static GpuCommand.ResourceCreateBlob hostBlob(int id, int blobId, long size) {
        return new GpuCommand.ResourceCreateBlob(ctx(1), id, Blob.MEM_HOST3D, Blob.FLAG_USE_MAPPABLE, blobId, size,
                List.of());
    }

    /** A plain buffer resource of size bytes, backed and attached to context 1. */
    private long plainBuffer(int id, int size) {
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceCreate3d(hdr(), id, BUFFER, R8, BIND_VERTEX_BUFFER,
                size, 1, 1, 1, 0, 0, 0)));
        long at = g.backWith(id, size);
        assertEquals(OK_NODATA, g.code(new GpuCommand.CtxAttachResource(ctx(1), id)));
        return at;
    }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void blobFeatureIsOfferedWithTheRenderer() {
        assertTrue(GpuFeatures.has(g.gpu.features(), GpuFeatures.RESOURCE_BLOB));
        assertTrue(GpuFeatures.has(g.gpu.features(), GpuFeatures.VIRGL));
    }

    @Test
    void aMappedHostBlobIsTheRenderersMemoryBothWays() {
        pipeBuffer(1, 8192);
        assertEquals(OK_NODATA, g.code(hostBlob(20, 1, 8192)));
        assertEquals(OK_NODATA, g.code(new GpuCommand.CtxAttachResource(ctx(1), 20)));
        GpuResponse r = g.send(new GpuCommand.ResourceMapBlob(hdr(), 20, 0x4000));
        assertEquals(OK_MAP_INFO, r.type());
        assertEquals(Blob.MAP_CACHE_CACHED, ((GpuResponse.OkMapInfo) r).mapInfo() & Blob.MAP_CACHE_MASK);
        assertEquals(1, region.mappings());

        // guest -> host: the guest writes through the region, the GPU copies the blob into a plain
        // buffer, which comes back to guest memory by TRANSFER_FROM_HOST_3D
        byte[] written = pattern(8192, 1);
        region.write(0x4000, ByteBuffer.wrap(written));
        long plain = plainBuffer(21, 8192);
        submit(new VirglCommands().copyRegion(21, 0, 0, 20, 0, 0, 8192, 1));
        assertEquals(OK_NODATA, g.code(new GpuCommand.TransferFromHost3d(ctx(1), new Box3d(0, 0, 0, 8192, 1, 1),
                0, 21, 0, 0, 0)));
        byte[] back = new byte[8192];
        g.memory.read(plain, back, 0, back.length);
        assertArrayEquals(written, back);

        // host -> guest: the GPU writes the blob, the guest reads it through the region
        byte[] uploaded = pattern(8192, 2);
        g.memory.write(plain, uploaded, 0, uploaded.length);
        assertEquals(OK_NODATA, g.code(new GpuCommand.TransferToHost3d(ctx(1), new Box3d(0, 0, 0, 8192, 1, 1),
                0, 21, 0, 0, 0)));
        GpuResponse fenced = GpuResponse.decode(g.raw(new GpuCommand.Submit3d(GuestHarness.fenced(1, 5),
                new VirglCommands().copyRegion(20, 0, 0, 21, 0, 0, 8192, 1).build())));
        assertEquals(OK_NODATA, fenced.type());
        ByteBuffer seen = ByteBuffer.allocate(8192);
        region.read(0x4000, seen);
        assertArrayEquals(uploaded, seen.array());

        // bytes outside the mapping read as zero
        ByteBuffer outside = ByteBuffer.allocate(16);
        region.read(0x4000 + 8192, outside);
        assertArrayEquals(new byte[16], outside.array());

        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceUnmapBlob(hdr(), 20)));
        assertEquals(0, region.mappings());
        assertEquals(ERR_UNSPEC, g.code(new GpuCommand.ResourceUnmapBlob(hdr(), 20)));
    }

    @Test
    void createHostBlobErrors() {
        pipeBuffer(1, 4096);
        long at = g.alloc(4096);
        List<MemEntry> page = List.of(new MemEntry(at, 4096));
        assertEquals(ERR_INVALID_PARAMETER, g.code(hostBlob(20, 99, 4096)));           // no such blob_id
        assertEquals(ERR_INVALID_CONTEXT_ID, g.code(new GpuCommand.ResourceCreateBlob(ctx(7), 20,
                Blob.MEM_HOST3D, 0, 1, 4096, List.of())));                             // unknown context
        assertEquals(ERR_INVALID_CONTEXT_ID, g.code(new GpuCommand.ResourceCreateBlob(hdr(), 20,
                Blob.MEM_HOST3D, 0, 1, 4096, List.of())));                             // context 0
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.ResourceCreateBlob(ctx(1), 20,
                Blob.MEM_HOST3D, 0, 1, 4096, page)));                                  // HOST3D has no guest pages
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.ResourceCreateBlob(ctx(1), 20,
                Blob.MEM_HOST3D_GUEST, 0, 1, 8192, page)));                            // entries too short
        assertEquals(ERR_UNSPEC, g.code(new GpuCommand.ResourceCreateBlob(ctx(1), 20,
                Blob.MEM_HOST3D_GUEST, 0, 1, 4096, List.of(new MemEntry(0x10, 4096))))); // outside memory
        assertEquals(0, g.gpu.metrics().resources());
        assertEquals(OK_NODATA, g.code(hostBlob(20, 1, 4096)));
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(hostBlob(20, 1, 4096)));          // id in use
        assertEquals(ERR_INVALID_PARAMETER, g.code(hostBlob(21, 1, 4096)));           // blob_id taken already
        // a HOST3D blob has no guest storage to transfer from
        assertEquals(OK_NODATA, g.code(new GpuCommand.CtxAttachResource(ctx(1), 20)));
        assertEquals(ERR_UNSPEC, g.code(new GpuCommand.TransferToHost3d(ctx(1), new Box3d(0, 0, 0, 16, 1, 1),
                0, 20, 0, 0, 0)));
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceUnref(hdr(), 20)));
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(new GpuCommand.ResourceUnref(hdr(), 20)));
    }

    @Test
    void mapBlobErrors() {
        pipeBuffer(1, 8192);
        pipeBuffer(2, 4096);
        submit(new VirglCommands().pipeResourceCreate(BUFFER, R8, BIND_VERTEX_BUFFER, 4096, 1, 1, 1, 0, 0, 0, 3));
        assertEquals(OK_NODATA, g.code(hostBlob(20, 1, 8192)));
        assertEquals(OK_NODATA, g.code(hostBlob(21, 2, 4096)));
        assertEquals(OK_NODATA, g.code(hostBlob(22, 3, 4096)));
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(new GpuCommand.ResourceMapBlob(hdr(), 99, 0)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.ResourceMapBlob(hdr(), 20, 100)));   // not a page
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.ResourceMapBlob(hdr(), 20, REGION - 4096)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.ResourceMapBlob(hdr(), 20, -4096L)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.ResourceMapBlob(hdr(), 20, Long.MAX_VALUE & ~4095L)));
        assertEquals(ERR_UNSPEC, g.code(new GpuCommand.ResourceMapBlob(hdr(), 22, 0)));  // not persistent: GL cannot map
        assertEquals(OK_MAP_INFO, g.code(new GpuCommand.ResourceMapBlob(hdr(), 20, 0)));
        assertEquals(ERR_UNSPEC, g.code(new GpuCommand.ResourceMapBlob(hdr(), 20, 0x10000)));  // mapped already
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.ResourceMapBlob(hdr(), 21, 4096))); // overlaps 20
        assertEquals(OK_MAP_INFO, g.code(new GpuCommand.ResourceMapBlob(hdr(), 21, 8192)));
        assertEquals(2, region.mappings());
        assertEquals(ERR_UNSPEC, g.code(new GpuCommand.ResourceUnmapBlob(hdr(), 22)));           // not mapped
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(new GpuCommand.ResourceUnmapBlob(hdr(), 99)));
        // unref of a mapped blob takes the mapping away first; reset takes the rest
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceUnref(hdr(), 20)));
        assertEquals(1, region.mappings());
        g.gpu.reset();
        assertEquals(0, region.mappings());
    }

    @Test
    void mapBlobWithoutAHostVisibleRegionIsUnspec() {
        try (GuestHarness plain = new GuestHarness(renderer)) {
            assertEquals(OK_NODATA, plain.code(new GpuCommand.CtxCreate(ctx(1), 0, "no region")));
            assertEquals(OK_NODATA, plain.code(new GpuCommand.Submit3d(ctx(1), new VirglCommands()
                    .pipeResourceCreate(BUFFER, R8, BIND_VERTEX_BUFFER, 4096, 1, 1, 1, 0, 0, MAP_PERSISTENT_COHERENT, 1)
                    .build())));
            assertEquals(OK_NODATA, plain.code(hostBlob(20, 1, 4096)));
            assertEquals(ERR_UNSPEC, plain.code(new GpuCommand.ResourceMapBlob(hdr(), 20, 0)));
            assertEquals(ERR_UNSPEC, plain.code(new GpuCommand.ResourceUnmapBlob(hdr(), 20)));
        }
    }

    @Test
    void aHost3dGuestBufferBlobOnAScanoutShowsTheHostCopy() {
        int w = 32;
        int h = 16;
        int stride = 160;
        int size = stride * h;
        submit(new VirglCommands().pipeResourceCreate(BUFFER, R8, BIND_VERTEX_BUFFER, size, 1, 1, 1, 0, 0, 0, 1));
        long at = g.alloc(size);
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceCreateBlob(ctx(1), 20, Blob.MEM_HOST3D_GUEST,
                Blob.FLAG_USE_MAPPABLE, 1, size, List.of(new MemEntry(at, size)))));
        assertEquals(OK_NODATA, g.code(new GpuCommand.CtxAttachResource(ctx(1), 20)));
        ByteBuffer px = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        int[] expected = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = x * 8 << 16 | y * 16 << 8 | 0x40;
                px.putInt(y * stride + x * 4, rgb);
                expected[y * w + x] = 0xff000000 | rgb;
            }
        }
        g.memory.write(at, px.array(), 0, size);
        assertEquals(OK_NODATA, g.code(new GpuCommand.TransferToHost3d(ctx(1), new Box3d(0, 0, 0, size, 1, 1),
                0, 20, 0, 0, 0)));
        g.memory.write(at, new byte[size], 0, size); // the guest copy is gone: the frame must come from the host
        assertEquals(OK_NODATA, g.code(new GpuCommand.SetScanoutBlob(hdr(), new Rect(0, 0, w, h), 0, 20, w, h,
                BGRX, List.of(stride, 0, 0, 0), List.of(0, 0, 0, 0))));
        Frame f = g.frames.get(g.frames.size() - 1);
        assertEquals(new Frame(0, 0, w, h, expected).sha256(), f.sha256());
        // and the transfer box is bounded by the guest storage
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.TransferToHost3d(ctx(1),
                new Box3d(0, 0, 0, size, 1, 1), 1, 20, 0, 0, 0)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.SetScanoutBlob(hdr(), new Rect(0, 0, w, h), 0, 20,
                w, h + 1, BGRX, List.of(stride, 0, 0, 0), List.of(0, 0, 0, 0))));
    }

    @Test
    void aHostTextureBlobOnAScanoutShowsWhatTheContextRendered() {
        submit(new VirglCommands().pipeResourceCreate(TEXTURE_2D, BGRX, BIND_RENDER_TARGET, 64, 48, 1, 1, 0, 0, 0, 4));
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceCreateBlob(ctx(1), 20, Blob.MEM_HOST3D,
                Blob.FLAG_USE_SHAREABLE, 4, 64 * 48 * 4, List.of())));
        assertEquals(OK_NODATA, g.code(new GpuCommand.CtxAttachResource(ctx(1), 20)));
        submit(new VirglCommands().createSurface(1, 20, BGRX).setFramebuffer(1).clearColor(1f, 0.4f, 0f, 1f));
        assertEquals(OK_NODATA, g.code(new GpuCommand.SetScanoutBlob(hdr(), new Rect(0, 0, 64, 48), 0, 20, 64, 48,
                BGRX, List.of(256, 0, 0, 0), List.of(0, 0, 0, 0))));
        Frame f = g.frames.get(g.frames.size() - 1);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                assertEquals(0xffff6600, f.pixel(x, y), x + "," + y);
            }
        }
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceFlush(hdr(), new Rect(0, 0, 64, 48), 20)));
        assertEquals(f.sha256(), g.frames.get(g.frames.size() - 1).sha256());
        // a framebuffer larger than the texture is refused before the scanout changes
        int frames = g.frames.size();
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.SetScanoutBlob(hdr(), new Rect(0, 0, 64, 49), 0,
                20, 64, 49, BGRX, List.of(256, 0, 0, 0), List.of(0, 0, 0, 0))));
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceFlush(hdr(), new Rect(0, 0, 64, 48), 20)));
        assertEquals(frames + 1, g.frames.size());
        assertEquals(f.sha256(), g.frames.get(g.frames.size() - 1).sha256());
    }

    @Test
    void mutatedBlobRequestsAllGetAnswersAndTheDeviceKeepsServing() {
        pipeBuffer(1, 8192);
        long at = g.alloc(16384);
        List<GpuCommand> valid = List.of(
                hostBlob(20, 1, 8192),
                new GpuCommand.ResourceCreateBlob(hdr(), 21, Blob.MEM_GUEST, 0, 0, 16384,
                        List.of(new MemEntry(at, 8192), new MemEntry(at + 8192, 8192))),
                new GpuCommand.ResourceMapBlob(hdr(), 20, 0x8000),
                new GpuCommand.SetScanoutBlob(hdr(), new Rect(0, 0, 32, 32), 0, 21, 32, 32, BGRX,
                        List.of(128, 0, 0, 0), List.of(0, 0, 0, 0)),
                new GpuCommand.ResourceFlush(hdr(), new Rect(0, 0, 32, 32), 21),
                new GpuCommand.UpdateCursor(hdr(), new io.github.virgl4j.device.protocol.CursorPos(0, 1, 1), 21, 0, 0),
                new GpuCommand.ResourceUnmapBlob(hdr(), 20),
                new GpuCommand.TransferToHost2d(hdr(), new Rect(0, 0, 32, 32), 0, 21));
        List<ByteBuffer> requests = valid.stream().map(io.github.virgl4j.device.protocol.GpuCommandEncoder::encode)
                .toList();
        for (ByteBuffer v : requests) {
            g.gpu.handle(v.duplicate());
        }
        Random rnd = new Random(20261201);
        int ok = 0;
        for (int i = 0; i < 5000; i++) {
            GpuResponse r = GpuResponse.decode(g.gpu.handle(
                    DeviceHostileTest.mutate(rnd, requests.get(rnd.nextInt(requests.size())))));
            assertTrue(r.isOk() || GpuResponseType.isError(r.type()));
            ok += r.isOk() ? 1 : 0;
        }
        assertTrue(ok > 50, "ok=" + ok);
        // mappings the device holds are exactly the region's
        assertTrue(region.mappings() <= 1);
        g.gpu.reset();
        assertEquals(0, region.mappings());
        assertEquals(OK_NODATA, g.code(new GpuCommand.CtxCreate(ctx(1), 0, "after")));
        pipeBuffer(1, 4096);
        assertEquals(OK_NODATA, g.code(hostBlob(20, 1, 4096)));
        assertEquals(OK_MAP_INFO, g.code(new GpuCommand.ResourceMapBlob(hdr(), 20, 0)));
    }

    @Test
    void closingTheRendererUnderALiveDeviceTakesTheMappingsAway() {
        pipeBuffer(1, 4096);
        assertEquals(OK_NODATA, g.code(hostBlob(20, 1, 4096)));
        assertEquals(OK_MAP_INFO, g.code(new GpuCommand.ResourceMapBlob(hdr(), 20, 0)));
        assertEquals(1, region.mappings());
        try {
            renderer.close(); // frees the blob's memory: the guest must not keep a window onto it
            assertEquals(0, region.mappings());
            assertEquals(ERR_UNSPEC, g.code(new GpuCommand.ResourceMapBlob(hdr(), 20, 0x1000)));
        } finally {
            renderer = Renderer.open(RendererOptions.llvmpipe());
        }
    }

    /** A 16×16 texture blob of context 1 cleared to a colour, shown on scanout 0; its frame's first pixel. */
    private static int showClearedTextureBlob(GuestHarness h, float red) {
        assertEquals(OK_NODATA, h.code(new GpuCommand.Submit3d(ctx(1), new VirglCommands()
                .pipeResourceCreate(TEXTURE_2D, BGRX, BIND_RENDER_TARGET, 16, 16, 1, 1, 0, 0, 0, 9).build())));
        assertEquals(OK_NODATA, h.code(new GpuCommand.ResourceCreateBlob(ctx(1), 20, Blob.MEM_HOST3D, 0, 9,
                16 * 16 * 4, List.of())));
        assertEquals(OK_NODATA, h.code(new GpuCommand.CtxAttachResource(ctx(1), 20)));
        assertEquals(OK_NODATA, h.code(new GpuCommand.Submit3d(ctx(1), new VirglCommands().createSurface(1, 20, BGRX)
                .setFramebuffer(1).clearColor(red, 0f, 1f, 1f).build())));
        assertEquals(OK_NODATA, h.code(new GpuCommand.SetScanoutBlob(hdr(), new Rect(0, 0, 16, 16), 0, 20, 16, 16,
                BGRX, List.of(64, 0, 0, 0), List.of(0, 0, 0, 0))));
        return h.frames.get(h.frames.size() - 1).pixel(0, 0);
    }

    @Test
    void twoDevicesWithTheSameBlobIdKeepTheirOwnResources() {
        assertEquals(0xff0000ff, showClearedTextureBlob(g, 0f));
        try (GuestHarness other = new GuestHarness(renderer)) {
            assertEquals(OK_NODATA, other.code(new GpuCommand.CtxCreate(ctx(1), 0, "other")));
            // resource 20 is taken in the renderer: the second device's blob gets another handle and its
            // command streams are rewritten
            assertEquals(0xffff00ff, showClearedTextureBlob(other, 1f));
        }
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceFlush(hdr(), new Rect(0, 0, 16, 16), 20)));
        assertEquals(0xff0000ff, g.frames.get(g.frames.size() - 1).pixel(0, 0));
    }
}
