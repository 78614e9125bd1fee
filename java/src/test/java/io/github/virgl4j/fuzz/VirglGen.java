package io.github.virgl4j.fuzz;

import java.nio.ByteBuffer;

/**
 * The command stream of a SUBMIT_3D: up to {@value #MAX_COMMANDS} virgl commands, each a valid
 * header shape ({@code cmd | object << 8 | length << 16}, virgl_protocol.h) with a fuzzed body
 * whose dwords are mostly object handles, resource ids, formats and float bits. The length field
 * may disagree with the body; the size field may disagree with the stream.
 */
final class VirglGen {
    private VirglGen() {
    }

    static final int MAX_COMMANDS = 8;
    static final int MAX_BODY = 64;
    /** Every VIRGL_CCMD_* of virglrenderer 0.10 (0 NOP .. 51) and a few beyond. */
    static final int[] CMD = range(0, 55);
    /** Every VIRGL_OBJECT_* (0 NULL .. 11 MSAA_SURFACE) and beyond. */
    static final int[] OBJ = range(0, 13);
    static final int[] LEN = concat(range(0, 20), 24, 32, 48, 64, 0xffff);
    /** Handles 1-4, the fixture's resources 10-13, formats, 1.0f, edges. */
    static final int[] BODY = {1, 2, 3, 4, 10, 11, 12, 13, 0, 67, 64, 0x3f800000, 16384, 0x10000, -1,
        Integer.MAX_VALUE, Integer.MIN_VALUE, 5};

    /** Appends size, pad and the stream (the request header and type are already in b). */
    static void submit(Source s, ByteBuffer b) {
        boolean lies = s.submitSizeLies();
        int declared = lies ? s.u32(Kinds.SUBMIT_SIZE) : 0;
        int sizeAt = b.position();
        b.putInt(0).putInt(s.u32(Kinds.PAD));
        int start = b.position();
        int n = s.virglCommands();
        for (int i = 0; i < n; i++) {
            int header = s.virglHeader();
            b.putInt(header);
            int body = s.virglBody(header >>> 16);
            for (int k = 0; k < body; k++) {
                b.putInt(s.u32(BODY));
            }
        }
        b.putInt(sizeAt, lies ? declared : b.position() - start);
    }

    private static int[] range(int from, int to) {
        int[] out = new int[to - from + 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    private static int[] concat(int[] a, int... more) {
        int[] out = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }
}
