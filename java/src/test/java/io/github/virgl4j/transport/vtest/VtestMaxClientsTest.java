package io.github.virgl4j.transport.vtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.cli.Main;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererOptions;
import io.github.virgl4j.testing.Console;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code virgl4j vtest --max-clients}: the limit a command line sets, and values it refuses. */
class VtestMaxClientsTest {
    private static Path dir;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "vtest-max-clients");
        Renderer.open(RendererOptions.llvmpipe()); // the command below shares it (same options)
    }

    @Test
    void aLimitOfOneDisconnectsTheSecondClientAndServesTheFirst() throws Exception {
        Path socket = dir.resolve("one.sock");
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.run("vtest",
                "--socket-path", socket.toString(), "--backend=llvmpipe", "--max-clients", "1", "--no-loop-or-fork"));
        for (int i = 0; i < 200 && !Files.exists(socket); i++) {
            Thread.sleep(25);
        }
        try (VtestServerHostileTest.Client first = new VtestServerHostileTest.Client(socket)) {
            try (VtestSocket second = VtestSocket.connect(socket)) {
                short[] ready = new short[1];
                io.github.virgl4j.binding.global.virglrenderer.v4j_poll_in(new int[] {second.fd()}, ready, 1, 3_000);
                assertTrue(ready[0] != 0, "the second client is not left waiting");
                assertEquals(-1, second.read(new byte[1], 0, 1), "the second client reads end of stream");
            }
            assertTrue(first.alive(), "the first client is still served");
        }
        assertEquals(0, exit.get(10, TimeUnit.SECONDS), "--no-loop-or-fork: the command ends with its client");
    }

    @Test
    void aLimitOutsideTheRangeIsACommandLineError() {
        for (String bad : new String[] {"0", "" + (VtestServer.CLIENT_LIMIT + 1)}) {
            String err = Console.stderr(() -> assertEquals(1, Main.run("vtest", "--socket-path",
                    dir.resolve("bad.sock").toString(), "--max-clients=" + bad)));
            assertTrue(err.contains("--max-clients must be 1.." + VtestServer.CLIENT_LIMIT + ", not " + bad), err);
        }
    }

    @Test
    void theServerApiRefusesTheSameLimits() throws Exception {
        try (VtestServer server = VtestServer.start(dir.resolve("api.sock"), Renderer.running().orElseThrow(), null, null)) {
            assertThrows(IllegalArgumentException.class, () -> server.maxClients(0));
            assertThrows(IllegalArgumentException.class, () -> server.maxClients(VtestServer.CLIENT_LIMIT + 1));
            assertEquals(server, server.maxClients(VtestServer.CLIENT_LIMIT));
        }
    }
}
