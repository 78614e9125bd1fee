package io.github.virgl4j.virgl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the commands of a virgl stream that make virglrenderer read a resource's guest backing
 * while it parses the stream: {@code VIRGL_CCMD_TRANSFER3D} towards the host (Mesa's encoded
 * transfers) and {@code VIRGL_CCMD_COPY_TRANSFER3D} without its READ_FROM_HOST flag, which reads
 * its source buffer's backing (virgl_protocol.h). A recorder needs those bytes, since they are not
 * in the stream itself.
 *
 * <p>A copy transfer reads the buffer with the <em>destination's</em> layout: virglrenderer
 * 0.10.4's {@code vrend_renderer_copy_transfer3d} bounds and copies the box as rows of the
 * destination texture's format ({@code check_iov_bounds(dst_res, info, src_res->iov, …)}), so
 * an upload names both resources.
 *
 * <p>Walks command headers only; a malformed stream ends the walk (the device refuses or the
 * renderer ignores what follows; either way nothing more is read from guest memory).
 */
public final class VirglUploads {
    /** VIRGL_TRANSFER_TO_HOST, the direction dword of TRANSFER3D. */
    static final int TO_HOST = 1;
    /** VIRGL_COPY_TRANSFER3D_FLAGS_READ_FROM_HOST: the copy writes the buffer instead of reading it. */
    static final int COPY_READ_FROM_HOST = 1 << 1;

    private VirglUploads() {
    }

    /**
     * One read of {@code source}'s backing, from offset: the box's rows as {@code layout}'s level
     * {@code level} lays them out, with the given pitches (0 = that level's own). The two are the
     * same resource for TRANSFER3D; for COPY_TRANSFER3D, the buffer and the destination. Handles
     * are as the stream names them (the guest's ids).
     */
    public record Upload(int source, int layout, int level, int stride, int layerStride, int w, int h, int d,
                         long offset) {
    }

    /** The uploads of stream's remaining bytes (little-endian dwords), in stream order. */
    public static List<Upload> of(ByteBuffer stream) {
        ByteBuffer b = stream.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int base = b.position();
        int total = b.remaining() / 4;
        List<Upload> out = new ArrayList<>();
        int at = 0;
        while (at < total) {
            int header = b.getInt(base + at * 4);
            int length = header >>> 16;
            if (length > total - at - 1) {
                break;
            }
            int cmd = header & 0xff;
            if (cmd == Ccmd.TRANSFER3D && length >= 13 && dword(b, base, at, 13) == TO_HOST) {
                out.add(upload(b, base, at, dword(b, base, at, 1), Integer.toUnsignedLong(dword(b, base, at, 12))));
            } else if (cmd == Ccmd.COPY_TRANSFER3D && length >= 14
                    && (dword(b, base, at, 14) & COPY_READ_FROM_HOST) == 0) {
                out.add(upload(b, base, at, dword(b, base, at, 12), Integer.toUnsignedLong(dword(b, base, at, 13))));
            }
            at += 1 + length;
        }
        return out;
    }

    private static Upload upload(ByteBuffer b, int base, int at, int source, long offset) {
        return new Upload(source, dword(b, base, at, 1), dword(b, base, at, 2), dword(b, base, at, 4),
                dword(b, base, at, 5), dword(b, base, at, 9), dword(b, base, at, 10), dword(b, base, at, 11), offset);
    }

    /** The n-th payload dword (1-based) of the command whose header is at dword {@code at}. */
    private static int dword(ByteBuffer b, int base, int at, int n) {
        return b.getInt(base + (at + n) * 4);
    }
}
