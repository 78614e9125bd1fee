package io.github.virgl4j.device;

import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.Rect;
import io.github.virgl4j.device.protocol.VirtioGpuFormat;
import io.github.virgl4j.renderer.Box;
import io.github.virgl4j.renderer.RendererException;
import io.github.virgl4j.renderer.ResourceCreateArgs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * SET_SCANOUT_BLOB (virtio spec 5.7.6.8) and the pixels of blob scanouts: a GUEST blob is read
 * from the guest's pages at every frame (no host copy, so TRANSFER_TO_HOST_2D has nothing to do);
 * a host blob through the renderer, as a linear buffer or as the texture it is.
 */
final class BlobScanout {
    private static final int BPP = VirtioGpuFormat.BYTES_PER_PIXEL;
    private static final int MAX_SIZE = 16384;
    /** Cursor images are 64×64 B8G8R8A8 (Linux: DRM_FORMAT_ARGB8888), from the blob's first byte. */
    private static final BlobFramebuffer CURSOR = new BlobFramebuffer(VirtioGpuFormat.B8G8R8A8_UNORM,
            CursorState.SIZE, CursorState.SIZE, CursorState.SIZE * BPP, 0);

    private BlobScanout() {
    }

    static boolean isBlob(Resource r) {
        return r instanceof ResourceBlob || r instanceof Resource3d r3 && r3.isBlob();
    }

    /**
     * Sets or (resource 0) disables the scanout; true when it now shows a blob. Every check is
     * made in 64-bit arithmetic on the unsigned wire values before anything changes.
     */
    static boolean set(DeviceState s, GpuCommand.SetScanoutBlob c) {
        DeviceState.Scanout out = s.scanout(c.scanoutId());
        if (c.resourceId() == 0) {
            out.resourceId = 0;
            out.blob = null;
            s.display.onScanoutDisabled(c.scanoutId());
            return false;
        }
        Resource r = s.resource(c.resourceId());
        if (!isBlob(r)) {
            throw GpuError.parameter("resource " + r.id + " is not a blob; use SET_SCANOUT");
        }
        VirtioGpuFormat format = VirtioGpuFormat.fromCode(c.format());
        if (format == null) {
            throw GpuError.parameter("unknown scanout format " + Integer.toUnsignedString(c.format()));
        }
        if (c.width() <= 0 || c.height() <= 0 || c.width() > MAX_SIZE || c.height() > MAX_SIZE) {
            throw GpuError.parameter("scanout blob size " + Integer.toUnsignedString(c.width()) + "x"
                    + Integer.toUnsignedString(c.height()));
        }
        Rect rect = c.rect();
        if (rect.w() <= 0 || rect.h() <= 0 || !DeviceState.inside(rect, c.width(), c.height())) {
            throw GpuError.parameter("scanout rect outside the " + c.width() + "x" + c.height() + " framebuffer");
        }
        long stride = Integer.toUnsignedLong(c.strides().get(0));
        long offset = Integer.toUnsignedLong(c.offsets().get(0));
        if (stride < (long) c.width() * BPP) {
            throw GpuError.parameter("stride " + stride + " shorter than a row of " + c.width() + " pixels");
        }
        BlobFramebuffer fb = new BlobFramebuffer(format, c.width(), c.height(), stride, offset);
        long size = blobSize(r);
        if (fb.end() > size) { // < 2^32 + 2^14 * 2^32: no overflow
            throw GpuError.parameter("framebuffer ends at byte " + fb.end() + " of a " + size + "-byte blob");
        }
        if (r instanceof ResourceBlob && (r.backing == null || r.backing.length() < fb.end())) {
            throw GpuError.unspec("blob " + r.id + " has no backing that holds the framebuffer");
        }
        if (r instanceof Resource3d r3) {
            if (r3.args.target() == ResourceCreateArgs.TARGET_BUFFER && fb.end() > Integer.MAX_VALUE) {
                throw GpuError.parameter("framebuffer past 2 GiB of a renderer buffer");
            }
            if (r3.args.target() != ResourceCreateArgs.TARGET_BUFFER
                    && !DeviceState.inside(rect, r3.args.width(), r3.args.height())) {
                throw GpuError.parameter("scanout rect outside the " + r3.args.width() + "x" + r3.args.height()
                        + " texture of blob " + r.id);
            }
        }
        out.resourceId = r.id;
        out.rect = rect;
        out.blob = fb;
        return true;
    }

    static long blobSize(Resource r) {
        return r instanceof ResourceBlob b ? b.size : ((Resource3d) r).blobSize;
    }

    /** The rect of a blob scanout as ARGB, read where the blob's bytes are. */
    static int[] pixels(DeviceState s, Resource r, BlobFramebuffer fb, Rect rect) {
        if (r instanceof Resource3d r3 && r3.args.target() != ResourceCreateArgs.TARGET_BUFFER) {
            return DisplayCommands.readTexture(s, r3, fb.format(), rect);
        }
        int[] out = new int[rect.w() * rect.h()];
        byte[] row = new byte[rect.w() * BPP];
        ByteBuffer le = ByteBuffer.wrap(row).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer direct = r instanceof Resource3d ? ByteBuffer.allocateDirect(row.length) : null;
        for (int y = 0; y < rect.h(); y++) {
            long at = fb.byteAt(Integer.toUnsignedLong(rect.x()), Integer.toUnsignedLong(rect.y()) + y);
            if (r instanceof Resource3d r3) {
                readBuffer(s, r3, at, direct.clear());
                direct.get(0, row);
            } else if (r.backing == null || !r.backing.read(at, row, 0, row.length)) {
                // detached, or re-attached shorter than the blob
                throw GpuError.unspec("blob " + r.id + " backing does not hold its framebuffer");
            } else if (s.tap != null) {
                s.tap.backingRead(r.id, at, ByteBuffer.wrap(row)); // the very bytes shown: a replay shows them too
            }
            for (int x = 0; x < rect.w(); x++) {
                out[y * rect.w() + x] = fb.format().toArgb(le.getInt(x * BPP));
            }
        }
        return out;
    }

    /** A 64×64 cursor image from a blob's first 16 KiB. */
    static int[] cursor(DeviceState s, Resource r) {
        if (blobSize(r) < CURSOR.end()) {
            throw GpuError.parameter("cursor blob " + r.id + " is smaller than 64x64 pixels");
        }
        return pixels(s, r, CURSOR, new Rect(0, 0, CursorState.SIZE, CursorState.SIZE));
    }

    private static void readBuffer(DeviceState s, Resource3d r, long at, ByteBuffer dst) {
        try {
            s.renderer().read(r.handle, 0, 0, 0, Box.of2d((int) at, 0, dst.remaining(), 1), dst);
        } catch (RendererException e) {
            throw ResourceCommands.rendererError(e, null);
        }
    }
}
