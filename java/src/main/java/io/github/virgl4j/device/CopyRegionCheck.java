package io.github.virgl4j.device;

import io.github.virgl4j.renderer.ResourceCreateArgs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.IntFunction;

/**
 * Checks the boxes of the copies in a guest's virgl stream against the resources they name,
 * before virglrenderer sees the stream. virglrenderer 0.10.4 passes RESOURCE_COPY_REGION's and
 * BLIT's coordinates to glCopyImageSubData unchecked, and Mesa's own bounds check adds them in
 * 32 bits: a destination z of 0x7fffffff (found by DeviceFuzzTest) wrapped past it and llvmpipe's
 * copy wrote outside the texture (SIGSEGV in libc, the JVM gone). So every texture copy box must
 * lie inside its level, computed in 64 bits; BLIT boxes (which may be mirrored) must not wrap
 * 32 bits. Commands are walked by their headers ({@code cmd | object << 8 | length << 16});
 * anything else is left to virglrenderer. The device offers virgl capsets only, so every
 * context's stream is virgl.
 */
final class CopyRegionCheck {
    private CopyRegionCheck() {
    }

    static final int BLIT = 16;
    static final int RESOURCE_COPY_REGION = 17;
    /** VIRGL_CMD_RESOURCE_COPY_REGION_SIZE and VIRGL_CMD_BLIT_SIZE (virgl_protocol.h). */
    static final int COPY_REGION_SIZE = 13;
    static final int BLIT_SIZE = 21;

    private static final int TARGET_BUFFER = 0;
    private static final int TARGET_1D = 1;
    private static final int TARGET_3D = 3;
    private static final int TARGET_CUBE = 4;
    private static final int TARGET_1D_ARRAY = 6;

    /**
     * @param resources the creation arguments of a guest resource handle, or null when the
     *                  guest has no 3D resource of that id
     * @throws GpuError ERR_INVALID_PARAMETER for a box outside its resource, ERR_INVALID_RESOURCE_ID
     *                  for a copy naming a resource the guest does not have
     */
    static void check(ByteBuffer stream, IntFunction<ResourceCreateArgs> resources) {
        ByteBuffer s = stream.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int base = s.position();
        int dwords = s.remaining() / 4;
        int at = 0;
        while (at < dwords) {
            int header = s.getInt(base + 4 * at);
            int cmd = header & 0xff;
            int length = header >>> 16;
            if (length > dwords - at - 1) {
                return; // virglrenderer refuses a command that runs past the end
            }
            if (cmd == RESOURCE_COPY_REGION && length == COPY_REGION_SIZE) {
                copyRegion(s, base + 4 * at, resources);
            } else if (cmd == BLIT && length == BLIT_SIZE) {
                blit(s, base + 4 * at);
            }
            at += length + 1;
        }
    }

    private static void copyRegion(ByteBuffer s, int at, IntFunction<ResourceCreateArgs> resources) {
        ResourceCreateArgs dst = lookup(resources, dword(s, at, 1));
        ResourceCreateArgs src = lookup(resources, dword(s, at, 6));
        long dstLevel = u32(s, at, 2);
        long srcLevel = u32(s, at, 7);
        long w = u32(s, at, 11);
        long h = u32(s, at, 12);
        long d = u32(s, at, 13);
        if (src.target() == TARGET_BUFFER && dst.target() == TARGET_BUFFER) {
            inside("source", u32(s, at, 8), w, extent(src.width()), "x");
            inside("destination", u32(s, at, 3), w, extent(dst.width()), "x");
            return;
        }
        box("source", src, srcLevel, u32(s, at, 8), u32(s, at, 9), u32(s, at, 10), w, h, d);
        box("destination", dst, dstLevel, u32(s, at, 3), u32(s, at, 4), u32(s, at, 5), w, h, d);
    }

    /** [x, x+w) × [y, y+h) × [z, z+d) inside level {@code level} of r (texels, layers or slices). */
    private static void box(String which, ResourceCreateArgs r, long level, long x, long y, long z,
                            long w, long h, long d) {
        if (level > Integer.toUnsignedLong(r.lastLevel())) {
            throw GpuError.parameter("RESOURCE_COPY_REGION " + which + " level " + level + " > last level "
                    + Integer.toUnsignedLong(r.lastLevel()));
        }
        long layers = r.target() == TARGET_3D ? Math.max(1, extent(r.depth()) >> level)
                : r.target() == TARGET_CUBE ? 6 : Math.max(1, extent(r.arraySize()));
        // 1D arrays may carry the layer in y (GL's convention) or in z (gallium's).
        long height = r.target() == TARGET_1D ? 1 : r.target() == TARGET_1D_ARRAY ? Math.max(1, layers)
                : Math.max(1, extent(r.height()) >> level);
        inside(which, x, w, Math.max(1, extent(r.width()) >> level), "x");
        inside(which, y, h, height, "y");
        inside(which, z, d, layers, "z");
    }

    private static void inside(String which, long at, long size, long limit, String axis) {
        if (at + size > limit) {
            throw GpuError.parameter("RESOURCE_COPY_REGION " + which + " " + axis + " " + at + " + " + size
                    + " is outside the resource (" + limit + ")");
        }
    }

    /**
     * BLIT boxes may be mirrored (negative sizes) and are clipped by GL; only coordinates whose
     * end wraps 32 bits, and negative layers, are refused.
     */
    private static void blit(ByteBuffer s, int at) {
        for (int box : new int[] {7, 16}) {
            for (int axis = 0; axis < 3; axis++) {
                long start = dword(s, at, box + axis);
                long end = start + dword(s, at, box + 3 + axis);
                if (end < Integer.MIN_VALUE || end > Integer.MAX_VALUE || axis == 2 && (start < 0 || end < 0)) {
                    throw GpuError.parameter("BLIT " + (box == 7 ? "destination" : "source") + " box wraps: "
                            + start + " + " + (end - start));
                }
            }
        }
    }

    private static ResourceCreateArgs lookup(IntFunction<ResourceCreateArgs> resources, int handle) {
        ResourceCreateArgs r = resources.apply(handle);
        if (r == null) {
            throw GpuError.resource("RESOURCE_COPY_REGION names resource " + Integer.toUnsignedString(handle)
                    + ", which this guest does not have as a 3D resource");
        }
        return r;
    }

    private static long extent(int v) {
        return Integer.toUnsignedLong(v);
    }

    private static int dword(ByteBuffer s, int at, int index) {
        return s.getInt(at + 4 * index);
    }

    private static long u32(ByteBuffer s, int at, int index) {
        return Integer.toUnsignedLong(dword(s, at, index));
    }
}
