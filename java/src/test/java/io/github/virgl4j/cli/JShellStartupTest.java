package io.github.virgl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the ./virgl4j shell start-up script in a real JShell, non-interactively, and reads its output. */
class JShellStartupTest {

    @Test
    void startupScriptOpensTheRendererAndItsSnippetsWork() throws Exception {
        Path root = Path.of(System.getProperty("virgl4j.project.root", "..")).toAbsolutePath().normalize();
        Path startup = root.resolve("java/src/main/jshell/virgl4j.jsh");
        Path script = Files.createTempFile("virgl4j-jshell", ".jsh");
        Files.writeString(script, String.join("\n",
                "System.out.println(\"CLEAR \" + renderClear(1f, 0.2f, 0.6f));",
                "System.out.println(\"DISPLAY \" + displayInfo().type());",
                "capsets();",
                "System.out.println(\"REPLAY \" + replay(\"" + root.resolve("test-streams/glmark2-build.vgs") + "\"));",
                "/exit", ""));
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        Process p = new ProcessBuilder(jshell.toString(), "--class-path", System.getProperty("java.class.path"),
                "--startup", "DEFAULT", "--startup", startup.toString(), script.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("virgl4j: renderer open on llvmpipe")), out);
        assertTrue(lines.contains("CLEAR #ff3399ff"), out);
        assertTrue(lines.contains("DISPLAY " + 0x1101), out);
        assertTrue(lines.contains("capset 2: version 2, 1376 bytes"), out);
        assertTrue(lines.contains("REPLAY true"), out);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("frame 0 READBACK 320x240 ") && l.endsWith(" MATCH")), out);
    }
}
