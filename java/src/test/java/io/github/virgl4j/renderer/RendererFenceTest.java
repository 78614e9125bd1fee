package io.github.virgl4j.renderer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.virgl.VirglCommands;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fences on virglrenderer's per-context timelines ({@code -Dvirgl4j.contextFences=true}), on
 * llvmpipe. Not here: another session destroying contexts meanwhile, which crashed the JVM inside
 * virglrenderer 0.10.4 with per-context fences (README, Limits); RendererGlobalFenceTest covers
 * it on the default global timeline.
 */
@OwnJvmOnly
class RendererFenceTest {
    static final int BGRX = VirglCommands.FORMAT_B8G8R8X8_UNORM;
    static Renderer renderer;

    @BeforeAll
    static void start() {
        Renderer.running().ifPresent(Renderer::close);
        System.setProperty(NativeVirgl.CONTEXT_FENCES_PROPERTY, "true");
        renderer = Renderer.open(RendererOptions.llvmpipe());
    }

    @AfterAll
    static void stop() {
        renderer.close();
        System.clearProperty(NativeVirgl.CONTEXT_FENCES_PROPERTY);
    }

    /** A session with context + size×size render target bound as framebuffer; returns {ctx, res}. */
    static int[] target(RenderSession s, int size) {
        int ctx = s.createContext(0, s.name());
        int res = s.createResource(ResourceCreateArgs.texture2d(BGRX, size, size));
        s.attachToContext(ctx, res);
        s.submit(ctx, new VirglCommands().createSurface(1, res, BGRX).setFramebuffer(1).build());
        return new int[] {ctx, res};
    }

    static ByteBuffer clear(float r, float g, float b) {
        return new VirglCommands().clearColor(r, g, b, 1).build();
    }

    @Test
    void virglrenderer0104HasPerContextFences() {
        // 0.10.4 exports virgl_renderer_context_create_fence (unstable API, found with dlsym).
        assertTrue(renderer.contextFences());
    }

    @Test
    void fencesOfTwoSessionsCompleteEachInCreationOrderAndThePixelsAreThere() throws Exception {
        try (RenderSession heavy = renderer.openSession("fence-heavy");
             RenderSession light = renderer.openSession("fence-light")) {
            int[] h = target(heavy, 1024);
            int[] l = target(light, 16);
            List<Integer> heavyOrder = Collections.synchronizedList(new ArrayList<>());
            List<Integer> lightOrder = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                int n = i;
                all.add(heavy.submitFenced(h[0], clear(n / 60f, 0, 0)).thenRun(() -> heavyOrder.add(n)));
                if (i % 3 == 0) {
                    all.add(light.submitFenced(l[0], clear(0, n / 60f, 1)).thenRun(() -> lightOrder.add(n)));
                }
                all.add(light.fence(l[0]).thenRun(() -> lightOrder.add(n)));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertEquals(60, heavyOrder.size());
            assertEquals(heavyOrder.stream().sorted().toList(), heavyOrder, "heavy context's fences in order");
            assertEquals(lightOrder.stream().sorted().toList(), lightOrder, "light context's fences in order");
            assertEquals(0, renderer.outstandingFences());
            ByteBuffer px = ByteBuffer.allocateDirect(16 * 16 * 4);
            light.read(l[1], l[0], 0, 0, Box.of2d(0, 0, 16, 16), px);
            // last light clear: (0, 57/60, 1) as B,G,R,X bytes
            assertEquals(0xff, px.get(0) & 0xff);
            assertEquals(Math.round(57 / 60f * 255), px.get(1) & 0xff, 1.0);
            assertEquals(0, px.get(2) & 0xff);
        }
    }

    @Test
    void oneSessionsFencesOnTwoContextsCompleteInCreationOrder() throws Exception {
        try (RenderSession s = renderer.openSession("fence-two-contexts")) {
            int[] big = target(s, 1024);
            int[] small = target(s, 16);
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                int ctx = i % 2 == 0 ? big[0] : small[0];
                all.add(s.submitFenced(ctx, clear(n / 40f, 1, 0)).thenRun(() -> order.add(n)));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertEquals(order.stream().sorted().toList(), order);
        }
    }

    @Test
    void destroyingAContextCompletesItsPendingFences() throws Exception {
        // virglrenderer frees a destroyed context's fences without signalling them.
        try (RenderSession s = renderer.openSession("fence-destroy")) {
            int[] t = target(s, 2048);
            List<CompletableFuture<Void>> fences = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                fences.add(s.submitFenced(t[0], clear(i / 20f, 1, 0)));
            }
            s.destroyContext(t[0]);
            CompletableFuture.allOf(fences.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertEquals(0, renderer.outstandingFences());
        }
    }

    @Test
    void contextZeroFencesUseTheGlobalTimeline() throws Exception {
        try (RenderSession s = renderer.openSession("fence-ctx0")) {
            int[] t = target(s, 64);
            CompletableFuture<Void> onContext = s.submitFenced(t[0], clear(1, 1, 1));
            CompletableFuture<Void> global = s.fence(0);
            global.get(10, TimeUnit.SECONDS);
            onContext.get(10, TimeUnit.SECONDS);
            assertEquals(0, renderer.outstandingFences());
        }
    }
}
