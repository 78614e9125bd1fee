package io.github.virgl4j.renderer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.virgl.VirglCommands;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real virgl command stream on llvmpipe: create surface, set framebuffer, clear, fence, read back. */
class RendererClearTest {
    static Renderer renderer;

    @BeforeAll
    static void start() {
        renderer = Renderer.open(RendererOptions.llvmpipe());
    }

    @AfterAll
    static void stop() {
        renderer.close();
    }

    @Test
    void infoReportsLlvmpipeAndCapsets() {
        RendererInfo info = renderer.info();
        assertEquals(Backend.LLVMPIPE, info.backend());
        assertTrue(info.glRenderer().startsWith("llvmpipe"), info.glRenderer());
        assertTrue(info.guestRenderer().startsWith("LLVMPIPE"), info.guestRenderer());
        assertTrue(info.capsets().stream().anyMatch(c -> c.id() == 2 && c.maxVersion() >= 2 && c.maxSize() > 1000),
                info.capsets().toString());
        assertTrue(info.libraryPath().contains("libvirglrenderer.so.1"), info.libraryPath());
    }

    @Test
    void clearsA64x64RenderTargetToTheClearColour() throws Exception {
        try (RenderSession s = renderer.openSession("clear-test")) {
            ByteBuffer pixels = clearedTarget(s, 64);
            for (int i = 0; i < 64 * 64; i++) {
                int rgba = pixels.getInt(i * 4); // big-endian read of R,G,B,A bytes
                assertEquals(0xff3399ff, rgba, "pixel " + i);
            }
        }
    }

    /**
     * A command buffer in native memory goes to vrend as it is when dword-aligned and through a
     * copy when not (vtest lends its receive buffer, where a frame may start at any byte): both
     * render. Each case clears to its own colour, so a submit that did nothing would show.
     */
    @Test
    void directCommandBuffersRenderAlignedOrNot() throws Exception {
        try (RenderSession s = renderer.openSession("direct-test")) {
            int ctx = s.createContext(0, s.name());
            int[] offsets = {0, 4, 1, 3};
            for (int k = 0; k < offsets.length; k++) {
                int res = s.createResource(ResourceCreateArgs.texture2d(VirglCommands.FORMAT_R8G8B8A8_UNORM, 8, 8));
                s.attachToContext(ctx, res);
                float green = k / 4f;
                ByteBuffer heap = new VirglCommands()
                        .createSurface(k + 1, res, VirglCommands.FORMAT_R8G8B8A8_UNORM)
                        .setFramebuffer(k + 1)
                        .clearColor(1f, green, 0f, 1f)
                        .build();
                ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining() + 8);
                direct.position(offsets[k]).put(heap.duplicate());
                s.submit(ctx, direct.flip().position(offsets[k]).slice());
                s.fence(ctx).get(10, TimeUnit.SECONDS);
                ByteBuffer pixels = ByteBuffer.allocateDirect(8 * 8 * 4);
                s.read(res, ctx, 0, 8 * 4, Box.of2d(0, 0, 8, 8), pixels);
                int expected = 0xff0000ff | Math.round(green * 255) << 16;
                assertEquals(Integer.toHexString(expected), Integer.toHexString(pixels.getInt(0)), "offset " + offsets[k]);
                assertEquals(Integer.toHexString(expected), Integer.toHexString(pixels.getInt(8 * 8 * 4 - 4)), "offset " + offsets[k]);
            }
        }
    }

    @Test
    void rejectsForeignAndUnknownObjects() {
        try (RenderSession a = renderer.openSession("a"); RenderSession b = renderer.openSession("b")) {
            int ctxA = a.createContext(0, "a");
            int resA = a.createResource(ResourceCreateArgs.texture2d(VirglCommands.FORMAT_R8G8B8A8_UNORM, 4, 4));
            RendererException e = org.junit.jupiter.api.Assertions.assertThrows(RendererException.class,
                    () -> b.attachToContext(ctxA, resA));
            assertEquals(RendererException.EINVAL, e.errno());
            org.junit.jupiter.api.Assertions.assertThrows(RendererException.class,
                    () -> a.submit(ctxA, ByteBuffer.allocateDirect(3)));
            assertEquals(2, a.liveObjects());
        }
    }

    /** A side×side RGBA target of a new context of s, cleared to (1, 0.2, 0.6, 1), read back after a fence. */
    static ByteBuffer clearedTarget(RenderSession s, int side) throws Exception {
        int ctx = s.createContext(0, s.name());
        int res = s.createResource(ResourceCreateArgs.texture2d(VirglCommands.FORMAT_R8G8B8A8_UNORM, side, side));
        s.attachToContext(ctx, res);
        s.submit(ctx, new VirglCommands()
                .createSurface(1, res, VirglCommands.FORMAT_R8G8B8A8_UNORM)
                .setFramebuffer(1)
                .clearColor(1f, 0.2f, 0.6f, 1f)
                .build());
        s.fence(ctx).get(10, TimeUnit.SECONDS);
        ByteBuffer pixels = ByteBuffer.allocateDirect(side * side * 4);
        s.read(res, ctx, 0, side * 4, Box.of2d(0, 0, side, side), pixels);
        return pixels;
    }

    @Test
    void openWithOtherOptionsWhileRunningIsRejected() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Renderer.open(RendererOptions.llvmpipe().withGles(true)));
        assertTrue(e.getMessage().contains("once per process"));
        assertFalse(renderer.info().gles());
    }
}
