package io.github.virgl4j.testing;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Proves the harness: real Mesa clients render through virgl_test_server. */
class ReferenceServerHarnessTest {
    private static Path work;
    private static Xvfb xvfb;
    private static ReferenceVtestServer server;

    @BeforeAll
    static void start() throws Exception {
        HarnessEnvironment.assumeRealClientsCanRun();
        work = HarnessEnvironment.workDir("reference");
        xvfb = Xvfb.start(work);
        server = ReferenceVtestServer.start(work.resolve("vtest.sock"), work);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (xvfb != null) {
            xvfb.close();
        }
    }

    private static MesaClient client() {
        return MesaClient.of(server.socket(), work).display(xvfb.display()).timeout(Duration.ofSeconds(90));
    }

    @Test
    void glxinfoReportsVirglOnLlvmpipe() throws Exception {
        HarnessEnvironment.assumeProgram("glxinfo", "mesa-utils");
        MesaClient.Result r = client().run("glxinfo", "-B");
        // Mesa 22.3's virpipe reads the front buffer back with XGetImage, which fails on
        // glxinfo's never-mapped window; programs that map a window (below) are unaffected.
        Assumptions.assumeFalse(r.stderr().contains("X_GetImage") && r.stderr().contains("BadMatch"),
                "Mesa 22.3 virpipe: glxinfo -B dies with BadMatch (X_GetImage) on its unmapped window");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.stdout().contains("virgl (LLVMPIPE"), r.output());
    }

    @Test
    void glxgearsReportsVirglOnLlvmpipe() throws Exception {
        HarnessEnvironment.assumeProgram("glxgears", "mesa-utils");
        // glxgears never exits by itself: the timeout ends it after it printed its GL info.
        MesaClient.Result r = client().timeout(Duration.ofSeconds(8)).run("glxgears", "-info");
        assertTrue(r.timedOut(), r.output());
        assertTrue(r.stdout().contains("GL_RENDERER   = virgl (LLVMPIPE"), r.output());
    }

    @Test
    void es2InfoReportsVirglOnLlvmpipe() throws Exception {
        HarnessEnvironment.assumeProgram("es2_info", "mesa-utils");
        MesaClient.Result r = client().run("es2_info");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.stdout().contains("GL_RENDERER: virgl (LLVMPIPE"), r.output());
    }

    @Test
    void glmark2PrintsAScore() throws Exception {
        HarnessEnvironment.assumeProgram("glmark2", "glmark2-x11");
        MesaClient.Result r = client().run("glmark2", "--off-screen", "-s", "320x240",
                "-b", "build:duration=0.5");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.stdout().contains("GL_RENDERER:    virgl (LLVMPIPE"), r.output());
        Matcher score = Pattern.compile("glmark2 Score: (\\d+)").matcher(r.stdout());
        assertTrue(score.find(), r.output());
        assertTrue(Integer.parseInt(score.group(1)) >= 1, r.output());
    }
}
