package io.github.virgl4j.device;

import io.github.virgl4j.device.protocol.VirtioGpuFormat;

/**
 * How a scanout reads a blob (SET_SCANOUT_BLOB, virtio spec 5.7.6.8): a width×height picture of
 * format whose row y starts at byte {@code offset + y * stride} of the blob. Only plane 0: every
 * virtio-gpu format has one. Checked to lie inside the blob when set.
 */
record BlobFramebuffer(VirtioGpuFormat format, int width, int height, long stride, long offset) {

    /** Blob offset of pixel (x, y). */
    long byteAt(long x, long y) {
        return offset + y * stride + x * VirtioGpuFormat.BYTES_PER_PIXEL;
    }

    /** One past the last byte of the whole picture. */
    long end() {
        return byteAt(width, height - 1);
    }
}
