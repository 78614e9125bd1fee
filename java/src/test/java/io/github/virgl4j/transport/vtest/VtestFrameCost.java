package io.github.virgl4j.transport.vtest;

import static io.github.virgl4j.binding.global.virglrenderer.v4j_close;

import io.github.virgl4j.virgl.VirglCommands;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A vtest client that repeats what Mesa's virpipe sends for one glFinish-ended frame of glmark2
 * --off-screen (counted with strace for bump, texture, shading and conditionals: per frame one
 * RESOURCE_UNREF of an old fence resource, one SUBMIT_CMD, the new fence resource's
 * RESOURCE_CREATE2 and its fd, one BUSY_WAIT with the wait flag), with a 64x64 clear as the
 * frame's GPU work. With that work this small, a server's CPU time per frame is what serving the
 * requests costs it; any vtest server can be measured (bench/vtest-frame-cost.sh).
 *
 * <p>{@code VtestFrameCost SOCKET WARMUP FRAMES [PID | children-of:PID]}: runs WARMUP frames,
 * then FRAMES measured ones, and prints their frames per second and, given the server's process
 * (for virgl_test_server, which forks a process per client: its parent), the CPU time per frame
 * of each of that process's threads, from /proc/PID/task/TID/schedstat.
 */
public final class VtestFrameCost {
    private static final int TARGET = 1;
    private static final int SIDE = 64;
    private static final int FIRST_FENCE = 100;

    private final VtestSocket socket;

    private VtestFrameCost(VtestSocket socket) {
        this.socket = socket;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: VtestFrameCost SOCKET WARMUP FRAMES [PID | children-of:PID]");
            System.exit(2);
        }
        int warmup = Integer.parseInt(args[1]);
        int frames = Integer.parseInt(args[2]);
        String server = args.length > 3 ? args[3] : null;
        try (VtestSocket s = VtestSocket.connect(Path.of(args[0]))) {
            new VtestFrameCost(s).run(warmup, frames, server);
        }
    }

    private void run(int warmup, int frames, String server) throws IOException {
        byte[] name = "frame-cost\0".getBytes();
        // CREATE_RENDERER's length counts bytes, not dwords (vtest_protocol.h)
        send(ByteBuffer.allocate(8 + name.length).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(name.length).putInt(VtestCommandId.CREATE_RENDERER.id()).put(name).array());
        send(dwords(VtestCommandId.PROTOCOL_VERSION, 2));
        if (VtestWire.readReply(socket)[0] != 2) {
            throw new IOException("the server does not speak vtest protocol version 2");
        }
        send(dwords(VtestCommandId.RESOURCE_CREATE2, TARGET, 2, VirglCommands.FORMAT_R8G8B8A8_UNORM, 2,
                SIDE, SIDE, 1, 1, 0, 0, SIDE * SIDE * 4));
        v4j_close(receiveFd());
        send(submit(new VirglCommands().createSurface(1, TARGET, VirglCommands.FORMAT_R8G8B8A8_UNORM)
                .setFramebuffer(1).build()));
        byte[] clear = submit(new VirglCommands().clearColor(0.2f, 0.4f, 0.6f, 1).build());

        Map<String, Long> before = Map.of();
        long t0 = 0;
        for (int i = 0; i < warmup + frames; i++) {
            if (i == warmup) {
                before = threadNanos(server);
                t0 = System.nanoTime();
            }
            int fence = FIRST_FENCE + i;
            ByteBuffer b = ByteBuffer.allocate(12 + clear.length).order(ByteOrder.LITTLE_ENDIAN);
            if (i >= 2) {
                b.put(dwords(VtestCommandId.RESOURCE_UNREF, fence - 2)); // Mesa's cache keeps a few
            }
            b.put(clear);
            send(b.array(), b.position());
            // Mesa's vtest winsys fence: an 8-byte buffer (PIPE_BUFFER, R8_UNORM, bind 0x20000) with shm
            send(dwords(VtestCommandId.RESOURCE_CREATE2, fence, 0, 64, 0x20000, 8, 1, 1, 1, 0, 0, 8));
            v4j_close(receiveFd());
            send(dwords(VtestCommandId.RESOURCE_BUSY_WAIT, fence, VtestProtocol.BUSY_WAIT_FLAG_WAIT));
            if (VtestWire.readReply(socket)[0] != 0) {
                throw new IOException("BUSY_WAIT with the wait flag answered busy");
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Long> after = threadNanos(server);
        System.out.printf("%d frames in %.3f s: %.1f frames/s%n", frames, seconds, frames / seconds);
        long total = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            total += d;
            if (d / frames >= 100) {
                System.out.printf("  cpu %-28s %8.1f us/frame%n", e.getKey(), d / 1e3 / frames);
            }
        }
        if (server != null) {
            System.out.printf("  cpu %-28s %8.1f us/frame%n", "(all threads)", total / 1e3 / frames);
        }
    }

    private void send(byte[] bytes) throws IOException {
        send(bytes, bytes.length);
    }

    private void send(byte[] bytes, int length) throws IOException {
        socket.write(bytes, 0, length);
    }

    private static byte[] dwords(VtestCommandId cmd, int... values) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(values.length).putInt(cmd.id());
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    private static byte[] submit(ByteBuffer virgl) {
        int[] payload = new VtestRequest.SubmitCmd(virgl).dwords();
        return dwords(VtestCommandId.SUBMIT_CMD, payload);
    }

    /** The shm fd of a RESOURCE_CREATE2 (version 2 sends it with one byte and no reply frame). */
    private int receiveFd() throws IOException {
        VtestSocket.Received got = socket.receive(new byte[1], 0, 1);
        if (got.fds().length != 1) {
            throw new IOException("RESOURCE_CREATE2 came without its fd");
        }
        return got.fds()[0];
    }

    /** CPU nanoseconds of each thread of the server process, by thread name and id. */
    private static Map<String, Long> threadNanos(String server) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        if (server == null) {
            return out;
        }
        String pid = server;
        if (server.startsWith("children-of:")) {
            String parent = server.substring("children-of:".length());
            String[] children = Files.readString(Path.of("/proc", parent, "task", parent, "children")).trim().split(" ");
            pid = children[children.length - 1]; // the newest: this client's
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", pid, "task"))) {
            for (Path t : tasks) {
                String name = Files.readString(t.resolve("comm")).trim();
                // schedstat: nanoseconds on a CPU, nanoseconds waiting for one, timeslices
                long nanos = Long.parseLong(Files.readString(t.resolve("schedstat")).split(" ")[0]);
                out.put(name + "/" + t.getFileName(), nanos);
            }
        }
        return out;
    }
}
