package io.github.virgl4j.transport.vtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Compiles the small C test clients of native/test-programs with the system compiler. */
final class TestPrograms {
    private TestPrograms() {
    }

    /** A clear and a colour-interpolated triangle, read back (triangle.c). */
    static Path triangle(Path workDir) throws IOException, InterruptedException {
        return build(workDir, "triangle");
    }

    /** A texture rewritten while a draw sampling it is queued: Mesa's staging upload (retexture.c). */
    static Path retexture(Path workDir) throws IOException, InterruptedException {
        return build(workDir, "retexture");
    }

    private static Path build(Path workDir, String name) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("virgl4j.project.root", "..")).toAbsolutePath().normalize();
        Path source = root.resolve("native/test-programs/" + name + ".c");
        Path binary = workDir.resolve(name);
        Process p = new ProcessBuilder("cc", "-O2", "-o", binary.toString(), source.toString(), "-lGL", "-lX11")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(p.waitFor() == 0, "cannot build " + name + ".c (needs libgl-dev libx11-dev): " + out);
        return binary;
    }
}
