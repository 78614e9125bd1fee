package io.github.virgl4j.transport.vtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Compiles the small C test clients of native/test-programs with the system compiler. */
final class TestPrograms {
    private TestPrograms() {
    }

    static Path triangle(Path workDir) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("virgl4j.project.root", "..")).toAbsolutePath().normalize();
        Path source = root.resolve("native/test-programs/triangle.c");
        Path binary = workDir.resolve("triangle");
        Process p = new ProcessBuilder("cc", "-O2", "-o", binary.toString(), source.toString(), "-lGL", "-lX11")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(p.waitFor() == 0, "cannot build triangle.c (needs libgl-dev libx11-dev): " + out);
        return binary;
    }
}
