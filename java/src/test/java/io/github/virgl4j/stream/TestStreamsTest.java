package io.github.virgl4j.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererOptions;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every recorded stream in test-streams/ replays green: bit for bit on the Mesa it was recorded
 * with, within the tolerance elsewhere; the replayed pictures are written to
 * target/test-streams-png/ for a look.
 */
class TestStreamsTest {
    static final List<String> EXPECTED = List.of("glmark2-build", "glmark2-texture", "glmark2-shading", "glmark2-bump",
            "glmark2-effect2d", "glmark2-pulsar", "glmark2-desktop", "glmark2-buffer", "glmark2-ideas",
            "glmark2-jellyfish", "glmark2-terrain", "glmark2-shadow", "glmark2-refract", "glmark2-conditionals",
            "glmark2-function", "glmark2-loop", "glxgears", "console-2d");
    private static final Path ROOT = Path.of(System.getProperty("virgl4j.project.root", "..")).toAbsolutePath().normalize();
    private static final Path STREAMS = ROOT.resolve("test-streams");
    private static final Path PNG = ROOT.resolve("java/target/test-streams-png");
    private static Renderer renderer;

    @BeforeAll
    static void open() {
        renderer = Renderer.open(RendererOptions.llvmpipe());
    }

    @AfterAll
    static void close() {
        if (renderer != null) {
            renderer.close();
        }
    }

    @Test
    void everyStreamTheIssueAsksForIsThereAndTheyAreSmall() throws IOException {
        for (String name : EXPECTED) {
            assertTrue(Files.isRegularFile(STREAMS.resolve(name + StreamFormat.EXTENSION)), name + " is missing");
        }
        long total;
        try (Stream<Path> s = Files.list(STREAMS)) {
            total = s.filter(p -> p.toString().endsWith(StreamFormat.EXTENSION)).mapToLong(p -> p.toFile().length()).sum();
        }
        assertTrue(total < 40L << 20, "test-streams/ holds " + total + " bytes");
    }

    @TestFactory
    Stream<DynamicTest> everyStreamReplaysGreen() {
        return EXPECTED.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Path file = STREAMS.resolve(name + StreamFormat.EXTENSION);
            ReplayReport r = StreamReplayer.replay(file, renderer, StreamReplayer.Options.defaults().withPngDir(PNG));
            assertTrue(r.passed(), () -> describe(r));
            assertTrue(r.frames().size() >= 2, name + ": " + r.frames().size() + " frames");
            if (r.exactHost()) {
                assertEquals(r.frames().size(), r.count(FrameResult.Status.MATCH), () -> describe(r));
            }
            FrameResult last = r.frames().get(r.frames().size() - 1);
            BufferedImage img = ImageIO.read(Path.of(last.png()).toFile());
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < img.getHeight(); y += 3) {
                for (int x = 0; x < img.getWidth(); x += 3) {
                    colours.add(img.getRGB(x, y));
                }
            }
            assertTrue(colours.size() >= 3, name + ": the last frame is (nearly) blank: " + colours.size() + " colours");
        }));
    }

    private static String describe(ReplayReport r) {
        StringBuilder b = new StringBuilder(r.stream()).append(" on ").append(r.replayedOn())
                .append(", recorded on ").append(r.manifest().recordedOn()).append('\n');
        r.frames().stream().filter(f -> f.status() != FrameResult.Status.MATCH).limit(10)
                .forEach(f -> b.append("  ").append(f).append('\n'));
        r.responseMismatches().forEach(m -> b.append("  ").append(m).append('\n'));
        return b.toString();
    }
}
