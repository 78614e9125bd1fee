package io.github.virgl4j.stream;

import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Tests that start from one {@link RecordedScene} recording, made once per test class. */
abstract class RecordedSceneTest {
    static Renderer renderer;
    static Path dir;
    static Path file;
    static RecordedScene live;

    @BeforeAll
    static void recordScene() throws IOException {
        renderer = Renderer.open(RendererOptions.llvmpipe());
        Path base = Files.createDirectories(Path.of("target", "stream-tests"));
        dir = Files.createTempDirectory(base, "scene").toAbsolutePath();
        file = dir.resolve("scene.vgs");
        live = RecordedScene.record(renderer, file);
    }

    @AfterAll
    static void closeRenderer() {
        if (renderer != null) {
            renderer.close();
        }
    }
}
