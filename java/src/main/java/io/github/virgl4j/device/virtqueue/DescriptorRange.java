package io.github.virgl4j.device.virtqueue;

/**
 * One descriptor's buffer, already checked to lie inside guest memory.
 *
 * @param addr   guest physical address
 * @param length byte count, 0..2^32-1
 */
public record DescriptorRange(long addr, long length) {
}
