package io.github.virgl4j.transport.vhostuser;

import io.github.virgl4j.device.memory.MemoryRegion;
import java.util.ArrayList;
import java.util.List;

/**
 * One guest RAM region mapped from a front-end descriptor: the description QEMU sent, the
 * native mapping, and the {@link MemoryRegion} pieces (at most {@value #CHUNK} bytes each,
 * since a ByteBuffer holds less than 2 GiB) that expose it at its guest-physical addresses.
 * The descriptor is closed once mapped; the mapping lives until {@link #unmap()}.
 */
final class MappedRegion {
    /** Size of the ByteBuffer pieces a region is cut into. */
    static final int CHUNK = 1 << 30;

    final MemoryRegionDescription description;
    private final long mapAddress;
    private final long mapLength;
    private final long hostAddress;
    private final List<MemoryRegion> pieces;
    private boolean unmapped;

    private MappedRegion(MemoryRegionDescription d, long mapAddress, long mapLength, long hostAddress) {
        this.description = d;
        this.mapAddress = mapAddress;
        this.mapLength = mapLength;
        this.hostAddress = hostAddress;
        List<MemoryRegion> out = new ArrayList<>();
        for (long off = 0; off < d.size(); off += CHUNK) {
            int n = (int) Math.min(CHUNK, d.size() - off);
            out.add(new MemoryRegion(d.guestAddress() + off, Native.view(hostAddress + off, n), hostAddress + off));
        }
        this.pieces = List.copyOf(out);
    }

    /**
     * Maps {@code d} from {@code fd} (which stays open; the caller closes it).
     *
     * @throws IllegalArgumentException with the reason when the description does not fit the
     *                                  descriptor or the mapping fails
     */
    static MappedRegion map(MemoryRegionDescription d, int fd) {
        long fileSize = Native.fdSize(fd);
        if (fileSize < 0) {
            throw new IllegalArgumentException("cannot stat the region descriptor: errno " + -fileSize);
        }
        // Touching a page past the end of the file would raise SIGBUS and kill the JVM.
        if (d.mmapOffset() < 0 || d.mmapOffset() > fileSize || d.size() > fileSize - d.mmapOffset()) {
            throw new IllegalArgumentException(d + " does not fit in its " + fileSize + "-byte descriptor");
        }
        long page = Native.pageSize();
        long aligned = d.mmapOffset() & -page;
        long delta = d.mmapOffset() - aligned;
        long length = d.size() + delta;
        long addr = Native.mmap(fd, length, aligned);
        if (addr < 0) {
            throw new IllegalArgumentException("mmap of " + d + " failed: errno " + -addr);
        }
        return new MappedRegion(d, addr, length, addr + delta);
    }

    List<MemoryRegion> pieces() {
        return pieces;
    }

    long hostAddress() {
        return hostAddress;
    }

    /** Unmaps; nobody may touch the pieces afterwards. Idempotent. */
    synchronized void unmap() {
        if (!unmapped) {
            unmapped = true;
            Native.munmap(mapAddress, mapLength);
        }
    }
}
