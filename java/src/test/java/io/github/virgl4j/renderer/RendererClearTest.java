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
