package io.github.virgl4j.virgl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds a virgl command buffer, dword by dword. Each command starts with a header
 * {@code cmd | object << 8 | length << 16} (length in dwords, header excluded), per
 * virgl_protocol.h's VIRGL_CMD0.
 *
 * <pre>{@code
 * ByteBuffer cmds = new VirglCommands()
 *         .createSurface(1, resource, VirglCommands.FORMAT_R8G8B8A8_UNORM)
 *         .setFramebuffer(1)
 *         .clearColor(1f, 0.2f, 0.6f, 1f)
 *         .build();
 * }</pre>
 */
public final class VirglCommands {
    public static final int CCMD_CREATE_OBJECT = 1;
    public static final int CCMD_DESTROY_OBJECT = 3;
    public static final int CCMD_SET_VIEWPORT_STATE = 4;
    public static final int CCMD_SET_FRAMEBUFFER_STATE = 5;
    public static final int CCMD_CLEAR = 7;
    public static final int CCMD_SET_SCISSOR_STATE = 15;
    public static final int CCMD_RESOURCE_COPY_REGION = 17;
    public static final int OBJ_SURFACE = 8;

    /** PIPE_CLEAR_COLOR0 ({@code 1 << 2}), as in Gallium's p_defines.h. */
    public static final int PIPE_CLEAR_COLOR0 = 1 << 2;

    public static final int FORMAT_B8G8R8A8_UNORM = 1;
    public static final int FORMAT_B8G8R8X8_UNORM = 2;
    public static final int FORMAT_R8G8B8A8_UNORM = 67;

    private int[] dwords = new int[64];
    private int size;

    private VirglCommands put(int value) {
        if (size == dwords.length) {
            dwords = java.util.Arrays.copyOf(dwords, size * 2);
        }
        dwords[size++] = value;
        return this;
    }

    private VirglCommands header(int cmd, int object, int length) {
        return put(cmd | (object << 8) | (length << 16));
    }

    /** VIRGL_CCMD_CREATE_OBJECT / SURFACE: a colour surface over level 0, layer 0 of a texture. */
    public VirglCommands createSurface(int surfaceHandle, int resourceHandle, int format) {
        return header(CCMD_CREATE_OBJECT, OBJ_SURFACE, 5)
                .put(surfaceHandle).put(resourceHandle).put(format).put(0).put(0);
    }

    public VirglCommands destroySurface(int surfaceHandle) {
        return header(CCMD_DESTROY_OBJECT, OBJ_SURFACE, 1).put(surfaceHandle);
    }

    /** SET_FRAMEBUFFER_STATE with the given colour surfaces and no depth surface. */
    public VirglCommands setFramebuffer(int... colorSurfaces) {
        header(CCMD_SET_FRAMEBUFFER_STATE, 0, colorSurfaces.length + 2).put(colorSurfaces.length).put(0);
        for (int s : colorSurfaces) {
            put(s);
        }
        return this;
    }

    /** SET_SCISSOR_STATE for viewport 0: later clears... are not scissored; draws are. */
    public VirglCommands setScissor(int minX, int minY, int maxX, int maxY) {
        return header(CCMD_SET_SCISSOR_STATE, 0, 3).put(0)
                .put(minX | (minY << 16)).put(maxX | (maxY << 16));
    }

    /** CLEAR of colour buffer 0 to (r, g, b, a); depth and stencil untouched. */
    public VirglCommands clearColor(float r, float g, float b, float a) {
        return header(CCMD_CLEAR, 0, 8).put(PIPE_CLEAR_COLOR0)
                .put(Float.floatToRawIntBits(r)).put(Float.floatToRawIntBits(g))
                .put(Float.floatToRawIntBits(b)).put(Float.floatToRawIntBits(a))
                .put(0).put(0) // depth, a double
                .put(0);       // stencil
    }

    /** RESOURCE_COPY_REGION: copies a w×h box at (sx, sy) of level 0 of src to (dx, dy) of dst. */
    public VirglCommands copyRegion(int dst, int dx, int dy, int src, int sx, int sy, int w, int h) {
        return header(CCMD_RESOURCE_COPY_REGION, 0, 13)
                .put(dst).put(0).put(dx).put(dy).put(0)
                .put(src).put(0).put(sx).put(sy).put(0).put(w).put(h).put(1);
    }

    /** Appends raw dwords (for commands this builder does not model). */
    public VirglCommands raw(int... values) {
        for (int v : values) {
            put(v);
        }
        return this;
    }

    /** Size so far, in dwords. */
    public int dwords() {
        return size;
    }

    /** The commands as a little-endian direct buffer, ready for SUBMIT_3D or a render session. */
    public ByteBuffer build() {
        ByteBuffer out = ByteBuffer.allocateDirect(size * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < size; i++) {
            out.putInt(dwords[i]);
        }
        return out.flip();
    }
}
