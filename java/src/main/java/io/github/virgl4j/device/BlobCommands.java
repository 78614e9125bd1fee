package io.github.virgl4j.device;

import io.github.virgl4j.device.protocol.Blob;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.renderer.BlobCreateArgs;
import io.github.virgl4j.renderer.HostRange;
import io.github.virgl4j.renderer.MappedBlob;
import io.github.virgl4j.renderer.RendererException;
import io.github.virgl4j.renderer.ResourceCreateArgs;
import io.github.virgl4j.renderer.ResourceInfo;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Blob resources (virtio spec 5.7.6.8, VIRTIO_GPU_F_RESOURCE_BLOB): RESOURCE_CREATE_BLOB,
 * RESOURCE_MAP_BLOB and RESOURCE_UNMAP_BLOB. GUEST blobs live in Java over the guest's pages
 * (no renderer needed); HOST3D and HOST3D_GUEST blobs are made by virglrenderer from an object a
 * context created (a virgl PIPE_RESOURCE_CREATE with that blob_id) and become renderer resources
 * like RESOURCE_CREATE_3D ones. SET_SCANOUT_BLOB is {@link BlobScanout}.
 */
final class BlobCommands {
    private static final Logger LOG = Logger.getLogger(BlobCommands.class.getName());
    private static final GpuResponse OK = GpuResponse.OkNoData.INSTANCE;
    private static final int KNOWN_FLAGS = Blob.FLAG_USE_MAPPABLE | Blob.FLAG_USE_SHAREABLE
            | Blob.FLAG_USE_CROSS_DEVICE;
    /** Guest pages: MAP_BLOB offsets and lengths are in these units (Linux maps whole pages). */
    static final long PAGE = 4096;
    private static final int VIRGL_FORMAT_R8_UNORM = 64;

    private final DeviceState s;

    BlobCommands(DeviceState state) {
        this.s = state;
    }

    GpuResponse create(GpuCommand.ResourceCreateBlob c) {
        int mem = c.blobMem();
        if (mem != Blob.MEM_GUEST && mem != Blob.MEM_HOST3D && mem != Blob.MEM_HOST3D_GUEST) {
            throw GpuError.parameter("blob_mem " + Integer.toUnsignedString(mem));
        }
        if ((c.blobFlags() & ~KNOWN_FLAGS) != 0) {
            throw GpuError.parameter("unknown blob_flags 0x" + Integer.toHexString(c.blobFlags()));
        }
        int id = c.resourceId();
        if (id == 0 || s.resources.containsKey(id)) {
            throw GpuError.resource("resource id " + Integer.toUnsignedString(id) + " is 0 or in use");
        }
        if (c.size() <= 0) { // u64 on the wire: 0, or 2^63 and more
            throw GpuError.parameter("blob size " + Long.toUnsignedString(c.size()));
        }
        boolean guestStorage = mem != Blob.MEM_HOST3D;
        if (!guestStorage && !c.entries().isEmpty()) {
            throw GpuError.parameter("HOST3D blob with " + c.entries().size() + " guest entries");
        }
        if (c.entries().size() > s.config.limits().maxBackingEntries()) {
            throw GpuError.parameter("too many blob entries: " + c.entries().size());
        }
        if (mem == Blob.MEM_GUEST) {
            return createGuest(c);
        }
        if (s.session.isEmpty()) {
            // QEMU's 2D device answers the same: only GUEST blobs exist without 3D (spec 5.7.6.8).
            throw GpuError.parameter("host blobs need virglrenderer, which this device has not");
        }
        return createHost(c, guestStorage);
    }

    private GpuResponse createGuest(GpuCommand.ResourceCreateBlob c) {
        s.reserve(0); // the pixels stay in guest memory: only the resource count is charged
        Backing b = Backing.resolve(s.memory, c.entries(), false, s.config.limits().maxHostMemory());
        checkCovers(b, c.size());
        s.add(new ResourceBlob(c.resourceId(), c.size(), c.blobFlags(), b));
        return OK;
    }

    private GpuResponse createHost(GpuCommand.ResourceCreateBlob c, boolean guestStorage) {
        int ctx = s.rendererContext(c.header().ctxId());
        s.reserve(c.size());
        Backing b = null;
        if (guestStorage) {
            // virglrenderer sizes iovecs in 32 bits, as for ATTACH_BACKING of 3D resources
            b = Backing.resolve(s.memory, c.entries(), true,
                    Math.min(s.config.limits().maxHostMemory(), Integer.MAX_VALUE));
            checkCovers(b, c.size());
        }
        List<HostRange> ranges = b == null ? List.of() : b.hostRanges();
        BlobCreateArgs args = new BlobCreateArgs(ctx, c.blobMem(), c.blobFlags(), c.blobId(), c.size());
        int handle = c.resourceId();
        try {
            try {
                s.renderer().createBlob(handle, args, ranges);
            } catch (RendererException e) {
                if (e.errno() != RendererException.EEXIST) {
                    throw e;
                }
                handle = s.renderer().createBlob(args, ranges); // another device holds the id
                s.translating = true;
            }
        } catch (RendererException e) {
            // EINVAL: no object with that blob_id in the context (or it was taken already)
            throw ResourceCommands.rendererError(e, null);
        }
        ResourceInfo info = null;
        try {
            info = s.renderer().resourceInfo(handle);
        } catch (RendererException e) {
            LOG.log(Level.FINE, "no resource info for blob " + c.resourceId(), e);
        }
        Resource3d r = new Resource3d(c.resourceId(), handle, layoutOf(info, c.size()), c.size(),
                info == null ? 0 : Integer.toUnsignedLong(info.stride()), c.blobMem(), c.size());
        r.backing = b;
        s.add(r);
        return OK;
    }

    private static void checkCovers(Backing b, long size) {
        if (b.length() < size) {
            throw GpuError.parameter("blob of " + size + " bytes but its entries hold " + b.length());
        }
    }

    /**
     * What the device needs of the blob's layout to bound transfers and read scanouts. The guest
     * made the object in its command stream; virglrenderer tells its format and size but not its
     * target. An R8 object one row high is taken as a buffer (w texels are w bytes either way);
     * anything else as a one-level 2D texture, so transfers to other levels are refused.
     */
    static ResourceCreateArgs layoutOf(ResourceInfo info, long size) {
        if (info == null) {
            return new ResourceCreateArgs(ResourceCreateArgs.TARGET_TEXTURE_2D, 0, 0, 1, 1, 1, 1, 0, 0, 0);
        }
        if (info.virglFormat() == VIRGL_FORMAT_R8_UNORM && info.height() <= 1 && info.depth() <= 1) {
            return new ResourceCreateArgs(ResourceCreateArgs.TARGET_BUFFER, info.virglFormat(), 0,
                    info.width(), 1, 1, 1, 0, 0, 0);
        }
        return new ResourceCreateArgs(ResourceCreateArgs.TARGET_TEXTURE_2D, info.virglFormat(), 0,
                info.width(), Math.max(1, info.height()), 1, 1, 0, 0, 0);
    }

    /**
     * RESOURCE_MAP_BLOB: maps a host blob's memory (virgl_renderer_resource_map) at offset in the
     * host-visible region, copy-free. Guest blobs are the guest's own pages: it maps them itself.
     */
    GpuResponse map(GpuCommand.ResourceMapBlob c) {
        Resource r = s.resource(c.resourceId());
        if (!(r instanceof Resource3d r3) || !r3.isBlob()) {
            throw GpuError.unspec("resource " + r.id + " is not a host blob");
        }
        HostMappings mappings = s.hostVisible;
        if (mappings == null) {
            throw GpuError.unspec("no host-visible region (the hypervisor gave none)");
        }
        if (r3.mapOffset >= 0) {
            throw GpuError.unspec("resource " + r.id + " is mapped already");
        }
        long offset = c.offset();
        long length = (r3.blobSize + PAGE - 1) / PAGE * PAGE; // blobSize <= the host memory limit
        long regionSize = mappings.region.size();
        if (offset < 0 || offset % PAGE != 0 || length > regionSize - offset) {
            throw GpuError.parameter("map of " + length + " bytes at offset " + Long.toUnsignedString(offset)
                    + " outside the host-visible region of " + regionSize);
        }
        for (Resource other : s.resources.values()) {
            if (other instanceof Resource3d o && o.mapOffset >= 0 && offset < o.mapOffset + o.mapLength
                    && o.mapOffset < offset + length) {
                throw GpuError.parameter("map at " + offset + " overlaps resource " + o.id);
            }
        }
        MappedBlob m;
        try {
            m = s.renderer().mapBlob(r3.handle);
        } catch (RendererException e) { // not mappable: no MAPPABLE flag, or not a GL buffer
            throw GpuError.unspec("virglrenderer cannot map resource " + r.id + ": " + e.getMessage());
        }
        long mapped = Math.min(m.size(), length);
        if (m.address() == 0 || mapped <= 0 || !mappings.map(offset, m.address(), mapped)) {
            unmapQuietly(s, r3);
            throw GpuError.unspec("the hypervisor did not map resource " + r.id);
        }
        r3.mapOffset = offset;
        r3.mapLength = mapped;
        return new GpuResponse.OkMapInfo(m.mapInfo() & Blob.MAP_CACHE_MASK);
    }

    GpuResponse unmap(GpuCommand.ResourceUnmapBlob c) {
        Resource r = s.resource(c.resourceId());
        if (!(r instanceof Resource3d r3) || r3.mapOffset < 0) {
            throw GpuError.unspec("resource " + r.id + " is not mapped");
        }
        release(s, r3);
        return OK;
    }

    /** Before a resource goes away: the guest must lose its mapping before the memory does. */
    static void releaseMapping(DeviceState s, Resource r) {
        if (r instanceof Resource3d r3 && r3.mapOffset >= 0) {
            release(s, r3);
        }
    }

    /** Removes every mapping (device reset or close). */
    static void releaseAll(DeviceState s) {
        for (Resource r : s.resources.values()) {
            releaseMapping(s, r);
        }
    }

    private static void release(DeviceState s, Resource3d r) {
        s.hostVisible.unmap(r.mapOffset);
        r.mapOffset = -1;
        r.mapLength = 0;
        unmapQuietly(s, r);
    }

    private static void unmapQuietly(DeviceState s, Resource3d r) {
        try {
            s.renderer().unmapBlob(r.handle);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "virgl_renderer_resource_unmap of " + r.id, e);
        }
    }
}
