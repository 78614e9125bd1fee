package io.github.virgl4j.renderer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Re-opening with other options really cleans virglrenderer up and initialises it again. Runs in
 * its own JVM (execution "reinit" in java/pom.xml): virglrenderer 0.10.4 does not reliably survive
 * that in one process, and the default suite's JVM must not be the one to find out (README Limits).
 */
@OwnJvmOnly
class RendererReinitTest {

    @Test
    void otherOptionsAfterCloseStartANewVirglrendererThatRenders() throws Exception {
        Renderer gl = Renderer.open(RendererOptions.llvmpipe());
        assertFalse(gl.info().gles());
        RenderThread glThread = gl.thread();
        gl.close();

        Renderer es = Renderer.open(RendererOptions.llvmpipe().withGles(true));
        try {
            assertTrue(es.info().gles());
            assertNotSame(glThread, es.thread(), "a new render thread for the new initialisation");
            assertEquals(0xff3399ff, clearAndReadFirstPixel(es));
        } finally {
            es.close();
        }
    }

    private static int clearAndReadFirstPixel(Renderer renderer) throws Exception {
        try (RenderSession s = renderer.openSession("reinit")) {
            return RendererClearTest.clearedTarget(s, 8).getInt(0); // big-endian read of R,G,B,A bytes
        }
    }
}
