package io.github.virgl4j.transport.vtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererOptions;
import io.github.virgl4j.testing.HarnessEnvironment;
import io.github.virgl4j.testing.MesaClient;
import io.github.virgl4j.testing.ReferenceVtestServer;
import io.github.virgl4j.testing.Xvfb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real Mesa clients (virpipe) render through our vtest server under Xvfb. */
class VtestServerMesaTest {
    private static Path work;
    private static Xvfb xvfb;
    private static VtestServer server;
    private static Path triangle;

    @BeforeAll
    static void start() throws Exception {
        HarnessEnvironment.assumeRealClientsCanRun();
        work = HarnessEnvironment.workDir("virgl4j");
        xvfb = Xvfb.start(work);
        server = VtestServer.start(work.resolve("vtest.sock"), Renderer.open(RendererOptions.llvmpipe()), null, null);
        triangle = TestPrograms.triangle(work);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (xvfb != null) {
            xvfb.close();
        }
    }

    private static MesaClient client(Path socket) {
        return MesaClient.of(socket, work).display(xvfb.display()).timeout(Duration.ofSeconds(90));
    }

    @Test
    void glxgearsReportsVirglOnLlvmpipe() throws Exception {
        HarnessEnvironment.assumeProgram("glxgears", "mesa-utils");
        MesaClient.Result r = client(server.path()).timeout(Duration.ofSeconds(8)).run("glxgears", "-info");
        assertTrue(r.stdout().contains("GL_RENDERER   = virgl (LLVMPIPE"), r.output());
    }

    @Test
    void aShortGlmark2RunCompletesWithAScore() throws Exception {
        HarnessEnvironment.assumeProgram("glmark2", "glmark2-x11");
        MesaClient.Result r = client(server.path()).run("glmark2", "-s", "320x240",
                "-b", "build:duration=0.5", "-b", "texture:duration=0.5", "-b", "shading:duration=0.5");
        assertEquals(0, r.exitCode(), r.output());
        Matcher m = Pattern.compile("glmark2 Score: (\\d+)").matcher(r.stdout());
        assertTrue(m.find(), r.output());
        assertTrue(Integer.parseInt(m.group(1)) > 0, r.output());
        assertTrue(r.stdout().contains("[shading]"), r.output());
    }

    @Test
    void aGlProgramRendersTheSamePixelsAsWithVirglTestServer() throws Exception {
        Path ours = work.resolve("ours.ppm");
        Path reference = work.resolve("reference.ppm");
        MesaClient.Result r = client(server.path()).run(triangle.toString(), ours.toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.stdout().contains("GL_RENDERER = virgl (LLVMPIPE"), r.output());
        try (ReferenceVtestServer ref = ReferenceVtestServer.start(work.resolve("ref.sock"), work)) {
            MesaClient.Result rr = client(ref.socket()).run(triangle.toString(), reference.toString());
            assertEquals(0, rr.exitCode(), rr.output());
        }
        byte[] a = Files.readAllBytes(ours);
        byte[] b = Files.readAllBytes(reference);
        assertEquals(15 + 128 * 128 * 3, a.length);
        // the background at a corner and the triangle's centre are what the program drew
        assertEquals(26, a[15] & 0xff);   // 0.1 * 255 red of the clear colour
        assertArrayEquals(b, a, "frames differ from virgl_test_server's");
    }

    @Test
    void glxinfoReportsVirglOnLlvmpipeAtProtocolVersion0() throws Exception {
        HarnessEnvironment.assumeProgram("glxinfo", "mesa-utils");
        try (VtestServer v0 = VtestServer.start(work.resolve("v0.sock"), Renderer.running().orElseThrow(), null, null,
                VtestProtocol.VERSION_0)) {
            MesaClient.Result r = client(v0.path()).timeout(Duration.ofSeconds(30)).run("glxinfo", "-B");
            assertEquals(0, r.exitCode(), r.output());
            assertTrue(r.stdout().contains("OpenGL renderer string: virgl (LLVMPIPE"), r.output());
        }
    }

    /**
     * At v2+ Mesa 22.3 copies a new window-system buffer's pixels from the window, and glxinfo
     * never maps its window: X answers BadMatch. The reference server fails the same way, so
     * this is Mesa's, and --max-protocol-version=0 is the way around it.
     */
    @Test
    void glxinfoAtProtocolVersion2PlusFailsTheSameWayWithVirglTestServer() throws Exception {
        HarnessEnvironment.assumeProgram("glxinfo", "mesa-utils");
        MesaClient.Result ours = client(server.path()).timeout(Duration.ofSeconds(30)).run("glxinfo", "-B");
        try (ReferenceVtestServer ref = ReferenceVtestServer.start(work.resolve("ref-glxinfo.sock"), work)) {
            MesaClient.Result theirs = client(ref.socket()).timeout(Duration.ofSeconds(30)).run("glxinfo", "-B");
            for (MesaClient.Result r : new MesaClient.Result[] {ours, theirs}) {
                assertTrue(r.exitCode() != 0 && r.output().contains("BadMatch") && r.output().contains("X_GetImage"),
                        r.output());
            }
        }
    }
}
