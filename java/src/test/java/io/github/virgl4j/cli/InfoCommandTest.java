package io.github.virgl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InfoCommandTest {

    static String runCapturing(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(args), "exit code of " + String.join(" ", args));
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
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
