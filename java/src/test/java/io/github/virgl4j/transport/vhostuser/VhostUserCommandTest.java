package io.github.virgl4j.transport.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.github.virgl4j.testing.Console;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code virgl4j vhost-user}: QEMU's back-end conventions and the exit status on disconnect. */
class VhostUserCommandTest {

    @Test
    void printCapabilitiesMatchesQemusBackEndFormat() {
        int[] rc = new int[1];
        String out = Console.stdout(() -> rc[0] = Main.run("vhost-user", "--print-capabilities", "--socket-path=/ignored"));
        assertEquals(0, rc[0]);
        assertEquals("{\n  \"type\": \"gpu\",\n  \"features\": [\n    \"render-node\",\n    \"virgl\"\n  ]\n}\n", out);
    }

    @Test
    void needsExactlyOneOfSocketPathAndFd() {
        assertEquals(2, Main.run("vhost-user"));
        assertEquals(2, Main.run("vhost-user", "--socket-path=/tmp/x.sock", "--fd=3"));
    }

    @Test
    void aClosedInheritedDescriptorFailsEarly() {
        assertEquals(5, Main.run("vhost-user", "--fd=987"));
    }

    @Test
    void servesOneFrontEndOnTheSocketPathAndExitsOneWhenItHangsUp(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("vgpu.sock");
        CompletableFuture<Integer> rc = CompletableFuture.supplyAsync(
                () -> Main.run("vhost-user", "--socket-path=" + sock, "--backend=llvmpipe"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(sock) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        int fd = Native.unixConnect(sock.toString());
        assertTrue(fd >= 0, "connect: " + fd);
        TestFrontEnd fe = TestFrontEnd.wrap(fd);
        long features = fe.getU64(VhostUserRequest.GET_FEATURES);
        assertEquals(1L, features & 1);                     // VIRGL: the renderer is up
        assertEquals(1L << 30, features & (1L << 30));      // VHOST_USER_F_PROTOCOL_FEATURES
        assertFalse(Files.exists(sock));                     // one front end: the path is gone
        fe.close();
        assertEquals(1, rc.get(30, TimeUnit.SECONDS));
    }
}
