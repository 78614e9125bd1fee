package io.github.virgl4j.transport.vtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed vtest input ends that client only: the server drops it (closes the connection)
 * and every other client goes on being served.
 */
class VtestServerHostileTest {
    private static Path dir;
    private static VtestServer server;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "vtest-hostile");
        server = VtestServer.start(dir.resolve("s"), Renderer.open(RendererOptions.llvmpipe()), null, null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A raw client speaking protocol v2 by hand. */
    static final class Client implements AutoCloseable {
        final VtestSocket socket;

        Client() throws IOException {
            this(server.path());
        }

        Client(Path path) throws IOException {
            socket = VtestSocket.connect(path);
            byte[] name = "hostile\0".getBytes();
            send(VtestCommandId.CREATE_RENDERER.id(), name.length, name);
            sendDwords(VtestCommandId.PROTOCOL_VERSION.id(), 2);
            assertEquals(2, readReply()[0]);
        }

        void send(int cmd, int length, byte[] payload) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(8 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(length).putInt(cmd).put(payload);
            socket.write(b.array());
        }

        void sendDwords(int cmd, int... dwords) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(dwords.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asIntBuffer().put(dwords);
            send(cmd, dwords.length, b.array());
        }

        /** Reads one reply frame and returns its payload dwords. */
        int[] readReply() throws IOException {
            return VtestWire.readReply(socket);
        }

        /** A 16x16 RGBA texture with shared memory (RESOURCE_CREATE2); the fd is received and closed. */
        void createTexture(int handle) throws IOException {
            sendDwords(VtestCommandId.RESOURCE_CREATE2.id(), handle, 2, 67, 2, 16, 16, 1, 1, 0, 0, 1024);
            io.github.virgl4j.binding.global.virglrenderer.v4j_close(receiveFd());
        }

        /**
         * The RESOURCE_CREATE2 dwords of a fence as Mesa's vtest winsys makes one: an 8-byte
         * buffer (PIPE_BUFFER, R8_UNORM, bind 0x20000) with 8 bytes of shared memory.
         */
        static int[] fenceResource(int handle) {
            return new int[] {handle, 0, 64, 0x20000, 8, 1, 1, 1, 0, 0, 8};
        }

        /** Receives the one fd of a RESOURCE_CREATE2 reply (the caller closes it). */
        int receiveFd() throws IOException {
            VtestSocket.Received got = socket.receive(new byte[1], 0, 1);
            assertEquals(1, got.fds().length);
            return got.fds()[0];
        }

        /** True when the server has closed the connection (within 3 s). */
        boolean dropped() {
            short[] ready = new short[1];
            io.github.virgl4j.binding.global.virglrenderer.v4j_poll_in(new int[] {socket.fd()}, ready, 1, 3_000);
            if (ready[0] == 0) {
                return false;
            }
            try {
                return socket.read(new byte[1], 0, 1) <= 0;
            } catch (IOException e) {
                return true;
            }
        }

        /** True when the client is still served: a BUSY_WAIT gets its reply. */
        boolean alive() throws IOException {
            sendDwords(VtestCommandId.RESOURCE_BUSY_WAIT.id(), 0, 0);
            return readReply().length == 1;
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    @Test
    void aClientOverTheLimitIsDisconnectedAtOnceAndTheOthersGoOn() throws Exception {
        try (VtestServer small = VtestServer.start(dir.resolve("small"), Renderer.running().orElseThrow(), null, null)
                .maxClients(2);
             Client a = new Client(small.path());
             Client b = new Client(small.path())) {
            try (VtestSocket refused = VtestSocket.connect(small.path())) {
                short[] ready = new short[1];
                io.github.virgl4j.binding.global.virglrenderer.v4j_poll_in(new int[] {refused.fd()}, ready, 1, 3_000);
                assertTrue(ready[0] != 0, "the third client is not left waiting");
                assertEquals(-1, refused.read(new byte[1], 0, 1), "the third client reads end of stream");
            }
            assertTrue(a.alive());
            assertTrue(b.alive());
            a.close();
            for (int i = 0; i < 100 && small.devices().size() > 1; i++) {
                Thread.sleep(20); // the render thread closes a's session
            }
            try (Client c = new Client(small.path())) {
                assertTrue(c.alive(), "a place freed by a client that left is taken again");
            }
        }
    }

    @Test
    void absurdLengthsDropOnlyThatClient() throws IOException {
        try (Client good = new Client(); Client bad = new Client()) {
            bad.send(VtestCommandId.SUBMIT_CMD.id(), 0x3fffffff, new byte[16]);
            assertTrue(bad.dropped());
            assertTrue(good.alive());
        }
    }

    @Test
    void unknownCommandsDropOnlyThatClient() throws IOException {
        try (Client good = new Client(); Client bad = new Client()) {
            bad.sendDwords(999, 1, 2, 3);
            assertTrue(bad.dropped());
            assertTrue(good.alive());
        }
    }

    @Test
    void anotherClientsResourceIdsAreNotItsOwn() throws IOException {
        try (Client owner = new Client(); Client thief = new Client()) {
            owner.createTexture(5);
            thief.sendDwords(VtestCommandId.RESOURCE_UNREF.id(), 5);
            assertTrue(thief.dropped(), "unref of a resource the client does not have");
            // the owner's resource is intact: a transfer into its shared memory still works
            owner.sendDwords(VtestCommandId.TRANSFER_PUT2.id(), 5, 0, 0, 0, 0, 16, 16, 1, 1024, 0);
            assertTrue(owner.alive());
        }
    }

    @Test
    void aConnectionClosedInTheMiddleOfAMessageEndsOnlyThatClient() throws IOException {
        try (Client good = new Client()) {
            Client bad = new Client();
            bad.socket.write(new byte[] {4, 0, 0, 0, 6}); // half a SUBMIT_CMD header
            bad.close();
            Client late = new Client(); // the server still accepts
            assertTrue(late.alive());
            late.close();
            assertTrue(good.alive());
        }
    }

    @Test
    void submitsOfGarbageVirglCommandsNeitherCrashNorDisturbOthers() throws IOException {
        try (Client good = new Client(); Client bad = new Client()) {
            // virglrenderer skips some malformed commands (OK) and refuses others (EINVAL: the
            // client is dropped, as virgl_test_server does); either way nobody else notices
            bad.sendDwords(VtestCommandId.SUBMIT_CMD.id(), 0x7fff0001, 0xdeadbeef, 0x0000ffff, -1);
            bad.sendDwords(VtestCommandId.SUBMIT_CMD.id(), 0x00640008, 1, 2);
            assertTrue(good.alive());
            bad.createTexture(9);
            assertTrue(bad.dropped() || bad.alive());
        } catch (IOException droppedWhileCreating) {
            // the bad client was dropped: fine
        }
        try (Client after = new Client()) {
            assertTrue(after.alive());
        }
    }

    /** GET_CAPS2 requests, their replies left unread, until the server's socket is surely full. */
    private static int floodCapsRequests(Client c) throws IOException {
        int n = 400; // ~450 KiB of replies: more than a Unix socket buffers
        byte[] frames = new byte[8 * n];
        ByteBuffer b = ByteBuffer.wrap(frames).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putInt(0).putInt(VtestCommandId.GET_CAPS2.id());
        }
        c.socket.write(frames);
        return n;
    }

    /** A GET_CAPS2 reply, whose length field counts caps bytes + 1: returns the caps size. */
    private static int readCapsReply(Client c) throws IOException {
        byte[] header = new byte[8];
        c.socket.readFully(header, 0, 8);
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2, h.getInt(4));
        int size = h.getInt(0) - 1;
        c.socket.readFully(new byte[size], 0, size);
        return size;
    }

    @Test
    void aClientThatDoesNotReadItsRepliesStallsNobodyElse() throws Exception {
        try (Client good = new Client(); Client deaf = new Client()) {
            floodCapsRequests(deaf);
            Thread.sleep(300); // the server has filled deaf's socket and parked it
            for (int i = 0; i < 20; i++) {
                assertTrue(good.alive(), "the render thread serves others while deaf's replies wait");
            }
            try (Client late = new Client()) {
                assertTrue(late.alive());
            }
        }
        try (Client after = new Client()) {
            assertTrue(after.alive()); // deaf's close with replies unsent was cleaned up
        }
    }

    @Test
    void aFrameArrivingByteByByteIsServedOnceComplete() throws Exception {
        try (Client slow = new Client(); Client good = new Client()) {
            ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(2).putInt(VtestCommandId.RESOURCE_BUSY_WAIT.id()).putInt(0).putInt(0);
            for (byte x : b.array()) {
                slow.socket.write(new byte[] {x});
                Thread.sleep(5);
                assertTrue(good.alive());
            }
            assertEquals(1, slow.readReply().length);
        }
    }

    @Test
    void repliesQueuedBehindUnreadOnesArriveInOrderWithTheResourcesFd() throws Exception {
        try (Client c = new Client()) {
            int caps = floodCapsRequests(c);
            // the fd reply queues behind the unread caps; the server reads nothing more (the
            // unref) until they are sent, and the queued fd is its own copy either way
            c.sendDwords(VtestCommandId.RESOURCE_CREATE2.id(), 7, 2, 67, 2, 16, 16, 1, 1, 0, 0, 1024);
            c.sendDwords(VtestCommandId.RESOURCE_UNREF.id(), 7);
            Thread.sleep(300);
            for (int i = 0; i < caps; i++) {
                assertTrue(readCapsReply(c) > 100);
            }
            int fd = c.receiveFd();
            try {
                assertEquals(1024, io.github.virgl4j.binding.global.virglrenderer.v4j_fd_size(fd),
                        "the descriptor received is the resource's 1 KiB memfd, not whatever reused its number");
            } finally {
                io.github.virgl4j.binding.global.virglrenderer.v4j_close(fd);
            }
            assertTrue(c.alive());
        }
    }
}
