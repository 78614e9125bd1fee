package io.github.virgl4j.renderer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
