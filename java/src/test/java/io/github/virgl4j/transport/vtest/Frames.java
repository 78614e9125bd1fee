package io.github.virgl4j.transport.vtest;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds little-endian vtest byte streams for tests. */
final class Frames {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Frames start() {
        return new Frames();
    }

    /** The usual opening: CREATE_RENDERER "glxinfo" (8 bytes with the NUL). */
    static Frames withRenderer() {
        return start().frame(8, 8).bytes("glxinfo\0".getBytes());
    }

    Frames frame(int length, int id, int... payload) {
        dwords(length, id);
        return dwords(payload);
    }

    Frames dwords(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        out.writeBytes(b.array());
        return this;
    }

    Frames bytes(byte[] data) {
        out.writeBytes(data);
        return this;
    }

    byte[] build() {
        return out.toByteArray();
    }

    VtestDecoder decoder(int version) {
        VtestDecoder d = new VtestDecoder(VtestInput.of(build()));
        if (version != 0) {
            d.setProtocolVersion(version);
        }
        return d;
    }

    static int[] ints(byte[] bytes) {
        int[] out = new int[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
        return out;
    }
}
