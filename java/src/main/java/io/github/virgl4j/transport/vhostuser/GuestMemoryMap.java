package io.github.virgl4j.transport.vhostuser;

import io.github.virgl4j.device.memory.MemoryRegion;
import io.github.virgl4j.device.memory.RegionGuestMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Guest RAM as the front end shares it: regions arrive as descriptors (SET_MEM_TABLE,
 * ADD_MEM_REG), are mapped natively and exposed through one {@link RegionGuestMemory} at their
 * guest-physical addresses; ring addresses, which QEMU gives as its own user addresses, are
 * translated through the same table.
 *
 * <p>Every description is validated first: no empty, wrapping or absurdly large ranges, no
 * overlap with another region in guest or user addresses, the range must lie inside the
 * descriptor's file. Removed regions leave the lookup table at once (new accesses fail
 * cleanly) but stay mapped, "retired", until {@link #releaseRetired()} is called when no ring
 * can still touch them.
 */
public final class GuestMemoryMap implements AutoCloseable {
    /** Largest single region accepted (1 TiB). */
    public static final long MAX_REGION = 1L << 40;

    private final int maxSlots;
    private final RegionGuestMemory memory = new RegionGuestMemory();
    private final List<MappedRegion> regions = new ArrayList<>();
    private final List<MappedRegion> retired = new ArrayList<>();

    /** @param maxSlots the number of regions reported by GET_MAX_MEM_SLOTS */
    public GuestMemoryMap(int maxSlots) {
        this.maxSlots = maxSlots;
    }

    /** The guest memory view the device reads through. */
    public RegionGuestMemory memory() {
        return memory;
    }

    public int maxSlots() {
        return maxSlots;
    }

    /** Snapshot of the current region descriptions. */
    public synchronized List<MemoryRegionDescription> regions() {
        return regions.stream().map(r -> r.description).toList();
    }

    /** Regions removed but still mapped. */
    public synchronized int retiredCount() {
        return retired.size();
    }

    /** Checks a description on its own: non-empty, bounded, no wrap-around. */
    static void checkShape(MemoryRegionDescription d) {
        if (d.size() <= 0 || d.size() > MAX_REGION) {
            throw new IllegalArgumentException(d + ": size must be 1.." + MAX_REGION);
        }
        if (Long.compareUnsigned(d.guestAddress() + d.size() - 1, d.guestAddress()) < 0) {
            throw new IllegalArgumentException(d + ": guest range wraps past 2^64");
        }
        if (Long.compareUnsigned(d.userAddress() + d.size() - 1, d.userAddress()) < 0) {
            throw new IllegalArgumentException(d + ": user range wraps past 2^64");
        }
        if (d.mmapOffset() < 0) {
            throw new IllegalArgumentException(d + ": negative mmap offset");
        }
    }

    private static boolean rangesOverlap(long a, long aSize, long b, long bSize) {
        long aLast = a + aSize - 1;
        long bLast = b + bSize - 1;
        return Long.compareUnsigned(a, bLast) <= 0 && Long.compareUnsigned(b, aLast) <= 0;
    }

    private static void checkDisjoint(MemoryRegionDescription d, List<MemoryRegionDescription> others) {
        for (MemoryRegionDescription o : others) {
            if (rangesOverlap(d.guestAddress(), d.size(), o.guestAddress(), o.size())) {
                throw new IllegalArgumentException(d + " overlaps " + o + " in guest addresses");
            }
            if (rangesOverlap(d.userAddress(), d.size(), o.userAddress(), o.size())) {
                throw new IllegalArgumentException(d + " overlaps " + o + " in user addresses");
            }
        }
    }

    /**
     * ADD_MEM_REG: validates and maps one region. The descriptor is always closed.
     *
     * @throws IllegalArgumentException with the reason; nothing changed
     */
    public synchronized void add(MemoryRegionDescription d, int fd) {
        try {
            checkShape(d);
            if (regions.size() >= maxSlots) {
                throw new IllegalArgumentException("all " + maxSlots + " memory slots are in use");
            }
            checkDisjoint(d, regions());
            install(MappedRegion.map(d, fd));
        } finally {
            Native.close(fd);
        }
    }

    private void install(MappedRegion r) {
        List<MemoryRegion> added = new ArrayList<>();
        try {
            for (MemoryRegion piece : r.pieces()) {
                memory.addRegion(piece);
                added.add(piece);
            }
        } catch (IllegalArgumentException e) {
            for (MemoryRegion piece : added) {
                memory.removeRegion(piece.guestBase());
            }
            r.unmap();
            throw e;
        }
        regions.add(r);
    }

    /**
     * SET_MEM_TABLE: replaces every region. All new regions are checked and mapped before any
     * old one goes; on failure the old table stays. The descriptors are always closed.
     */
    public synchronized void replaceAll(List<MemoryRegionDescription> table, int[] fds) {
        List<MappedRegion> mapped = new ArrayList<>();
        try {
            if (table.size() > maxSlots) {
                throw new IllegalArgumentException(table.size() + " regions, only " + maxSlots + " slots");
            }
            List<MemoryRegionDescription> seen = new ArrayList<>();
            for (int i = 0; i < table.size(); i++) {
                MemoryRegionDescription d = table.get(i);
                checkShape(d);
                checkDisjoint(d, seen);
                seen.add(d);
            }
            for (int i = 0; i < table.size(); i++) {
                mapped.add(MappedRegion.map(table.get(i), fds[i]));
            }
        } catch (RuntimeException e) {
            mapped.forEach(MappedRegion::unmap);
            throw e;
        } finally {
            for (int fd : fds) {
                Native.close(fd);
            }
        }
        for (MappedRegion old : List.copyOf(regions)) {
            retire(old);
        }
        for (MappedRegion r : mapped) {
            install(r);
        }
    }

    /**
     * REM_MEM_REG: removes the region with the same guest address, user address and size (the
     * mmap offset is ignored, as the spec says).
     *
     * @throws IllegalArgumentException when no region matches
     */
    public synchronized void remove(MemoryRegionDescription d) {
        for (MappedRegion r : regions) {
            MemoryRegionDescription x = r.description;
            if (x.guestAddress() == d.guestAddress() && x.userAddress() == d.userAddress() && x.size() == d.size()) {
                retire(r);
                return;
            }
        }
        throw new IllegalArgumentException("no region matches " + d);
    }

    private void retire(MappedRegion r) {
        for (MemoryRegion piece : r.pieces()) {
            memory.removeRegion(piece.guestBase());
        }
        regions.remove(r);
        retired.add(r);
    }

    /** Unmaps retired regions; call only when no ring or in-flight request can reach them. */
    public synchronized void releaseRetired() {
        retired.forEach(MappedRegion::unmap);
        retired.clear();
    }

    /**
     * Translates a front-end user address to a guest-physical address, when
     * {@code [userAddress, userAddress+length)} lies in one region.
     */
    public synchronized OptionalLong userToGuest(long userAddress, long length) {
        if (length < 0) {
            return OptionalLong.empty();
        }
        for (MappedRegion r : regions) {
            MemoryRegionDescription d = r.description;
            if (d.containsUser(userAddress)) {
                long offset = userAddress - d.userAddress();
                if (Long.compareUnsigned(length, d.size() - offset) > 0) {
                    return OptionalLong.empty();
                }
                return OptionalLong.of(d.guestAddress() + offset);
            }
        }
        return OptionalLong.empty();
    }

    /** Unmaps everything (current and retired). Only when no ring runs. */
    @Override
    public synchronized void close() {
        for (MappedRegion r : List.copyOf(regions)) {
            retire(r);
        }
        releaseRetired();
    }
}
