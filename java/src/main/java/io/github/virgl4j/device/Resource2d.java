package io.github.virgl4j.device;

import io.github.virgl4j.device.protocol.Rect;
import io.github.virgl4j.device.protocol.VirtioGpuFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A 2D resource kept in Java (virtio spec 5.7.6.8, RESOURCE_CREATE_2D): the host copy of the
 * pixels that TRANSFER_TO_HOST_2D fills from the guest backing, in the guest's format, so a 2D
 * console works with or without virglrenderer.
 */
final class Resource2d extends Resource {
    final VirtioGpuFormat format;
    final int width;
    final int height;
    final byte[] pixels;

    Resource2d(int id, VirtioGpuFormat format, int width, int height) {
        super(id, (long) width * height * VirtioGpuFormat.BYTES_PER_PIXEL);
        this.format = format;
        this.width = width;
        this.height = height;
        this.pixels = new byte[Math.toIntExact(hostBytes)];
    }

    @Override
    int width() {
        return width;
    }

    @Override
    int height() {
        return height;
    }

    int stride() {
        return width * VirtioGpuFormat.BYTES_PER_PIXEL;
    }

    /**
     * TRANSFER_TO_HOST_2D: row r of rect comes from backing offset {@code offset + r * stride}
     * (the guest's offset already points at the rect's first pixel), as QEMU and crosvm read it.
     * Returns the bytes copied; throws when the backing is too short.
     */
    long transferFromBacking(Rect r, long offset, DeviceState state) {
        int bpp = VirtioGpuFormat.BYTES_PER_PIXEL;
        int stride = stride();
        int rowBytes = r.w() * bpp;
        if (state.tap != null && r.h() > 0) {
            // Recording: read the span once, so the tap sees exactly the bytes the host copy got
            // (a live guest may be writing the same memory while we read it).
            byte[] span = new byte[Math.toIntExact((long) (r.h() - 1) * stride + rowBytes)];
            if (!backing.read(offset, span, 0, span.length)) {
                throw GpuError.parameter("transfer reads past the end of the backing");
            }
            for (int row = 0; row < r.h(); row++) {
                System.arraycopy(span, row * stride, pixels, (r.y() + row) * stride + r.x() * bpp, rowBytes);
            }
            state.tap.backingRead(id, offset, ByteBuffer.wrap(span));
            return (long) rowBytes * r.h();
        }
        for (int row = 0; row < r.h(); row++) {
            long src = offset + (long) row * stride;
            int dst = (r.y() + row) * stride + r.x() * bpp;
            if (!backing.read(src, pixels, dst, rowBytes)) {
                throw GpuError.parameter("transfer reads past the end of the backing");
            }
        }
        return (long) rowBytes * r.h();
    }

    /** The rect of this resource as ARGB pixels. */
    int[] argb(Rect r) {
        int[] out = new int[r.w() * r.h()];
        ByteBuffer px = ByteBuffer.wrap(pixels).order(ByteOrder.LITTLE_ENDIAN);
        for (int y = 0; y < r.h(); y++) {
            int base = (r.y() + y) * stride() + r.x() * 4;
            for (int x = 0; x < r.w(); x++) {
                out[y * r.w() + x] = format.toArgb(px.getInt(base + x * 4));
            }
        }
        return out;
    }
}
