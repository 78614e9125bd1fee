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

    /** VIRGL_OBJECT_MSAA_SURFACE: a surface over level 0, layer 0 rendered with {@code samples} implicit samples. */
    public VirglCommands createMsaaSurface(int surfaceHandle, int resourceHandle, int format, int samples) {
        return header(CCMD_CREATE_OBJECT, Ccmd.OBJ_MSAA_SURFACE, 6)
                .put(surfaceHandle).put(resourceHandle).put(format).put(0).put(0).put(samples);
    }

    /** VIRGL_OBJECT_SAMPLER_VIEW over level 0, layer 0 of a texture, identity swizzle. */
    public VirglCommands createSamplerView(int viewHandle, int resourceHandle, int format) {
        int identity = 0 | (1 << 3) | (2 << 6) | (3 << 9); // R, G, B, A
        return header(CCMD_CREATE_OBJECT, Ccmd.OBJ_SAMPLER_VIEW, 6)
                .put(viewHandle).put(resourceHandle).put(format).put(0).put(0).put(identity);
    }

    /** VIRGL_OBJECT_STREAMOUT_TARGET: {@code size} bytes at {@code offset} of a buffer. */
    public VirglCommands createStreamoutTarget(int targetHandle, int resourceHandle, int offset, int size) {
        return header(CCMD_CREATE_OBJECT, Ccmd.OBJ_STREAMOUT_TARGET, 4)
                .put(targetHandle).put(resourceHandle).put(offset).put(size);
    }

    /** VIRGL_OBJECT_QUERY whose result the host writes at {@code offset} of {@code resourceHandle}. */
    public VirglCommands createQuery(int queryHandle, int queryType, int index, int resourceHandle, int offset) {
        return header(CCMD_CREATE_OBJECT, Ccmd.OBJ_QUERY, 4)
                .put(queryHandle).put((queryType & 0xffff) | (index << 16)).put(offset).put(resourceHandle);
    }

    /** SET_VERTEX_BUFFERS from (stride, offset, resource) triples. */
    public VirglCommands setVertexBuffers(int... strideOffsetResource) {
        if (strideOffsetResource.length % 3 != 0) {
            throw new IllegalArgumentException("(stride, offset, resource) triples expected");
        }
        return header(Ccmd.SET_VERTEX_BUFFERS, 0, strideOffsetResource.length).raw(strideOffsetResource);
    }

    /** SET_INDEX_BUFFER with a buffer; {@code indexSize} in bytes. */
    public VirglCommands setIndexBuffer(int resourceHandle, int indexSize, int offset) {
        return header(Ccmd.SET_INDEX_BUFFER, 0, 3).put(resourceHandle).put(indexSize).put(offset);
    }

    /** DRAW_VBO, indirect form: draws read from {@code indirectResource}; count from {@code countResource} (0: none). */
    public VirglCommands drawIndirect(int mode, int indirectResource, int offset, int stride, int drawCount,
                                      int countResource, int countOffset) {
        header(Ccmd.DRAW_VBO, 0, 20).put(0).put(0).put(mode).put(0).put(1).put(0).put(0).put(0).put(0)
                .put(0).put(-1).put(0) // start..max_index, count_from_so
                .put(0).put(0);         // vertices per patch, drawid
        return put(indirectResource).put(offset).put(stride).put(drawCount).put(countOffset).put(countResource);
    }

    /** RESOURCE_INLINE_WRITE of a w×h box at (x, y) of level 0, rows {@code stride} bytes apart. */
    public VirglCommands inlineWrite(int resourceHandle, int x, int y, int w, int h, int stride, int... data) {
        return header(Ccmd.RESOURCE_INLINE_WRITE, 0, 11 + data.length).put(resourceHandle).put(0).put(0)
                .put(stride).put(0).put(x).put(y).put(0).put(w).put(h).put(1).raw(data);
    }

    /** SET_UNIFORM_BUFFER: {@code length} bytes at {@code offset} of a buffer as constant buffer {@code index}. */
    public VirglCommands setUniformBuffer(int shaderType, int index, int offset, int length, int resourceHandle) {
        return header(Ccmd.SET_UNIFORM_BUFFER, 0, 5).put(shaderType).put(index).put(offset).put(length)
                .put(resourceHandle);
    }

    /** BLIT of all colour channels, nearest filtering, level 0 to level 0. */
    public VirglCommands blit(int dst, int dstFormat, int dx, int dy, int src, int srcFormat, int sx, int sy,
                              int w, int h) {
        header(Ccmd.BLIT, 0, 21).put(0xf).put(0).put(0); // mask RGBA, no scissor
        put(dst).put(0).put(dstFormat).put(dx).put(dy).put(0).put(w).put(h).put(1);
        return put(src).put(0).put(srcFormat).put(sx).put(sy).put(0).put(w).put(h).put(1);
    }

    /** SET_SAMPLER_VIEWS: sampler-view object handles from {@code startSlot}. */
    public VirglCommands setSamplerViews(int shaderType, int startSlot, int... views) {
        return header(Ccmd.SET_SAMPLER_VIEWS, 0, 2 + views.length).put(shaderType).put(startSlot).raw(views);
    }

    /** SET_STREAMOUT_TARGETS: stream-output target object handles. */
    public VirglCommands setStreamoutTargets(int appendBitmask, int... targets) {
        return header(Ccmd.SET_STREAMOUT_TARGETS, 0, 1 + targets.length).put(appendBitmask).raw(targets);
    }

    /** SET_SHADER_BUFFERS from (offset, length, resource) triples. */
    public VirglCommands setShaderBuffers(int shaderType, int startSlot, int... offsetLengthResource) {
        return header(Ccmd.SET_SHADER_BUFFERS, 0, 2 + offsetLengthResource.length).put(shaderType).put(startSlot)
                .raw(offsetLengthResource);
    }

    /** SET_SHADER_IMAGES from (format, access, layer/offset, level/size, resource) quintuples. */
    public VirglCommands setShaderImages(int shaderType, int startSlot, int... images) {
        return header(Ccmd.SET_SHADER_IMAGES, 0, 2 + images.length).put(shaderType).put(startSlot).raw(images);
    }

    /** SET_ATOMIC_BUFFERS from (offset, length, resource) triples. */
    public VirglCommands setAtomicBuffers(int startSlot, int... offsetLengthResource) {
        return header(Ccmd.SET_ATOMIC_BUFFERS, 0, 1 + offsetLengthResource.length).put(startSlot)
                .raw(offsetLengthResource);
    }

    /** LAUNCH_GRID; {@code indirectResource} 0 for a direct launch. */
    public VirglCommands launchGrid(int blockX, int blockY, int blockZ, int gridX, int gridY, int gridZ,
                                    int indirectResource, int indirectOffset) {
        return header(Ccmd.LAUNCH_GRID, 0, 8).put(blockX).put(blockY).put(blockZ).put(gridX).put(gridY).put(gridZ)
                .put(indirectResource).put(indirectOffset);
    }

    /** GET_QUERY_RESULT_QBO: the query's result written into a buffer resource. */
    public VirglCommands getQueryResultQbo(int queryHandle, int resourceHandle, boolean wait, int resultType,
                                           int offset, int index) {
        return header(Ccmd.GET_QUERY_RESULT_QBO, 0, 6).put(queryHandle).put(resourceHandle).put(wait ? 1 : 0)
                .put(resultType).put(offset).put(index);
    }

    /** TRANSFER3D of a w×h box at (x, y) of level 0; direction 1 to host, 2 from host. */
    public VirglCommands transfer3d(int resourceHandle, int x, int y, int w, int h, int dataOffset, int direction) {
        return header(Ccmd.TRANSFER3D, 0, 13).put(resourceHandle).put(0).put(0).put(0).put(0)
                .put(x).put(y).put(0).put(w).put(h).put(1).put(dataOffset).put(direction);
    }

    /** COPY_TRANSFER3D of a w×h box at (x, y) of level 0 of {@code dst} from bytes of buffer {@code src}. */
    public VirglCommands copyTransfer3d(int dst, int x, int y, int w, int h, int stride, int src, int srcOffset,
                                        int flags) {
        return header(Ccmd.COPY_TRANSFER3D, 0, 14).put(dst).put(0).put(0).put(stride).put(0)
                .put(x).put(y).put(0).put(w).put(h).put(1).put(src).put(srcOffset).put(flags);
    }

    /** CLEAR_TEXTURE of a w×h box at (x, y) of level 0 to the texel given as up to 4 dwords. */
    public VirglCommands clearTexture(int resourceHandle, int x, int y, int w, int h, int... texel) {
        header(Ccmd.CLEAR_TEXTURE, 0, 12).put(resourceHandle).put(0).put(x).put(y).put(0).put(w).put(h).put(1);
        for (int i = 0; i < 4; i++) {
            put(i < texel.length ? texel[i] : 0);
        }
        return this;
    }

    /**
     * PIPE_RESOURCE_CREATE: a context-local object that RESOURCE_CREATE_BLOB (HOST3D) with this
     * blob_id turns into a resource. flags: 2 MAP_PERSISTENT, 4 MAP_COHERENT (virgl_hw.h).
     */
    public VirglCommands pipeResourceCreate(int target, int format, int bind, int width, int height, int depth,
                                            int arraySize, int lastLevel, int nrSamples, int flags, int blobId) {
        return header(Ccmd.PIPE_RESOURCE_CREATE, 0, 11).put(target).put(format).put(bind).put(width).put(height)
                .put(depth).put(arraySize).put(lastLevel).put(nrSamples).put(flags).put(blobId);
    }

    /** PIPE_RESOURCE_SET_TYPE with (stride, offset) pairs, one per plane. */
    public VirglCommands pipeResourceSetType(int resourceHandle, int format, int bind, int width, int height,
                                             int usage, long modifier, int... strideOffset) {
        return header(Ccmd.PIPE_RESOURCE_SET_TYPE, 0, 8 + strideOffset.length).put(resourceHandle).put(format)
                .put(bind).put(width).put(height).put(usage).put((int) modifier).put((int) (modifier >>> 32))
                .raw(strideOffset);
    }

    /** GET_MEMORY_INFO: the host writes a virgl_memory_info into the resource. */
    public VirglCommands getMemoryInfo(int resourceHandle) {
        return header(Ccmd.GET_MEMORY_INFO, 0, 1).put(resourceHandle);
    }

    /** Any command: a header with the payload's length, then the payload. */
    public VirglCommands command(int cmd, int object, int... payload) {
        return header(cmd, object, payload.length).raw(payload);
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
