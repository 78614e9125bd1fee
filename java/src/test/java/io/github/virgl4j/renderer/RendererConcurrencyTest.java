package io.github.virgl4j.renderer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.virgl4j.virgl.VirglCommands;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many Java threads call the renderer at once. Without the render thread this would crash the
 * JVM with EGL_BAD_ACCESS; here every thread gets its own colour back.
 */
class RendererConcurrencyTest {

    @Test
    void sixteenThreadsRenderConcurrentlyAndEachReadsItsOwnColour() throws Exception {
        Renderer renderer = Renderer.open(RendererOptions.llvmpipe());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int shade = t * 16;
                results.add(pool.submit(() -> renderInSession(renderer, shade)));
            }
            for (int t = 0; t < 16; t++) {
                int expected = 0xff0000ff | (t * 16) << 16; // bytes R=0xff G=shade B=0 A=0xff
                assertEquals(expected, (int) results.get(t).get(60, TimeUnit.SECONDS), "thread " + t);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, renderer.outstandingFences());
    }

    /** Five rounds of create, clear, fence, read back, destroy; returns the last pixel as RGBA bytes. */
    private static int renderInSession(Renderer renderer, int shade) throws Exception {
        int pixel = 0;
        for (int round = 0; round < 5; round++) {
            try (RenderSession s = renderer.openSession("thread-" + shade)) {
                int ctx = s.createContext(0, "t" + shade);
                int res = s.createResource(ResourceCreateArgs.texture2d(VirglCommands.FORMAT_R8G8B8A8_UNORM, 16, 16));
                s.attachToContext(ctx, res);
                s.submit(ctx, new VirglCommands().createSurface(1, res, VirglCommands.FORMAT_R8G8B8A8_UNORM)
                        .setFramebuffer(1).clearColor(1f, shade / 255f, 0f, 1f).build());
                s.fence(ctx).get(30, TimeUnit.SECONDS);
                ByteBuffer px = ByteBuffer.allocateDirect(16 * 16 * 4);
                s.read(res, ctx, 0, 0, Box.of2d(0, 0, 16, 16), px);
                int first = px.getInt(0);
                for (int i = 1; i < 256; i++) {
                    if (px.getInt(i * 4) != first) {
                        throw new AssertionError("pixel " + i + " differs");
                    }
                }
                pixel = first;
            }
        }
        return pixel;
    }
}
