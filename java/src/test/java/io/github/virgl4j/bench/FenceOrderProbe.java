package io.github.virgl4j.bench;

import io.github.virgl4j.renderer.RenderSession;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererOptions;
import io.github.virgl4j.renderer.ResourceCreateArgs;
import io.github.virgl4j.virgl.VirglCommands;
import java.util.concurrent.CompletableFuture;

/**
 * When does a light context's fence retire if another context has heavy work queued? Session
 * "heavy" queues 40 fenced 2048x2048 clears, then session "light" one fenced 64x64 clear; prints
 * when each last fence completed. On llvmpipe both complete in the same millisecond, with global
 * or per-context fences ({@code -Dvirgl4j.contextFences=true}): the GPU (one rasterizer queue)
 * and virglrenderer's fence list are both in order. Run like bench/fairness.sh, with this class.
 */
public final class FenceOrderProbe {
    private FenceOrderProbe() {
    }

    public static void main(String[] args) throws Exception {
        Renderer r = Renderer.open(RendererOptions.llvmpipe());
        System.out.println("context fences: " + r.contextFences());
        try (RenderSession heavy = r.openSession("heavy"); RenderSession light = r.openSession("light")) {
            int hc = heavy.createContext(0, "heavy");
            int ht = heavy.createResource(ResourceCreateArgs.texture2d(VirglCommands.FORMAT_B8G8R8X8_UNORM, 2048, 2048));
            heavy.attachToContext(hc, ht);
            heavy.submit(hc, new VirglCommands().createSurface(1, ht, VirglCommands.FORMAT_B8G8R8X8_UNORM).setFramebuffer(1).build());
            int lc = light.createContext(0, "light");
            int lt = light.createResource(ResourceCreateArgs.texture2d(VirglCommands.FORMAT_B8G8R8X8_UNORM, 64, 64));
            light.attachToContext(lc, lt);
            light.submit(lc, new VirglCommands().createSurface(1, lt, VirglCommands.FORMAT_B8G8R8X8_UNORM).setFramebuffer(1).build());
            for (int round = 0; round < 5; round++) {
                long t0 = System.nanoTime();
                CompletableFuture<Void> hf = null;
                for (int i = 0; i < 40; i++) {
                    hf = heavy.submitFenced(hc, new VirglCommands().clearColor(i / 40f, 0, 0, 1).build());
                }
                long t1 = System.nanoTime();
                CompletableFuture<Void> lf = light.submitFenced(lc, new VirglCommands().clearColor(0, 1, 0, 1).build());
                long t2 = System.nanoTime();
                long[] done = new long[2];
                hf.thenRun(() -> done[0] = System.nanoTime());
                lf.thenRun(() -> done[1] = System.nanoTime());
                CompletableFuture.allOf(hf, lf).join();
                Thread.sleep(5);
                System.out.printf("heavy submits %.1f ms, light submit %.1f ms; heavy fence at %.1f ms, light fence at %.1f ms%n",
                        (t1 - t0) / 1e6, (t2 - t1) / 1e6, (done[0] - t0) / 1e6, (done[1] - t0) / 1e6);
            }
        } finally {
            r.close();
        }
    }
}
