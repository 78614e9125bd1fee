package io.github.virgl4j.renderer;

import static io.github.virgl4j.renderer.RendererFenceTest.clear;
import static io.github.virgl4j.renderer.RendererFenceTest.target;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.stream.ReplayReport;
import io.github.virgl4j.stream.StreamReplayer;
import io.github.virgl4j.virgl.VirglCommands;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One session's contexts coming and going must not change what another session renders. vrend
 * 0.10.4 leaves a new context's GL context current while it still records the previous context as
 * current, so that one's next submit ran in the wrong GL context: its CLEAR failed with
 * GL_INVALID_FRAMEBUFFER_OPERATION and vrend put the context in error for good (every later
 * submit EINVAL). NativeVirgl.createContext makes vrend switch for real again; capsets are filled
 * in vrend's context 0, once, because filling them rebinds framebuffer 0 in the current context. And vrend allocates
 * resources in whatever GL context is current, changing its texture bindings: while several
 * sessions own contexts, NativeVirgl moves that work to vrend's context 0 (ContextOwners).
 */
class RendererContextIsolationTest {
    private static Renderer renderer;

    @BeforeAll
    static void start() {
        renderer = Renderer.open(RendererOptions.llvmpipe());
    }

    /** B, G, R of the first pixel of t's render target (BGRX). */
    private static int[] firstPixel(RenderSession s, int[] t) throws Exception {
        s.fence(t[0]).get(10, TimeUnit.SECONDS);
        ByteBuffer px = ByteBuffer.allocateDirect(4);
        s.read(t[1], t[0], 0, 0, Box.of2d(0, 0, 1, 1), px);
        return new int[] {px.get(0) & 0xff, px.get(1) & 0xff, px.get(2) & 0xff};
    }

    @Test
    void aContextAnotherSessionCreatesDoesNotTakeOverThisSessionsNextClear() throws Exception {
        try (RenderSession a = renderer.openSession("iso-a"); RenderSession b = renderer.openSession("iso-b")) {
            int[] ta = target(a, 16);
            a.submit(ta[0], clear(1, 0, 0));
            assertArrayEquals(new int[] {0, 0, 255}, firstPixel(a, ta), "A red");
            b.createContext(0, "iso-b-new"); // the old code left vrend believing A's context current
            a.submit(ta[0], clear(0, 1, 0)); // a bare CLEAR, no framebuffer re-sent: failed EINVAL
            assertArrayEquals(new int[] {0, 255, 0}, firstPixel(a, ta), "A green");
            int[] tb = target(b, 16);
            b.submit(tb[0], clear(0, 0, 1));
            assertArrayEquals(new int[] {255, 0, 0}, firstPixel(b, tb), "B blue");
            assertArrayEquals(new int[] {0, 255, 0}, firstPixel(a, ta), "A still green");
        }
    }

    @Test
    void anotherSessionAskingForCapsetsDoesNotUnbindThisSessionsFramebuffer() throws Exception {
        try (RenderSession a = renderer.openSession("iso-caps-a"); RenderSession b = renderer.openSession("iso-caps-b")) {
            int[] ta = target(a, 16);
            a.submit(ta[0], clear(1, 0, 0));
            assertArrayEquals(new int[] {0, 0, 255}, firstPixel(a, ta), "A red");
            // A vtest client's GET_CAPS, a guest's GET_CAPSET: vrend's fill_caps bound framebuffer 0
            // in the current GL context, A's, and A's next bare CLEAR failed (EINVAL from then on).
            for (CapsetInfo c : renderer.info().capsets()) {
                byte[] bytes = b.capset(c.id(), c.maxVersion());
                assertEquals(c.maxSize(), bytes.length);
                assertArrayEquals(bytes, b.capset(c.id(), c.maxVersion()), "the same bytes each time");
            }
            a.submit(ta[0], clear(0, 1, 0));
            assertArrayEquals(new int[] {0, 255, 0}, firstPixel(a, ta), "A green");
        }
    }

    @Test
    void bareClearsLandWhileAnotherSessionCreatesAndDestroysContexts() throws Exception {
        try (RenderSession steady = renderer.openSession("iso-steady"); RenderSession churn = renderer.openSession("iso-churn")) {
            int[] t = target(steady, 64);
            CompletableFuture<Void> churning = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 60; i++) {
                    int[] c = target(churn, 16);
                    churn.submit(c[0], clear(1, 0, 0));
                    churn.destroyContext(c[0]);
                    churn.unrefResource(c[1]);
                }
            });
            int clears = 0;
            while (!churning.isDone() || clears < 20) {
                int g = (clears * 37) % 256;
                steady.submit(t[0], clear(0, g / 255f, 0));
                assertArrayEquals(new int[] {0, g, 0}, firstPixel(steady, t), "clear " + clears);
                clears++;
            }
            churning.get(30, TimeUnit.SECONDS);
            assertEquals(0, renderer.outstandingFences());
        }
    }

    @Test
    void aRecordedGlmark2SceneReplaysFrameForFrameWhileAnotherSessionCreatesTextures() throws Exception {
        Path stream = Path.of(System.getProperty("virgl4j.project.root"), "test-streams", "glmark2-texture.vgs");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger made = new AtomicInteger();
        try (RenderSession other = renderer.openSession("iso-textures")) {
            // No context of its own: a guest that only creates resources must not matter either.
            CompletableFuture<Void> creating = CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    other.unrefResource(other.createResource(
                            ResourceCreateArgs.texture2d(VirglCommands.FORMAT_R8G8B8A8_UNORM, 8, 8)));
                    made.incrementAndGet();
                }
            });
            ReplayReport report;
            try {
                report = StreamReplayer.replay(stream, renderer, StreamReplayer.Options.defaults());
            } finally {
                stop.set(true);
            }
            creating.get(10, TimeUnit.SECONDS);
            // Before ContextOwners, frames from the second on replayed with other hashes (textures unbound).
            assertTrue(made.get() > 100, made.get() + " textures made during the replay");
            assertTrue(report.passed(), report.toString());
        }
    }
}
