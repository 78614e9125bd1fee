package io.github.virgl4j.transport.vtest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reading vtest replies as a client does, for the tests' and benchmarks' hand-made clients. */
final class VtestWire {
    private VtestWire() {
    }

    /** Reads one reply frame ({@code [length][command]} then length dwords) and returns its dwords. */
    static int[] readReply(VtestSocket socket) throws IOException {
        byte[] header = new byte[8];
        socket.readFully(header, 0, 8);
        int len = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        byte[] body = new byte[len * 4];
        socket.readFully(body, 0, body.length);
        int[] out = new int[len];
        ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
        return out;
    }
}
