package io.github.virgl4j.device;

import io.github.virgl4j.device.protocol.Box3d;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.device.protocol.VirtioGpuFormat;
import io.github.virgl4j.renderer.Box;
import io.github.virgl4j.renderer.RendererException;
import io.github.virgl4j.renderer.ResourceCreateArgs;
import java.nio.ByteBuffer;
import java.util.UUID;

/** Resource commands (virtio spec 5.7.6.8): create, unref, backing, transfers, UUIDs. */
final class ResourceCommands {
    private static final GpuResponse OK = GpuResponse.OkNoData.INSTANCE;
    /** Gallium's limits, which virglrenderer enforces too; checked first so sizes cannot overflow. */
    private static final int MAX_TEXTURE_SIZE = 16384;
    private static final int MAX_LAYERS = 2048;
    private static final int TARGET_BUFFER = 0;

    private final DeviceState s;

    ResourceCommands(DeviceState state) {
        this.s = state;
    }

    GpuResponse create2d(GpuCommand.ResourceCreate2d c) {
        VirtioGpuFormat format = VirtioGpuFormat.fromCode(c.format());
        if (format == null) {
            throw GpuError.parameter("unknown 2D format " + c.format());
        }
        if (c.width() <= 0 || c.height() <= 0 || c.width() > MAX_TEXTURE_SIZE || c.height() > MAX_TEXTURE_SIZE) {
            throw GpuError.parameter("2D size " + Integer.toUnsignedString(c.width()) + "x"
                    + Integer.toUnsignedString(c.height()));
        }
        checkNewId(c.resourceId());
        s.reserve((long) c.width() * c.height() * VirtioGpuFormat.BYTES_PER_PIXEL);
        s.add(new Resource2d(c.resourceId(), format, c.width(), c.height()));
        return OK;
    }

    GpuResponse create3d(GpuCommand.ResourceCreate3d c) {
        checkNewId(c.resourceId());
        long bytes = estimate3d(c);
        s.reserve(bytes);
        ResourceCreateArgs args = new ResourceCreateArgs(c.target(), c.format(), c.bind(), c.width(), c.height(),
                c.depth(), c.arraySize(), c.lastLevel(), c.nrSamples(), c.flags());
        int handle = c.resourceId();
        try {
            try {
                s.renderer().createResource(handle, args);
            } catch (RendererException e) {
                if (e.errno() != RendererException.EEXIST) {
                    throw e;
                }
                // Another device uses this id: take a free handle and rewrite this guest's streams.
                handle = s.renderer().createResource(args);
                s.translating = true;
            }
        } catch (RendererException e) {
            throw rendererError(e, null);
        }
        long stride = 0;
        if (c.target() != TARGET_BUFFER) {
            try {
                stride = s.renderer().resourceInfo(handle).stride();
            } catch (RendererException e) {
                stride = 0; // unknown: transfers are bounded with the widest texel instead
            }
        }
        s.add(new Resource3d(c.resourceId(), handle, args, bytes, stride));
        return OK;
    }

    /** Upper bound of host memory: 16 bytes per texel (widest format), all levels, all samples. */
    private static long estimate3d(GpuCommand.ResourceCreate3d c) {
        // Mesa sends array_size 0 (and sometimes depth 0) for buffers; virglrenderer checks the
        // combination per target itself. Here only the sizes that bound memory are checked.
        if (c.width() <= 0 || c.height() <= 0 || c.depth() < 0 || c.arraySize() < 0
                || c.arraySize() > MAX_LAYERS || c.depth() > MAX_LAYERS
                || c.lastLevel() < 0 || c.lastLevel() > 15 || c.nrSamples() < 0 || c.nrSamples() > 32) {
            throw GpuError.parameter("3D resource size out of range");
        }
        if (c.target() == TARGET_BUFFER) {
            return Integer.toUnsignedLong(c.width());
        }
        if (c.width() > MAX_TEXTURE_SIZE || c.height() > MAX_TEXTURE_SIZE) {
            throw GpuError.parameter("texture larger than " + MAX_TEXTURE_SIZE);
        }
        long texels = (long) c.width() * c.height() * Math.max(1, c.depth()) * Math.max(1, c.arraySize())
                * Math.max(1, c.nrSamples());
        return texels * 16 * (c.lastLevel() > 0 ? 2 : 1);
    }

    private void checkNewId(int id) {
        if (id == 0 || s.resources.containsKey(id)) {
            throw GpuError.resource("resource id " + Integer.toUnsignedString(id) + " is 0 or in use");
        }
    }

    GpuResponse unref(GpuCommand.ResourceUnref c) {
        Resource r = s.resource(c.resourceId());
        for (DeviceState.Scanout out : s.scanouts) {
            if (out.resourceId == r.id) {
                out.resourceId = 0;
            }
        }
        BlobCommands.releaseMapping(s, r); // the guest loses its mapping before the memory goes
        if (r instanceof Resource3d r3) {
            s.renderer().unrefResource(r3.handle); // detaches backing and every context first
        }
        r.backing = null;
        s.remove(r);
        return OK;
    }

    GpuResponse attachBacking(GpuCommand.ResourceAttachBacking c) {
        Resource r = s.resource(c.resourceId());
        if (r.backing != null) {
            throw GpuError.unspec("resource " + r.id + " already has backing");
        }
        if (c.entries().size() > s.config.limits().maxBackingEntries()) {
            throw GpuError.parameter("too many backing entries: " + c.entries().size());
        }
        // virglrenderer sizes iovecs in 32 bits: keep 3D backings below 2 GiB.
        long max = r instanceof Resource3d ? Math.min(s.config.limits().maxHostMemory(), Integer.MAX_VALUE)
                : s.config.limits().maxHostMemory();
        Backing b = Backing.resolve(s.memory, c.entries(), r instanceof Resource3d, max);
        if (r instanceof Resource3d r3) {
            try {
                s.renderer().attachBacking(r3.handle, b.hostRanges());
            } catch (RendererException e) {
                throw rendererError(e, null);
            }
        }
        r.backing = b;
        return OK;
    }

    GpuResponse detachBacking(GpuCommand.ResourceDetachBacking c) {
        Resource r = s.resource(c.resourceId());
        if (r.backing == null) {
            throw GpuError.unspec("resource " + r.id + " has no backing");
        }
        if (r instanceof Resource3d r3) {
            s.renderer().detachBacking(r3.handle);
        }
        r.backing = null;
        return OK;
    }

    GpuResponse transferToHost2d(GpuCommand.TransferToHost2d c) {
        Resource r = s.resource(c.resourceId());
        if (r instanceof ResourceBlob) {
            return OK; // scanouts read guest blobs in place; Linux still sends it for dumb blobs (as QEMU: no-op)
        }
        if (!DeviceState.inside(c.rect(), r.width(), r.height())) {
            throw GpuError.parameter("transfer rect outside the resource");
        }
        if (r.backing == null) {
            throw GpuError.unspec("resource " + r.id + " has no backing");
        }
        if (c.offset() < 0) {
            throw GpuError.parameter("negative offset");
        }
        if (r instanceof Resource2d r2) {
            s.bytesTransferred += r2.transferFromBacking(c.rect(), c.offset(), s);
        } else {
            Box box = Box.of2d(c.rect().x(), c.rect().y(), c.rect().w(), c.rect().h());
            transfer3d((Resource3d) r, 0, true, box, c.offset(), 0, 0, 0);
        }
        return OK;
    }

    GpuResponse transfer3d(GpuCommand.TransferToHost3d c) {
        return transfer3d(c.header().ctxId(), c.resourceId(), true, c.box(), c.offset(), c.level(), c.stride(),
                c.layerStride());
    }

    GpuResponse transfer3d(GpuCommand.TransferFromHost3d c) {
        return transfer3d(c.header().ctxId(), c.resourceId(), false, c.box(), c.offset(), c.level(), c.stride(),
                c.layerStride());
    }

    private GpuResponse transfer3d(int guestCtx, int resourceId, boolean toHost, Box3d b, long offset, int level,
                                   int stride, int layerStride) {
        Resource3d r = s.resource3d(resourceId);
        int ctx = 0;
        if (guestCtx != 0) {
            ctx = s.rendererContext(guestCtx);
            if (!r.contexts.contains(guestCtx)) {
                throw GpuError.resource("resource " + r.id + " is not attached to context " + guestCtx);
            }
        }
        if (r.backing == null) {
            throw GpuError.unspec("resource " + r.id + " has no backing");
        }
        Box box = new Box(b.x(), b.y(), b.z(), b.w(), b.h(), b.d());
        transfer3d(r, ctx, toHost, box, offset, level, stride, layerStride);
        return OK;
    }

    /**
     * Checks, in 64-bit arithmetic, that every guest byte the transfer can touch lies inside the
     * backing, then lets virglrenderer copy. virglrenderer 0.10's own check multiplies in 32 bits,
     * so a huge stride wraps around and it reads or writes outside the iovecs (seen as a SIGSEGV
     * under fuzzing); the box against the resource it does check itself (EINVAL).
     */
    private void transfer3d(Resource3d r, int ctx, boolean toHost, Box box, long offset, int level, int stride,
                            int layerStride) {
        long w = Integer.toUnsignedLong(box.w());
        long h = Integer.toUnsignedLong(box.h());
        long d = Integer.toUnsignedLong(box.d());
        long rowStride = Integer.toUnsignedLong(stride);
        long sliceStride = Integer.toUnsignedLong(layerStride);
        if (w == 0 || h == 0 || d == 0 || w > MAX_TEXTURE_SIZE && r.args.target() != TARGET_BUFFER
                || h > MAX_TEXTURE_SIZE || d > MAX_LAYERS) {
            throw GpuError.parameter("transfer box " + box + " is empty or too large");
        }
        if (rowStride > Integer.MAX_VALUE || sliceStride > Integer.MAX_VALUE || level < 0
                || level > r.args.lastLevel()) {
            throw GpuError.parameter("transfer stride, layer stride or level out of range");
        }
        long end = r.transferEnd(w, h, d, level, offset, rowStride, sliceStride);
        if (offset < 0 || end > r.backing.length()) {
            throw GpuError.parameter("transfer of " + (end - offset) + " bytes at offset " + offset
                    + " does not fit the backing of " + r.backing.length() + " bytes");
        }
        try {
            if (toHost && s.tap != null) {
                // Recording: the renderer uploads from the same copy the tap records, so a live
                // guest writing the buffer meanwhile cannot make the recording differ.
                ByteBuffer copy = s.tapBackingCopy(r, offset, end);
                s.renderer().transferToHost(r.handle, ctx, level, stride, layerStride, box, copy);
            } else if (toHost) {
                s.renderer().transferToHost(r.handle, ctx, level, stride, layerStride, box, offset);
            } else {
                s.renderer().transferFromHost(r.handle, ctx, level, stride, layerStride, box, offset);
            }
        } catch (RendererException e) {
            throw rendererError(e, null);
        }
        if (!toHost) {
            s.tapBackingWritten(r, offset, end);
        }
        s.bytesTransferred += end - offset;
    }

    GpuResponse assignUuid(GpuCommand.ResourceAssignUuid c) {
        Resource r = s.resource(c.resourceId());
        if (r.uuid == null) {
            r.uuid = UUID.randomUUID();
        }
        return new GpuResponse.OkResourceUuid(r.uuid);
    }

    /** Maps a renderer errno to the virtio-gpu error a guest understands. */
    static GpuError rendererError(RendererException e, GpuError preferred) {
        if (preferred != null) {
            return preferred;
        }
        return switch (e.errno()) {
            case RendererException.ENOMEM -> GpuError.outOfMemory(e.getMessage());
            case RendererException.EINVAL -> GpuError.parameter(e.getMessage());
            default -> GpuError.unspec(e.getMessage());
        };
    }
}
