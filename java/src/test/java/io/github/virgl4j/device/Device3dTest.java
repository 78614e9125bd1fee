package io.github.virgl4j.device;

import static io.github.virgl4j.device.GuestHarness.ctx;
import static io.github.virgl4j.device.GuestHarness.hdr;
import static io.github.virgl4j.device.protocol.GpuResponseType.ERR_INVALID_CONTEXT_ID;
import static io.github.virgl4j.device.protocol.GpuResponseType.ERR_INVALID_PARAMETER;
import static io.github.virgl4j.device.protocol.GpuResponseType.ERR_INVALID_RESOURCE_ID;
import static io.github.virgl4j.device.protocol.GpuResponseType.ERR_OUT_OF_MEMORY;
import static io.github.virgl4j.device.protocol.GpuResponseType.ERR_UNSPEC;
import static io.github.virgl4j.device.protocol.GpuResponseType.OK_NODATA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.device.protocol.Box3d;
import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandEncoder;
import io.github.virgl4j.device.protocol.GpuFeatures;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.device.protocol.Rect;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererOptions;
import io.github.virgl4j.renderer.ResourceCreateArgs;
import io.github.virgl4j.virgl.VirglCommands;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import io.github.virgl4j.device.protocol.GpuCommandDecoder;
import io.github.virgl4j.device.protocol.MemEntry;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The 3D command set against the real virglrenderer on llvmpipe. */
class Device3dTest {
    static final int RGBA = VirglCommands.FORMAT_R8G8B8A8_UNORM;
    static final int BGRX = VirglCommands.FORMAT_B8G8R8X8_UNORM;
    static Renderer renderer;
    GuestHarness g;

    @BeforeAll
    static void open() {
        renderer = Renderer.open(RendererOptions.llvmpipe());
    }

    @BeforeEach
    void start() {
        g = new GuestHarness(renderer);
    }

    @AfterEach
    void stop() {
        g.close();
    }

    static GpuCommand.ResourceCreate3d texture(int id, int format, int w, int h) {
        ResourceCreateArgs a = ResourceCreateArgs.texture2d(format, w, h);
        return new GpuCommand.ResourceCreate3d(hdr(), id, a.target(), a.format(), a.bind(), w, h, 1, 1, 0, 0, 0);
    }

    static GpuCommand.Submit3d submit(int ctxId, ByteBuffer commands) {
        return new GpuCommand.Submit3d(ctx(ctxId), commands);
    }

    /** Context 1 with a w×h render target resource 10, attached and backed. */
    private long setUpTarget(int format, int w, int h) {
        assertEquals(OK_NODATA, g.code(new GpuCommand.CtxCreate(ctx(1), 0, "test")));
        assertEquals(OK_NODATA, g.code(texture(10, format, w, h)));
        long backing = g.backWith(10, w * h * 4);
        assertEquals(OK_NODATA, g.code(new GpuCommand.CtxAttachResource(ctx(1), 10)));
        return backing;
    }

    @Test
    void featuresAndCapsetsComeFromTheRenderer() {
        long f = g.gpu.features();
        assertTrue(GpuFeatures.has(f, GpuFeatures.VIRGL));
        assertTrue(GpuFeatures.has(f, GpuFeatures.CONTEXT_INIT));
        assertEquals(2, g.gpu.configSpace().getInt(12));
        GpuResponse.OkCapsetInfo info = (GpuResponse.OkCapsetInfo) g.send(new GpuCommand.GetCapsetInfo(hdr(), 1));
        assertEquals(new GpuResponse.OkCapsetInfo(2, 2, 1376), info);
        GpuResponse.OkCapset caps = (GpuResponse.OkCapset) g.send(new GpuCommand.GetCapset(hdr(), 2, 2));
        assertEquals(1376, caps.data().length);
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.GetCapsetInfo(hdr(), 2)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.GetCapset(hdr(), 2, 3)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.GetCapset(hdr(), 9, 1)));
    }

    @Test
    void submit3dRendersAFrameCheckedThroughTheScanoutSink() {
        setUpTarget(BGRX, 64, 48);
        ByteBuffer cmds = new VirglCommands().createSurface(1, 10, BGRX).setFramebuffer(1)
                .clearColor(0f, 0.6f, 1f, 1f).build();
        GpuResponse r = GpuResponse.decode(g.raw(new GpuCommand.Submit3d(GuestHarness.fenced(1, 42), cmds)));
        assertEquals(OK_NODATA, r.type());
        assertEquals(OK_NODATA, g.code(new GpuCommand.SetScanout(hdr(), new Rect(0, 0, 64, 48), 0, 10)));
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceFlush(hdr(), new Rect(0, 0, 64, 48), 10)));
        Frame frame = g.frames.get(g.frames.size() - 1);
        assertEquals(64, frame.width());
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                assertEquals(0xff0099ff, frame.pixel(x, y), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void fencedResponsesEchoTheFenceAfterCompletion() {
        setUpTarget(RGBA, 16, 16);
        ByteBuffer resp = g.gpu.submit(GpuCommandEncoder.encode(new GpuCommand.Submit3d(GuestHarness.fenced(1, 7),
                new VirglCommands().createSurface(1, 10, RGBA).setFramebuffer(1).clearColor(1, 0, 0, 1).build())))
                .join().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(OK_NODATA, resp.getInt(0));
        assertEquals(CtrlHeader.FLAG_FENCE, resp.getInt(4) & CtrlHeader.FLAG_FENCE);
        assertEquals(7L, resp.getLong(8));
        assertEquals(1, resp.getInt(16));
        assertEquals(0, renderer.outstandingFences());
        assertTrue(g.gpu.metrics().fences() >= 1);
    }

    @Test
    void typedCommandsRunLikeTheirBytesAndAFencedOneCompletesAfterItsFence() {
        long backing = setUpTarget(RGBA, 4, 4);
        GpuResponse done = g.gpu.submit(new GpuCommand.Submit3d(GuestHarness.fenced(1, 9),
                new VirglCommands().createSurface(1, 10, RGBA).setFramebuffer(1).clearColor(0, 1, 0, 1).build())).join();
        assertTrue(done.isOk(), done.toString());
        assertEquals(0, renderer.outstandingFences());
        assertTrue(g.gpu.handle(new GpuCommand.TransferFromHost3d(ctx(1), new Box3d(0, 0, 0, 4, 4, 1), 0, 10, 0, 16, 0))
                .isOk());
        byte[] px = new byte[4];
        g.memory.read(backing + 5 * 4, px, 0, 4);
        assertEquals("[0, -1, 0, -1]", java.util.Arrays.toString(px));
        // the decoder's limits hold for typed commands too
        List<MemEntry> tooMany = java.util.Collections.nCopies(GpuCommandDecoder.MAX_MEM_ENTRIES + 1, new MemEntry(backing, 4));
        assertEquals(ERR_INVALID_PARAMETER, g.gpu.handle(new GpuCommand.ResourceAttachBacking(hdr(), 10, tooMany)).type());
        assertEquals(ERR_INVALID_PARAMETER, g.gpu.handle(new GpuCommand.CtxCreate(ctx(2), 0, "n".repeat(65))).type());
        // a name is bytes (one char each): text must come through CtxCreate.named
        assertEquals(ERR_INVALID_PARAMETER, g.gpu.handle(new GpuCommand.CtxCreate(ctx(2), 0, "\u20ac")).type());
        assertEquals(ERR_INVALID_RESOURCE_ID, g.gpu.handle(new GpuCommand.CtxAttachResource(ctx(1), 99)).type());
    }

    /** A second device on the renderer whose tap adds every request's wire bytes to seen. */
    private static VirtioGpu tappedDevice(List<ByteBuffer> seen) {
        CommandTap tap = new CommandTap() {
            @Override
            public void request(ByteBuffer request) {
                seen.add(request);
            }

            @Override
            public void backingRead(int resourceId, long offset, ByteBuffer bytes) {
            }
        };
        return VirtioGpu.builder(GuestRam.allocate(0x1000, 4096)).renderer(renderer).tap(tap).build();
    }

    @Test
    void aTapRecordsATypedCommandAsItsWireBytes() {
        List<ByteBuffer> seen = new java.util.ArrayList<>();
        try (VirtioGpu tapped = tappedDevice(seen)) {
            GpuCommand c = new GpuCommand.CtxCreate(ctx(3), 0, "tapped");
            assertTrue(tapped.handle(c).isOk());
            assertEquals(List.of(GpuCommandEncoder.encode(c)), seen);
        }
    }

    @Test
    void aNameGivenAsTextIsItsUtf8BytesCutBetweenCharacters() {
        List<ByteBuffer> seen = new java.util.ArrayList<>();
        try (VirtioGpu tapped = tappedDevice(seen)) {
            String euros = "\u20ac".repeat(30); // 90 UTF-8 bytes; 64 would cut the 22nd euro sign
            GpuCommand.CtxCreate c = GpuCommand.CtxCreate.named(ctx(4), 0, euros);
            assertEquals(63, c.debugName().length());
            assertEquals("\u20ac".repeat(21), c.debugText());
            assertTrue(tapped.handle(c).isOk());
            ByteBuffer wire = seen.get(0).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            assertEquals(63, wire.getInt(24)); // virtio_gpu_ctx_create: hdr (24), nlen, context_init, debug_name[64]
            byte[] name = new byte[63];
            wire.get(32, name);
            assertArrayEquals(euros.substring(0, 21).getBytes(java.nio.charset.StandardCharsets.UTF_8), name);
        }
        assertEquals("abc", GpuCommand.CtxCreate.named(ctx(5), 0, "abc").debugName());
        assertEquals(64, GpuCommand.CtxCreate.named(ctx(5), 0, "x".repeat(100)).debugName().length());
    }

    @Test
    void transferFromHostWritesRenderedPixelsIntoGuestMemory() {
        long backing = setUpTarget(RGBA, 8, 8);
        assertEquals(OK_NODATA, g.code(submit(1, new VirglCommands().createSurface(1, 10, RGBA).setFramebuffer(1)
                .clearColor(0.2f, 0.4f, 0.6f, 1f).build())));
        assertEquals(OK_NODATA, g.code(new GpuCommand.TransferFromHost3d(ctx(1), new Box3d(0, 0, 0, 8, 8, 1),
                0, 10, 0, 32, 0)));
        byte[] px = new byte[8 * 8 * 4];
        g.memory.read(backing, px, 0, px.length);
        for (int i = 0; i < 64; i++) {
            assertEquals(51, px[i * 4] & 0xff);
            assertEquals(102, px[i * 4 + 1] & 0xff);
            assertEquals(153, px[i * 4 + 2] & 0xff);
            assertEquals(255, px[i * 4 + 3] & 0xff);
        }
        // and back: the guest writes a pixel, uploads it, reads it again
        g.memory.write(backing, new byte[] {9, 8, 7, 6}, 0, 4);
        assertEquals(OK_NODATA, g.code(new GpuCommand.TransferToHost3d(ctx(1), new Box3d(0, 0, 0, 1, 1, 1), 0, 10, 0, 32, 0)));
        g.memory.write(backing, new byte[4], 0, 4);
        assertEquals(OK_NODATA, g.code(new GpuCommand.TransferFromHost3d(ctx(1), new Box3d(0, 0, 0, 8, 8, 1), 0, 10, 0, 32, 0)));
        byte[] first = new byte[4];
        g.memory.read(backing, first, 0, 4);
        assertEquals("[9, 8, 7, 6]", java.util.Arrays.toString(first));
    }

    @Test
    void contextErrors() {
        assertEquals(ERR_INVALID_CONTEXT_ID, g.code(new GpuCommand.CtxCreate(ctx(0), 0, "zero")));
        assertEquals(OK_NODATA, g.code(new GpuCommand.CtxCreate(ctx(1), 0, "one")));
        assertEquals(ERR_INVALID_CONTEXT_ID, g.code(new GpuCommand.CtxCreate(ctx(1), 0, "again")));
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.CtxCreate(ctx(2), 4, "venus"))); // not offered
        assertEquals(ERR_INVALID_CONTEXT_ID, g.code(new GpuCommand.CtxDestroy(ctx(5))));
        assertEquals(ERR_INVALID_CONTEXT_ID, g.code(submit(5, new VirglCommands().build())));
        assertEquals(ERR_INVALID_CONTEXT_ID, g.code(new GpuCommand.CtxAttachResource(ctx(5), 10)));
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(new GpuCommand.CtxAttachResource(ctx(1), 10)));
        assertEquals(OK_NODATA, g.code(new GpuCommand.CtxDestroy(ctx(1))));
        assertEquals(ERR_INVALID_CONTEXT_ID, g.code(new GpuCommand.CtxDestroy(ctx(1))));
    }

    @Test
    void resourceErrors() {
        setUpTarget(RGBA, 8, 8);
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(texture(10, RGBA, 8, 8)));
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(texture(0, RGBA, 8, 8)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(texture(11, RGBA, 0, 8)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(texture(11, RGBA, 1 << 20, 8)));
        assertEquals(ERR_INVALID_PARAMETER, g.code(texture(12, 9999, 8, 8))); // virglrenderer: bad format
        // transfer box outside the resource: virglrenderer's own check, EINVAL
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.TransferToHost3d(ctx(1),
                new Box3d(4, 4, 0, 8, 8, 1), 0, 10, 0, 32, 0)));
        // offset past the backing
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.TransferToHost3d(ctx(1),
                new Box3d(0, 0, 0, 1, 1, 1), 1 << 20, 10, 0, 32, 0)));
        // regression (found by DeviceHostileTest): a stride that is negative as a C int made
        // virglrenderer 0.10.4's 32-bit bounds check wrap and read before the iovec (SIGSEGV)
        for (int badStride : new int[] {-4, -1, Integer.MIN_VALUE, 1 << 30}) {
            assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.TransferToHost3d(ctx(1),
                    new Box3d(0, 0, 0, 8, 8, 1), 0, 10, 0, badStride, 0)), "stride " + badStride);
            assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.TransferFromHost3d(ctx(1),
                    new Box3d(0, 0, 0, 8, 8, 1), 0, 10, 0, badStride, 0)), "stride " + badStride);
        }
        assertEquals(ERR_INVALID_PARAMETER, g.code(new GpuCommand.TransferToHost3d(ctx(1),
                new Box3d(0, 0, 0, 8, 8, 2), 0, 10, 0, 32, -4)));
        // a resource not attached to the context
        assertEquals(OK_NODATA, g.code(texture(13, RGBA, 8, 8)));
        g.backWith(13, 256);
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(new GpuCommand.TransferToHost3d(ctx(1),
                new Box3d(0, 0, 0, 1, 1, 1), 0, 13, 0, 32, 0)));
        assertEquals(OK_NODATA, g.code(new GpuCommand.ResourceUnref(hdr(), 10)));
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(new GpuCommand.ResourceUnref(hdr(), 10)));
    }

    @Test
    void malformedVirglStreamsAreRejectedAndTheDeviceKeepsServing() {
        setUpTarget(RGBA, 8, 8);
        ByteBuffer junk = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 16; i++) {
            junk.putInt(0x7fff0000 | i); // huge lengths, unknown commands
        }
        int code = g.code(submit(1, junk.flip()));
        assertTrue(code == ERR_INVALID_PARAMETER || code == OK_NODATA, Integer.toHexString(code));
        // surface over a resource the context does not have
        assertEquals(ERR_INVALID_PARAMETER, g.code(submit(1, new VirglCommands().createSurface(1, 77, RGBA).build())));
        assertEquals(OK_NODATA, g.code(submit(1, new VirglCommands().createSurface(2, 10, RGBA).build())));
    }

    @Test
    void copyBoxesOutsideTheirResourceAreRefusedBeforeVirglrenderer() {
        setUpTarget(RGBA, 8, 8);
        assertEquals(OK_NODATA, g.code(texture(11, RGBA, 8, 8)));
        g.backWith(11, 8 * 8 * 4);
        assertEquals(OK_NODATA, g.code(new GpuCommand.CtxAttachResource(ctx(1), 11)));
        assertEquals(OK_NODATA, g.code(submit(1, new VirglCommands().copyRegion(11, 4, 4, 10, 0, 0, 4, 4).build())));
        // DeviceFuzzTest's finding: destination z 0x7fffffff killed the JVM inside glCopyImageSubData.
        assertEquals(ERR_INVALID_PARAMETER, g.code(submit(1, new VirglCommands()
                .command(17, 0, 10, 0, 0, 0, 0x7fffffff, 10, 0, 0, 0, 0, 4, 4, 1).build())));
        assertEquals(ERR_INVALID_PARAMETER, g.code(submit(1, new VirglCommands().copyRegion(11, 6, 0, 10, 0, 0, 4, 4).build())));
        assertEquals(ERR_INVALID_PARAMETER, g.code(submit(1, new VirglCommands().copyRegion(11, 0, 0, 10, 0, -4, 4, 4).build())));
        assertEquals(ERR_INVALID_RESOURCE_ID, g.code(submit(1, new VirglCommands().copyRegion(77, 0, 0, 10, 0, 0, 4, 4).build())));
        // BLIT with a layer that wraps 32 bits
        assertEquals(ERR_INVALID_PARAMETER, g.code(submit(1, new VirglCommands().command(16, 0, 0xff, 0, 0, 11, 0, RGBA,
                0, 0, 0x7fffffff, 4, 4, 1, 10, 0, RGBA, 0, 0, 0, 4, 4, 1).build())));
        assertEquals(OK_NODATA, g.code(submit(1, new VirglCommands().blit(11, RGBA, 0, 0, 10, RGBA, 0, 0, 4, 4).build())));
    }

    @Test
    void submitLimitsGiveOutOfMemory() {
        GuestHarness small = new GuestHarness(renderer, GpuConfig.defaults()
                .withLimits(new GpuLimits(8, 1 << 20, 1, 64, 16)));
        try (small) {
            assertEquals(OK_NODATA, small.code(new GpuCommand.CtxCreate(ctx(1), 0, "a")));
            assertEquals(ERR_OUT_OF_MEMORY, small.code(new GpuCommand.CtxCreate(ctx(2), 0, "b")));
            assertEquals(ERR_OUT_OF_MEMORY, small.code(submit(1, ByteBuffer.allocate(128))));
            assertEquals(ERR_OUT_OF_MEMORY, small.code(texture(1, RGBA, 1024, 1024)));
        }
    }

    @Test
    void anotherDeviceCannotUseThisDevicesObjects() {
        setUpTarget(RGBA, 8, 8);
        try (GuestHarness other = new GuestHarness(renderer)) {
            assertEquals(ERR_INVALID_CONTEXT_ID, other.code(submit(1, new VirglCommands().build())));
            assertEquals(ERR_INVALID_RESOURCE_ID, other.code(new GpuCommand.ResourceUnref(hdr(), 10)));
            assertEquals(OK_NODATA, other.code(new GpuCommand.CtxCreate(ctx(1), 0, "other")));
            assertEquals(ERR_INVALID_RESOURCE_ID, other.code(new GpuCommand.CtxAttachResource(ctx(1), 10)));
        }
        assertEquals(OK_NODATA, g.code(submit(1, new VirglCommands().createSurface(3, 10, RGBA).build())));
    }

    @Test
    void resetDestroysEverythingOfTheDevice() {
        setUpTarget(RGBA, 8, 8);
        g.gpu.reset();
        assertEquals(0, g.gpu.metrics().resources());
        assertEquals(ERR_INVALID_CONTEXT_ID, g.code(submit(1, new VirglCommands().build())));
        assertEquals(OK_NODATA, g.code(texture(10, RGBA, 8, 8))); // the id is free again
    }

    @Test
    void unknownAndTruncatedRequestsGetErrUnspec() {
        ByteBuffer unknown = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0x0999);
        assertEquals(ERR_UNSPEC, GpuResponse.decode(g.gpu.handle(unknown)).type());
        ByteBuffer truncated = GpuCommandEncoder.encode(texture(20, RGBA, 8, 8));
        truncated.limit(40);
        assertEquals(ERR_UNSPEC, GpuResponse.decode(g.gpu.handle(truncated)).type());
        assertEquals(ERR_UNSPEC, GpuResponse.decode(g.gpu.handle(ByteBuffer.allocate(3))).type());
    }
}
