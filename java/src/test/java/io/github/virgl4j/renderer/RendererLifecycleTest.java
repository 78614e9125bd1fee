package io.github.virgl4j.renderer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.virgl.VirglCommands;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RendererLifecycleTest {

    @Test
    void openTwiceGivesTheSameInstanceAndCloseIsIdempotent() {
        Renderer first = Renderer.open(RendererOptions.llvmpipe());
        assertSame(first, Renderer.open(RendererOptions.llvmpipe()));
        RenderSession s = first.openSession("lifecycle");
        first.close();
        first.close();
        assertThrows(IllegalStateException.class, () -> s.createContext(0, "after-close"));
        assertThrows(IllegalStateException.class, () -> first.openSession("after-close"));
        assertThrows(IllegalStateException.class, () -> first.watch(0, 1, (fd, ev) -> { }, () -> { }, "after-close"));
        assertTrue(Renderer.running().isEmpty());
    }

    @Test
    void aClosedRendererCanBeStartedAgainInTheSameProcess() {
        Renderer first = Renderer.open(RendererOptions.llvmpipe());
        first.close();
        Renderer second = Renderer.open(RendererOptions.llvmpipe());
        assertNotSame(first, second);
        try (RenderSession s = second.openSession("again")) {
            s.createContext(0, "again");
            assertEquals(1, s.liveObjects());
        }
    }

    /**
     * virglrenderer 0.10.4 does not reliably survive cleanup + init in one process (README Limits),
     * so close destroys the sessions' objects and keeps virglrenderer itself on its render thread.
     */
    @Test
    void closeDestroysEveryObjectButKeepsVirglrendererForTheNextOpen() {
        Renderer first = Renderer.open(RendererOptions.llvmpipe());
        RenderSession s = first.openSession("before-close");
        int ctx = s.createContext(0, "before-close");
        s.createResource(4242, ResourceCreateArgs.texture2d(VirglCommands.FORMAT_R8G8B8A8_UNORM, 8, 8));
        s.attachToContext(ctx, 4242);
        first.close();
        assertThrows(IllegalStateException.class, () -> s.resourceInfo(4242));

        Renderer second = Renderer.open(RendererOptions.llvmpipe());
        assertSame(first.thread(), second.thread(), "same render thread: virglrenderer was not re-initialised");
        assertEquals(first.info(), second.info());
        try (RenderSession t = second.openSession("after-close")) {
            // the closed session's handle is free again, in the renderer's books and in virglrenderer's
            t.createResource(4242, ResourceCreateArgs.texture2d(VirglCommands.FORMAT_R8G8B8A8_UNORM, 16, 4));
            assertEquals(16, t.resourceInfo(4242).width());
            int ctx2 = t.createContext(0, "after-close");
            assertTrue(ctx2 > ctx, "context ids go on across the close: " + ctx2 + " after " + ctx);
        }
    }

    @Test
    void aCallQueuedBehindASessionsCloseFailsInsteadOfRunning() throws Exception {
        Renderer renderer = Renderer.open(RendererOptions.llvmpipe());
        RenderSession s = renderer.openSession("closing");
        s.createContext(0, "closing");
        CountDownLatch release = new CountDownLatch(1);
        renderer.thread().post(new Lane("blocker"), () -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
        awaitPending(s.lane(), 1);
        CompletableFuture<Integer> late = CompletableFuture.supplyAsync(() -> s.createContext(0, "late"));
        awaitPending(s.lane(), 2);
        release.countDown();
        closing.get(10, TimeUnit.SECONDS);
        Throwable failure = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> late.get(10, TimeUnit.SECONDS)).getCause();
        assertTrue(failure instanceof IllegalStateException && failure.getMessage().contains("closed"),
                String.valueOf(failure));
    }

    private static void awaitPending(Lane lane, int tasks) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lane.pending.get() < tasks) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("lane " + lane.name + " never had " + tasks + " tasks queued");
            }
            Thread.sleep(1);
        }
    }
}
