package io.github.virgl4j.renderer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.binding.global.virglrenderer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;

/**
 * virglrenderer.h has no extern "C". If the presets lost their cinclude, the JNI library would
 * import C++-mangled names (_Z20virgl_renderer_init...) and fail only when first called.
 */
class JniLinkageTest {

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    @Test
    void jniLibraryImportsVirglrendererByItsCName() throws Exception {
        String jniLibrary = Loader.load(virglrenderer.class);
        String imports = run("nm", "-D", "--undefined-only", jniLibrary);
        assertTrue(imports.lines().anyMatch(l -> l.trim().equals("U virgl_renderer_init")), imports);
        assertTrue(imports.lines().anyMatch(l -> l.trim().equals("U virgl_renderer_submit_cmd")), imports);
        assertFalse(imports.lines().anyMatch(l -> l.contains("_Z") && l.contains("virgl_renderer")),
                "C++-mangled virglrenderer imports:\n" + imports);
        String needed = run("readelf", "-d", jniLibrary);
        assertTrue(needed.contains("[libvirglrenderer.so.1]"), needed);
    }
}
