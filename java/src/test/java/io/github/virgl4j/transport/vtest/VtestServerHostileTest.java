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
            socket = VtestSocket.connect(server.path());
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
            byte[] header = new byte[8];
            socket.readFully(header, 0, 8);
            int len = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            byte[] body = new byte[len * 4];
            socket.readFully(body, 0, body.length);
            int[] out = new int[len];
            ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
            return out;
        }

        /** A 16x16 RGBA texture with shared memory (RESOURCE_CREATE2); the fd is received and closed. */
        void createTexture(int handle) throws IOException {
            sendDwords(VtestCommandId.RESOURCE_CREATE2.id(), handle, 2, 67, 2, 16, 16, 1, 1, 0, 0, 1024);
            VtestSocket.Received got = socket.receive(new byte[1], 0, 1);
            assertEquals(1, got.fds().length);
            io.github.virgl4j.binding.global.virglrenderer.v4j_close(got.fds()[0]);
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
}
