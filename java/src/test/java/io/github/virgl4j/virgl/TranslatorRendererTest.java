package io.github.virgl4j.virgl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.virgl4j.renderer.Box;
import io.github.virgl4j.renderer.RenderSession;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererException;
import io.github.virgl4j.renderer.RendererOptions;
import io.github.virgl4j.renderer.ResourceCreateArgs;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A guest stream written in guest ids (resources 1 and 2), translated to the renderer handles
 * 5000 and 5001 and run on llvmpipe: two clears and a copy, read back pixel by pixel.
 */
class TranslatorRendererTest {
    private static final int RGBA8 = VirglCommands.FORMAT_R8G8B8A8_UNORM;
    private static final int SIZE = 64;
    private static final int RED = 0xff3399ff;    // (1, 0.2, 0.6, 1) as R, G, B, A bytes
    private static final int GREEN = 0x006633ff;  // (0, 0.4, 0.2, 1)
    private static final IntUnaryOperator GUEST_IDS = g -> g == 1 ? 5000 : g == 2 ? 5001 : -1;

    static Renderer renderer;

    @BeforeAll
    static void start() {
        renderer = Renderer.open(RendererOptions.llvmpipe());
    }

    @AfterAll
    static void stop() {
        renderer.close();
    }

    /** Guest surfaces 1 and 2 over guest resources 1 and 2; surfaces are the context's own objects. */
    private static VirglCommands guestStream() {
        return new VirglCommands()
                .createSurface(1, 1, RGBA8)
                .setFramebuffer(1)
                .clearColor(1f, 0.2f, 0.6f, 1f)
                .createSurface(2, 2, RGBA8)
                .setFramebuffer(2)
                .clearColor(0f, 0.4f, 0.2f, 1f)
                .copyRegion(2, 8, 16, 1, 0, 0, 16, 8); // 16×8 of resource 1 to (8, 16) of resource 2
    }

    @Test
    void aTranslatedStreamDrawsIntoTheRendererHandles() throws Exception {
        try (RenderSession s = renderer.openSession("translate-e2e")) {
            int ctx = s.createContext(0, "translate-e2e");
            s.createResource(5000, ResourceCreateArgs.texture2d(RGBA8, SIZE, SIZE));
            s.createResource(5001, ResourceCreateArgs.texture2d(RGBA8, SIZE, SIZE));
            s.attachToContext(ctx, 5000);
            s.attachToContext(ctx, 5001);

            s.submit(ctx, VirglStreamTranslator.translate(guestStream().build(), GUEST_IDS));
            s.fence(ctx).get(10, TimeUnit.SECONDS);

            ByteBuffer first = read(s, ctx, 5000);
            ByteBuffer second = read(s, ctx, 5001);
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int at = (y * SIZE + x) * 4;
                    assertEquals(RED, first.getInt(at), "5000 at " + x + "," + y);
                    boolean copied = x >= 8 && x < 24 && y >= 16 && y < 24;
                    assertEquals(copied ? RED : GREEN, second.getInt(at), "5001 at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void theSameStreamUntranslatedNamesResourcesTheContextDoesNotHave() throws Exception {
        try (RenderSession s = renderer.openSession("translate-e2e-raw")) {
            int ctx = s.createContext(0, "translate-e2e-raw");
            s.createResource(5002, ResourceCreateArgs.texture2d(RGBA8, SIZE, SIZE));
            s.attachToContext(ctx, 5002);
            RendererException e = assertThrows(RendererException.class, () -> s.submit(ctx, guestStream().build()));
            assertEquals(RendererException.EINVAL, e.errno(), e.getMessage());
        }
    }

    @Test
    void aResourceOfAnotherGuestIsRefusedBeforeTheRendererSeesIt() {
        TranslationException e = assertThrows(TranslationException.class,
                () -> VirglStreamTranslator.translate(guestStream().copyRegion(3, 0, 0, 1, 0, 0, 1, 1).build(),
                        GUEST_IDS));
        assertEquals(TranslationException.Reason.UNKNOWN_RESOURCE, e.reason());
        assertEquals(7, e.commandIndex());
        assertEquals(3, e.guestHandle());
    }

    private static ByteBuffer read(RenderSession s, int ctx, int handle) {
        ByteBuffer pixels = ByteBuffer.allocateDirect(SIZE * SIZE * 4);
        s.read(handle, ctx, 0, SIZE * 4, Box.of2d(0, 0, SIZE, SIZE), pixels);
        return pixels;
    }
}
