package io.github.virgl4j.transport.vtest;

import static io.github.virgl4j.binding.global.virglrenderer.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VtestSocketTest {
    @TempDir
    Path dir;

    @Test
    void replyWithFdArrivesTheWayMesaReadsIt() throws Exception {
        Path path = dir.resolve("vtest.sock");
        try (VtestListener listener = VtestListener.listen(path)) {
            CompletableFuture<VtestSocket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return listener.accept();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (VtestSocket client = VtestSocket.connect(path);
                 VtestSocket server = accepted.get(10, TimeUnit.SECONDS)) {
                int memfd = v4j_memfd("vtest-res-5", 4096);
                assertTrue(memfd >= 0);
                // v3 RESOURCE_CREATE2 reply: [1][12][res_id] then the memfd on a 1-byte message.
                try (VtestReplyQueue replies = new VtestReplyQueue(server)) {
                    replies.send(new VtestReply.ResourceCreated(VtestCommandId.RESOURCE_CREATE2, 3, 5, true), memfd);
                    assertTrue(replies.isEmpty(), "an empty socket takes the whole reply at once");
                }
                v4j_close(memfd);

                byte[] header = new byte[12];
                client.readFully(header, 0, 12);
                assertArrayEquals(new int[] {1, 12, 5}, Frames.ints(header));
                VtestSocket.Received fdMessage = client.receive(new byte[1], 0, 1);
                assertEquals(1, fdMessage.bytes());
                assertEquals(1, fdMessage.fds().length);
                assertEquals(4096, v4j_fd_size(fdMessage.fds()[0]));
                v4j_close(fdMessage.fds()[0]);

                client.write(Frames.withRenderer().frame(0, 10).build());
                VtestDecoder decoder = new VtestDecoder(server);
                assertEquals(new VtestRequest.CreateRenderer("glxinfo"), decoder.next().orElseThrow());
                assertEquals(new VtestRequest.PingProtocolVersion(), decoder.next().orElseThrow());
                client.shutdown();
                assertTrue(decoder.next().isEmpty());
                assertThrows(EOFException.class, () -> server.readFully(new byte[1], 0, 1));
            }
        }
        assertFalse(Files.exists(path), "close removes the socket file");
    }

    @Test
    void aClosedSocketNeitherShutsDownNorReadsWhatReusedItsNumber() throws Exception {
        Path path = dir.resolve("reuse.sock");
        try (VtestListener listener = VtestListener.listen(path)) {
            VtestSocket first = VtestSocket.connect(path);
            listener.accept().close();
            int number = first.fd();
            first.close();
            try (VtestSocket second = VtestSocket.connect(path); VtestSocket peer = listener.accept()) {
                // the kernel hands out the lowest free number again (unless another thread took it)
                org.junit.jupiter.api.Assumptions.assumeTrue(number == second.fd(), "fd number not reused");
                first.shutdown(); // must not reach second
                assertThrows(java.io.IOException.class, () -> first.readNow(new byte[1], 0, 1));
                assertThrows(java.io.IOException.class, () -> first.sendNow(new byte[1], 0, 1, -1));
                peer.write(new byte[] {42});
                byte[] got = new byte[1];
                second.readFully(got, 0, 1);
                assertEquals(42, got[0]);
            }
        }
    }

    @Test
    void listenReplacesStaleSocketButNotRegularFiles() throws Exception {
        Path path = dir.resolve("stale.sock");
        int stale = v4j_unix_listen(path.toString(), 1);
        v4j_close(stale);
        assertTrue(Files.exists(path));
        try (VtestListener listener = VtestListener.listen(path);
             VtestSocket client = VtestSocket.connect(path)) {
            assertTrue(client.fd() >= 0);
        }
        Path regular = Files.writeString(dir.resolve("file"), "x");
        assertThrows(java.io.IOException.class, () -> VtestListener.listen(regular));
        assertEquals("x", Files.readString(regular));
    }

    @Test
    void closeWakesBlockedAccept() throws Exception {
        VtestListener listener = VtestListener.listen(dir.resolve("wake.sock"));
        CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                listener.accept();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(200);
        listener.close();
        assertInstanceOf(java.io.IOException.class, waiter.get(10, TimeUnit.SECONDS));
    }
}
