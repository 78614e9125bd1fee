package io.github.virgl4j.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where harness tests keep sockets and logs (target/vtest-it, never /tmp: clients get a private
 * /tmp) and the common skip conditions.
 */
public final class HarnessEnvironment {
    private HarnessEnvironment() {
    }

    /** Skips the calling test class unless Xvfb, unshare (as root) and virgl_test_server exist. */
    public static void assumeRealClientsCanRun() {
        assumeTrue(Xvfb.available(), "Xvfb is not installed (apt-get install xvfb)");
        assumeTrue(MesaClient.available(),
                "cannot make a private mount namespace (needs util-linux unshare and root)");
        assumeTrue(ReferenceVtestServer.available(),
                "virgl_test_server is not installed (apt-get install virgl-server)");
    }

    /** Skips unless the given client program is installed. */
    public static void assumeProgram(String name, String pkg) {
        assumeTrue(Processes.onPath(name), name + " is not installed (apt-get install " + pkg + ")");
    }

    /** A fresh directory under target/vtest-it for one test class. */
    public static Path workDir(String prefix) throws IOException {
        Path base = Path.of("target", "vtest-it").toAbsolutePath();
        if (base.startsWith("/tmp")) {
            // clients see a fresh tmpfs on /tmp: a socket under /tmp would be hidden from them
            base = Path.of("/run", "virgl4j-tests");
        }
        Files.createDirectories(base);
        return Files.createTempDirectory(base, prefix);
    }
}
