package io.github.virgl4j.device.protocol;

/**
 * {@code struct virtio_gpu_mem_entry}: 16 bytes, addr u64, length u32, padding u32. One piece of
 * guest memory backing a resource.
 *
 * @param addr   guest physical address (unsigned 64-bit)
 * @param length byte count (unsigned 32-bit, raw bits; see {@link #lengthLong()})
 */
public record MemEntry(long addr, int length) {
    /** Wire size. */
    public static final int SIZE = 16;

    /** The length as an unsigned value, 0..2^32-1. */
    public long lengthLong() {
        return Integer.toUnsignedLong(length);
    }
}
