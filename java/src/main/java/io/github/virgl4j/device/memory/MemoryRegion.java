package io.github.virgl4j.device.memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * One contiguous piece of guest physical memory: guest addresses
 * {@code [guestBase, guestBase + buffer.capacity())} map to the whole buffer (its position and
 * limit are ignored). Buffers hold at most 2 GiB; split bigger memory into adjacent regions.
 *
 * @param guestBase   guest physical address of byte 0 (unsigned)
 * @param buffer      the memory, normally a direct buffer over shared/mapped memory
 * @param hostAddress native address of byte 0, or {@link #UNKNOWN_HOST_ADDRESS} when the caller
 *                    cannot tell (heap buffers, {@code allocateDirect} without JNI help); then
 *                    {@link GuestMemory#hostAddress} fails for this region
 */
public record MemoryRegion(long guestBase, ByteBuffer buffer, long hostAddress) {

    /** Marks a region whose native address is not known. */
    public static final long UNKNOWN_HOST_ADDRESS = -1;

    /**
     * Validates the region and keeps a little-endian duplicate of the buffer, so later changes
     * to the caller's position/limit/order do not matter.
     *
     * @throws IllegalArgumentException for an empty buffer, a range wrapping past 2^64, or a
     *                                  heap buffer with a host address
     */
    public MemoryRegion {
        Objects.requireNonNull(buffer, "buffer");
        if (buffer.capacity() == 0) {
            throw new IllegalArgumentException("empty region");
        }
        if (Long.compareUnsigned(guestBase + buffer.capacity() - 1, guestBase) < 0) {
            throw new IllegalArgumentException(String.format(
                    "region at 0x%x of %d bytes wraps the address space", guestBase, buffer.capacity()));
        }
        if (!buffer.isDirect() && hostAddress != UNKNOWN_HOST_ADDRESS) {
            throw new IllegalArgumentException("a heap buffer has no stable host address");
        }
        buffer = buffer.duplicate().clear().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Size in bytes. */
    public int size() {
        return buffer.capacity();
    }

    /** Guest address of the last byte (unsigned). */
    public long lastAddress() {
        return guestBase + buffer.capacity() - 1;
    }

    /** True when {@code addr} (unsigned) falls inside this region. */
    public boolean containsAddress(long addr) {
        return Long.compareUnsigned(addr, guestBase) >= 0
                && Long.compareUnsigned(addr, lastAddress()) <= 0;
    }

    /** True when the two regions share at least one address. */
    public boolean overlaps(MemoryRegion other) {
        return Long.compareUnsigned(guestBase, other.lastAddress()) <= 0
                && Long.compareUnsigned(other.guestBase, lastAddress()) <= 0;
    }
}
