package io.github.virgl4j.device;

import io.github.virgl4j.renderer.ResourceCreateArgs;

/**
 * A resource that lives in virglrenderer. Its renderer handle is the guest's id when no other
 * device holds that handle; otherwise a free one, and the guest's command streams are rewritten.
 */
final class Resource3d extends Resource {
    /** Widest texel of any virgl format (R32G32B32A32), the bound when a format's size is unknown. */
    static final int MAX_BYTES_PER_TEXEL = 16;

    final ResourceCreateArgs args;
    /** The handle in virglrenderer: the guest's id unless another device held it. */
    final int handle;
    /** Bytes of one row of level 0 (virglrenderer's stride), or 0 when it did not say. */
    final long level0Stride;

    /** For a blob made by the renderer (HOST3D, HOST3D_GUEST): blob_mem, else 0. */
    final int blobMem;
    /** The blob's size in bytes, or 0 for a RESOURCE_CREATE_3D resource. */
    final long blobSize;
    /** Where MAP_BLOB put it in the host-visible region, or -1; and how many bytes. */
    long mapOffset = -1;
    long mapLength;

    Resource3d(int id, int handle, ResourceCreateArgs args, long hostBytes, long level0Stride) {
        this(id, handle, args, hostBytes, level0Stride, 0, 0);
    }

    Resource3d(int id, int handle, ResourceCreateArgs args, long hostBytes, long level0Stride, int blobMem,
               long blobSize) {
        super(id, hostBytes);
        this.handle = handle;
        this.args = args;
        this.level0Stride = level0Stride;
        this.blobMem = blobMem;
        this.blobSize = blobSize;
    }

    boolean isBlob() {
        return blobMem != 0;
    }

    /**
     * An upper bound of the bytes one row of a w-texel-wide box occupies in guest memory:
     * w bytes for buffers (R8), w × (level-0 stride / width) for textures, rounded up.
     */
    long rowBytes(long w) {
        if (args.target() == 0) {
            return w;
        }
        if (level0Stride <= 0) {
            return w * MAX_BYTES_PER_TEXEL;
        }
        long width = Math.max(1, Integer.toUnsignedLong(args.width()));
        return (w * level0Stride + width - 1) / width;
    }

    /**
     * One past the last backing byte a transfer of a w×h×d box of {@code level} at offset can
     * touch. A pitch of 0 means the level's own, as virglrenderer reads it ({@code
     * check_iov_bounds}: the row pitch of the whole level width, the layer pitch of the whole
     * level height), not the box's. Callers bound w, h, d by the texture limits and the pitches
     * below 2^31, so nothing overflows (< 2^31 × 2^14 × 3).
     */
    long transferEnd(long w, long h, long d, int level, long offset, long rowStride, long sliceStride) {
        long row = rowBytes(w);
        int shift = Math.min(Math.max(level, 0), 31);
        long levelWidth = Math.max(1, Integer.toUnsignedLong(args.width()) >>> shift);
        long levelHeight = Math.max(1, Integer.toUnsignedLong(args.height()) >>> shift);
        long rowPitch = rowStride != 0 ? Math.max(rowStride, row) : Math.max(row, rowBytes(levelWidth));
        long slicePitch = sliceStride != 0 ? Math.max(sliceStride, rowPitch * h) : rowPitch * Math.max(h, levelHeight);
        return offset + (d - 1) * slicePitch + (h - 1) * rowPitch + row;
    }

    @Override
    int width() {
        return args.width();
    }

    @Override
    int height() {
        return args.height();
    }
}
