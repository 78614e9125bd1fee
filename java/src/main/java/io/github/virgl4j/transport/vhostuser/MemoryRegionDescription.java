package io.github.virgl4j.transport.vhostuser;

import java.nio.ByteBuffer;

/**
 * One region of a memory table (vhost-user.rst, "Memory regions description"): 32 bytes of
 * guest address, size, front-end user address and mmap offset, all u64.
 *
 * @param guestAddress guest physical address of the first byte
 * @param size         length in bytes
 * @param userAddress  where the front end has it mapped (vring addresses use these)
 * @param mmapOffset   offset of the first byte in the region's file descriptor
 */
public record MemoryRegionDescription(long guestAddress, long size, long userAddress, long mmapOffset) {
    /** Wire size. */
    public static final int SIZE = 32;

    static MemoryRegionDescription read(ByteBuffer b, int at) {
        return new MemoryRegionDescription(b.getLong(at), b.getLong(at + 8), b.getLong(at + 16), b.getLong(at + 24));
    }

    void write(ByteBuffer b) {
        b.putLong(guestAddress).putLong(size).putLong(userAddress).putLong(mmapOffset);
    }

    /** True when the user range [userAddress, userAddress+size) contains {@code addr} (unsigned). */
    public boolean containsUser(long addr) {
        return Long.compareUnsigned(addr, userAddress) >= 0
                && Long.compareUnsigned(addr - userAddress, size) < 0;
    }

    @Override
    public String toString() {
        return String.format("region[gpa 0x%x size 0x%x uva 0x%x offset 0x%x]", guestAddress, size, userAddress, mmapOffset);
    }
}
