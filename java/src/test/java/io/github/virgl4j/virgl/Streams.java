package io.github.virgl4j.virgl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.IntUnaryOperator;

/** Helpers for translator tests: a guest's id map, headers, and streams as int arrays. */
final class Streams {
    /** The guest owns resources 1..6, which the renderer knows as 5000..5005. */
    static final IntUnaryOperator GUEST = g -> g >= 1 && g <= 6 ? 4999 + g : -1;

    private Streams() {
    }

    /** A command header, as VIRGL_CMD0 builds it. */
    static int hdr(int cmd, int object, int length) {
        return cmd | (object << 8) | (length << 16);
    }

    static int[] dwords(ByteBuffer b) {
        ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[le.remaining() / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = le.getInt(le.position() + i * 4);
        }
        return out;
    }

    static ByteBuffer stream(int... dwords) {
        ByteBuffer b = ByteBuffer.allocate(dwords.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int d : dwords) {
            b.putInt(d);
        }
        return b.flip();
    }

    /** The stream translated with {@link #GUEST}, as dwords. */
    static int[] translated(VirglCommands commands) throws TranslationException {
        return dwords(VirglStreamTranslator.translate(commands.build(), GUEST));
    }

    static int[] translated(int... dwords) throws TranslationException {
        return dwords(VirglStreamTranslator.translate(stream(dwords), GUEST));
    }
}
