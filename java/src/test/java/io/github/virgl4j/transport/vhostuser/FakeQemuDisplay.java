package io.github.virgl4j.transport.vhostuser;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test helper playing QEMU's side of the vhost-user-gpu display socket: answers
 * GET_PROTOCOL_FEATURES (EDID | DMABUF2, as QEMU 10 does), GET_DISPLAY_INFO (a configurable
 * size) and GET_EDID, and records every other message.
 */
final class FakeQemuDisplay implements AutoCloseable {
    final int backendFd;
    private final int fd;
    private final MessageSocket socket;
    private final Thread thread;
    private final DisplayInfo info;
    final List<RawMessage> received = new CopyOnWriteArrayList<>();
    volatile long setProtocolFeatures = -1;

    FakeQemuDisplay(DisplayInfo info) {
        this.info = info;
        int[] pair = new int[2];
        if (Native.socketpair(pair) != 0) {
            throw new IllegalStateException("socketpair");
        }
        fd = pair[0];
        backendFd = pair[1];
        socket = new MessageSocket(fd, 64 << 20);
        thread = new Thread(this::loop, "fake-qemu-display");
        thread.setDaemon(true);
        thread.start();
    }

    private void reply(int code, ByteBuffer payload) {
        socket.write(VhostUserHeader.message(code, VhostUserHeader.FLAG_REPLY, payload));
    }

    private void loop() {
        try {
            while (true) {
                RawMessage m = socket.read();
                VhostGpuRequest r = VhostGpuRequest.fromCode(m.header().request());
                if (r == VhostGpuRequest.GET_PROTOCOL_FEATURES) {
                    reply(r.code(), ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, 3));
                } else if (r == VhostGpuRequest.SET_PROTOCOL_FEATURES) {
                    setProtocolFeatures = m.payload().order(ByteOrder.nativeOrder()).getLong(0);
                } else if (r == VhostGpuRequest.GET_DISPLAY_INFO) {
                    reply(r.code(), info.encode());
                } else if (r == VhostGpuRequest.GET_EDID) {
                    ByteBuffer e = ByteBuffer.allocate(GpuDisplaySocket.EDID_REPLY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
                    e.putInt(0, GpuDisplaySocket.OK_EDID).putInt(24, 128);
                    e.put(32, (byte) 0x00).put(33, (byte) 0xff);
                    reply(r.code(), e);
                } else {
                    received.add(m);
                }
            }
        } catch (SessionEndException e) {
            // back end closed its end
        }
    }

    /** Messages of one request type received so far. */
    List<RawMessage> of(VhostGpuRequest r) {
        return received.stream().filter(m -> m.header().request() == r.code()).toList();
    }

    @Override
    public void close() {
        socket.shutdown();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
    }
}
