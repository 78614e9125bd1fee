package io.github.virgl4j.renderer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Fences on virglrenderer's global timeline (the default), on llvmpipe. */
class RendererGlobalFenceTest {
    static Renderer renderer;

    @BeforeAll
    static void start() {
        renderer = Renderer.open(RendererOptions.llvmpipe());
    }

    static int[] target(RenderSession s, int size) {
        return RendererFenceTest.target(s, size);
    }

    static java.nio.ByteBuffer clear(float r, float g, float b) {
        return RendererFenceTest.clear(r, g, b);
    }

    @Test
    void theDefaultIsTheGlobalTimeline() {
        assertFalse(renderer.contextFences());
    }

    @Test
    void anotherSessionDestroyingContextsNeverLosesThisSessionsFences() throws Exception {
        // vrend drops the fence its sync thread waits on when any context is destroyed; the
        // renderer re-fences the other contexts so theirs still complete.
        try (RenderSession steady = renderer.openSession("fence-steady");
             RenderSession churn = renderer.openSession("fence-churn")) {
            int[] t = target(steady, 512);
            CompletableFuture<Void> churning = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 150; i++) {
                    int[] c = target(churn, 64);
                    churn.submitFenced(c[0], clear(1, 0, 0));
                    churn.destroyContext(c[0]);
                    churn.unrefResource(c[1]);
                }
            });
            List<CompletableFuture<Void>> fences = new ArrayList<>();
            while (!churning.isDone()) {
                // A bare CLEAR: vrend once ran it in the churning session's new GL context
                // (RendererContextIsolationTest).
                fences.add(steady.submitFenced(t[0], clear(0, 0, 1)));
                if (fences.size() % 8 == 0) {
                    fences.get(fences.size() - 8).get(10, TimeUnit.SECONDS);
                }
            }
            churning.get(30, TimeUnit.SECONDS);
            CompletableFuture.allOf(fences.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertEquals(0, renderer.outstandingFences());
        }
    }

    @Test
    void aRenderThreadSessionsFenceDependentsRunOnTheRenderThreadInOrder() throws Exception {
        try (RenderSession here = renderer.openSession("fence-here", FenceCompletion.RENDER_THREAD);
             RenderSession helper = renderer.openSession("fence-helper")) {
            String renderThread = here.batch(() -> Thread.currentThread().getName());
            int[] t = target(here, 32);
            int[] u = target(helper, 32);
            List<String> threads = Collections.synchronizedList(new ArrayList<>());
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            // Dependents attached inside a render-thread task: the fence cannot have retired yet.
            CompletableFuture<?> last = here.batch(() -> {
                CompletableFuture<?> f = null;
                for (int i = 0; i < 20; i++) {
                    int n = i;
                    f = here.submitFenced(t[0], clear(0, n / 20f, 1)).thenRun(() -> {
                        threads.add(Thread.currentThread().getName());
                        order.add(n);
                        here.resourceInfo(t[1]); // a session call from a dependent runs inline
                    });
                }
                return f;
            });
            CompletableFuture<String> other = helper.batch(() -> helper.submitFenced(u[0], clear(1, 0, 0))
                    .thenApply(v -> Thread.currentThread().getName()));
            last.get(30, TimeUnit.SECONDS);
            assertEquals(java.util.Collections.nCopies(20, renderThread), threads);
            assertEquals(order.stream().sorted().toList(), order);
            String helperThread = other.get(30, TimeUnit.SECONDS);
            assertFalse(helperThread.equals(renderThread), helperThread);
        }
    }

    @Test
    void everyFenceRetiresInCreationOrder() throws Exception {
        try (RenderSession s = renderer.openSession("fence-global")) {
            int[] t = target(s, 32);
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                int n = i;
                all.add(s.submitFenced(t[0], clear(n / 30f, 0, 1)).thenRun(() -> order.add(n)));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertEquals(order.stream().sorted().toList(), order);
            assertEquals(0, renderer.outstandingFences());
        }
    }
}
