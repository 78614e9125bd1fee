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
}
