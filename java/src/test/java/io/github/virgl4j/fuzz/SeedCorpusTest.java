package io.github.virgl4j.fuzz;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed corpora under src/test/resources are generated from real requests ({@link DeviceSeeds},
 * {@link DecoderSeeds}, {@link VirtqueueSeeds},
 * {@link VtestSeeds}, {@link VhostUserSeeds}, {@link StreamSeeds}: real streams of test-streams/); this keeps the files in step with their sources.
 * That they reach deep is checked where Jazzer feeds them to the targets (regression mode), e.g.
 * {@link DeviceSeeds#check}.
 *
 * <p>Regenerate after changing a generator or a seed:
 * {@code mvn -o -pl java test -Dtest=SeedCorpusTest -Dvirgl4j.fuzz.writeSeeds=true}.
 */
class SeedCorpusTest {
    private static final String PKG = "/io/github/virgl4j/fuzz/";

    static Map<String, Map<String, byte[]>> corpora() {
        Map<String, Map<String, byte[]>> m = new LinkedHashMap<>();
        m.put("DeviceFuzzTestInputs/controlQueue", DeviceSeeds.inputs());
        m.put("VirtqueueFuzzTestInputs/splitRing", VirtqueueSeeds.inputs());
        m.put("DecoderFuzzTestInputs/decode", DecoderSeeds.inputs());
        m.put("VtestFuzzTestInputs/stream", VtestSeeds.inputs());
        m.put("VhostUserFuzzTestInputs/message", VhostUserSeeds.inputs());
        m.put("StreamFuzzTestInputs/stream", StreamSeeds.inputs());
        return m;
    }

    @Test
    void committedSeedsAreTheEncodedRequests() throws IOException {
        boolean write = Boolean.getBoolean("virgl4j.fuzz.writeSeeds");
        Path sources = Path.of(System.getProperty("virgl4j.project.root", ".."), "java/src/test/resources" + PKG);
        for (Map.Entry<String, Map<String, byte[]>> corpus : corpora().entrySet()) {
            for (Map.Entry<String, byte[]> seed : corpus.getValue().entrySet()) {
                String path = corpus.getKey() + "/" + seed.getKey();
                if (write) {
                    Files.createDirectories(sources.resolve(corpus.getKey()));
                    Files.write(sources.resolve(path), seed.getValue());
                    continue;
                }
                try (InputStream in = getClass().getResourceAsStream(PKG + path)) {
                    assertNotNull(in, path + " is missing: regenerate with -Dvirgl4j.fuzz.writeSeeds=true");
                    assertArrayEquals(seed.getValue(), in.readAllBytes(), path + " is stale: regenerate");
                }
            }
        }
    }
}
