package io.github.virgl4j.multiguest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuResponseType;
import io.github.virgl4j.device.protocol.Rect;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererOptions;
import io.github.virgl4j.virgl.VirglCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Several devices (guests) share one renderer: isolated, each frame as if rendered alone. */
class ManyGuestsTest {
    static final int GUESTS = 4;
    static final int FRAMES = 12;

    /** The frames of one guest rendering alone (no other device exists). */
    private static List<String> alone(Renderer r, int variant) {
        try (Scene s = new Scene(r, variant)) {
            assertEquals(0x1100, s.setUp());
            List<String> hashes = new ArrayList<>();
            for (int n = 0; n < FRAMES; n++) {
                assertEquals(0x1100, s.renderFrame(n));
                hashes.add(s.lastFrame().sha256());
            }
            return hashes;
        }
    }

    @Test
    void fourGuestsRenderConcurrentlyAndEveryFrameMatchesTheSceneRenderedAlone() throws Exception {
        Renderer r = Renderer.open(RendererOptions.llvmpipe());
        List<List<String>> expected = new ArrayList<>();
        for (int g = 0; g < GUESTS; g++) {
            expected.add(alone(r, g));
        }
        List<Scene> scenes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(GUESTS);
        try {
            for (int g = 0; g < GUESTS; g++) {
                Scene s = new Scene(r, g);
                scenes.add(s);
                assertEquals(0x1100, s.setUp(), "set-up of guest " + g); // same guest ids in every guest
            }
            List<Future<List<String>>> results = new ArrayList<>();
            for (Scene s : scenes) {
                results.add(pool.submit(() -> {
                    List<String> hashes = new ArrayList<>();
                    for (int n = 0; n < FRAMES; n++) {
                        assertEquals(0x1100, s.renderFrame(n));
                        hashes.add(s.lastFrame().sha256());
                    }
                    return hashes;
                }));
            }
            for (int g = 0; g < GUESTS; g++) {
                assertEquals(expected.get(g), results.get(g).get(), "guest " + g);
            }
            assertNotEquals(expected.get(0).get(0), expected.get(1).get(0)); // scenes differ
        } finally {
            pool.shutdownNow();
            scenes.forEach(Scene::close);
        }
    }

    @Test
    void guessedIdsOfAnotherGuestAreRefusedAndResettingOneLeavesTheOthersFramesUnchanged() {
        Renderer r = Renderer.open(RendererOptions.llvmpipe());
        try (Scene a = new Scene(r, 1); Scene b = new Scene(r, 2)) {
            assertEquals(0x1100, a.setUp());
            assertEquals(0x1100, a.renderFrame(0));
            int[] before = a.lastFrame().argb();
            // b has no context 1 and no resource 1 yet: a's objects are not b's, whatever the ids
            assertEquals(GpuResponseType.ERR_INVALID_CONTEXT_ID, b.send(new GpuCommand.Submit3d(Scene.ctx1(),
                    new VirglCommands().createSurface(1, 1, Scene.FMT).build())));
            assertEquals(GpuResponseType.ERR_INVALID_RESOURCE_ID, b.send(new GpuCommand.ResourceFlush(CtrlHeader.EMPTY,
                    new Rect(0, 0, 8, 8), 1)));
            assertEquals(GpuResponseType.ERR_INVALID_RESOURCE_ID, b.send(new GpuCommand.ResourceUnref(CtrlHeader.EMPTY, 1)));
            // b's own context cannot reach a's resource by naming its id in a stream
            assertEquals(0x1100, b.send(new GpuCommand.CtxCreate(Scene.ctx1(), 0, "b")));
            assertEquals(GpuResponseType.ERR_INVALID_RESOURCE_ID, b.send(new GpuCommand.CtxAttachResource(Scene.ctx1(), 1)));
            int code = b.send(new GpuCommand.Submit3d(Scene.ctx1(), new VirglCommands().createSurface(1, 1, Scene.FMT).build()));
            assertNotEquals(0x1100, code);
            // resetting b leaves a untouched
            b.gpu.reset();
            assertEquals(0x1100, a.renderFrame(0));
            assertArrayEquals(before, a.lastFrame().argb());
            assertEquals(0x1100, b.setUp());
            assertEquals(0x1100, b.renderFrame(0));
            assertEquals(0x1100, a.renderFrame(0));
            assertArrayEquals(before, a.lastFrame().argb());
        }
    }
}
