package io.github.virgl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.virgl4j.testing.Console;
import org.junit.jupiter.api.Test;

class InfoCommandTest {

    static String runCapturing(String... args) {
        return Console.stdout(() -> assertEquals(0, Main.run(args), "exit code of " + String.join(" ", args)));
    }

    @Test
    void infoJsonReportsLlvmpipeBackendAndCapsets() throws Exception {
        JsonNode info = new ObjectMapper().readTree(runCapturing("info", "--json", "--backend", "llvmpipe"));
        assertEquals("llvmpipe", info.get("backend").asText());
        assertTrue(info.get("glRenderer").asText().startsWith("llvmpipe"));
        assertTrue(info.get("glVersion").asText().contains("Mesa"));
        assertEquals(2, info.get("capsets").get(1).get("id").asInt());
        assertEquals(1376, info.get("capsets").get(1).get("size").asInt());
        assertTrue(info.get("libraryPath").asText().contains("libvirglrenderer.so.1"));
    }

    @Test
    void bothOptionSpellingsAreAccepted() throws Exception {
        JsonNode a = new ObjectMapper().readTree(runCapturing("info", "--json", "--backend=llvmpipe"));
        assertEquals("llvmpipe", a.get("backend").asText());
    }
}
