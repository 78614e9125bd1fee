package io.github.virgl4j.device.memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * {@link GuestMemory} over non-overlapping {@link MemoryRegion}s. Regions can be added and
 * removed while other threads read (vhost-user ADD_MEM_REG/REM_MEM_REG, vtest shm): the region
 * table is a concurrent skip list keyed by guest base (unsigned), so lookups take no lock and a
 * change costs O(log n) and a few small nodes. (It was a copy-on-write sorted array: a vtest
 * client keeps ~1100 shm resources alive in glmark2's {@code texture} scene and creates and
 * frees some every frame, so each change copied a 4.5 KiB array: ~18 KiB of garbage per frame.)
 * Removing a region does not unmap it; the owner must stop the queues that use it first.
 */
public final class RegionGuestMemory implements GuestMemory {

    private final ConcurrentSkipListMap<Long, MemoryRegion> regions =
            new ConcurrentSkipListMap<>(Long::compareUnsigned);

    /**
     * @throws IllegalArgumentException if two regions overlap
     */
    public RegionGuestMemory(MemoryRegion... initial) {
        for (MemoryRegion r : initial) {
            addRegion(r);
        }
    }

    /**
     * Memory with one freshly allocated, zeroed direct region of {@code size} bytes at
     * {@code base}; its host address is {@link MemoryRegion#UNKNOWN_HOST_ADDRESS} (this module
     * has no JNI to learn it), so {@link #hostAddress} throws for it.
     */
    public static RegionGuestMemory allocate(long base, int size) {
        return new RegionGuestMemory(new MemoryRegion(base,
                ByteBuffer.allocateDirect(size), MemoryRegion.UNKNOWN_HOST_ADDRESS));
    }

    /**
     * Adds a region. Writers are serialized (readers are not), so the overlap check and the
     * insertion are one step.
     *
     * @throws IllegalArgumentException if it overlaps an existing region
     */
    public synchronized void addRegion(MemoryRegion region) {
        // The table is free of overlaps, so only the neighbours can overlap the new region: a
        // later region it reached would mean it also covers the next one's base.
        checkNoOverlap(region, regions.floorEntry(region.guestBase()));
        checkNoOverlap(region, regions.higherEntry(region.guestBase()));
        regions.put(region.guestBase(), region);
    }

    private static void checkNoOverlap(MemoryRegion region, Map.Entry<Long, MemoryRegion> neighbour) {
        if (neighbour != null && neighbour.getValue().overlaps(region)) {
            MemoryRegion r = neighbour.getValue();
            throw new IllegalArgumentException(String.format(
                    "region 0x%x+%d overlaps 0x%x+%d", region.guestBase(), region.size(),
                    r.guestBase(), r.size()));
        }
    }

    /** Removes the region starting at {@code guestBase}; returns it, or null if none. */
    public synchronized MemoryRegion removeRegion(long guestBase) {
        return regions.remove(guestBase);
    }

    /** Snapshot of the regions, sorted by guest address. */
    public List<MemoryRegion> regions() {
        return List.copyOf(regions.values());
    }

    /** The region holding {@code addr}, or null. */
    private MemoryRegion find(long addr) {
        Map.Entry<Long, MemoryRegion> e = regions.floorEntry(addr);
        return e != null && e.getValue().containsAddress(addr) ? e.getValue() : null;
    }

    /** Region containing the whole range, or exception. */
    private MemoryRegion single(long addr, long length) {
        checkLength(length);
        MemoryRegion r = find(addr);
        if (r == null) {
            throw outside(addr, length);
        }
        long offset = addr - r.guestBase();
        if (length > r.size() - offset) {
            throw new GuestMemoryException(String.format(
                    "range 0x%x+%d is not inside one memory region", addr, length));
        }
        return r;
    }

    @Override
    public ByteBuffer slice(long guestAddr, int length) {
        MemoryRegion r = single(guestAddr, length);
        return r.buffer().slice((int) (guestAddr - r.guestBase()), length).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public long hostAddress(long guestAddr, long length) {
        MemoryRegion r = single(guestAddr, length);
        return host(r, guestAddr);
    }

    private static long host(MemoryRegion r, long guestAddr) {
        if (r.hostAddress() == MemoryRegion.UNKNOWN_HOST_ADDRESS) {
            throw new GuestMemoryException(String.format(
                    "region at 0x%x has no known host address", r.guestBase()));
        }
        return r.hostAddress() + (guestAddr - r.guestBase());
    }

    /** Part of a range that falls in one region. */
    private record Piece(MemoryRegion region, int offset, int length) {
        ByteBuffer view() {
            return region.buffer().slice(offset, length).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /**
     * Splits the range into per-region pieces, checking first that every byte is covered
     * (so callers act all-or-nothing). Zero-length pieces are dropped.
     */
    private List<Piece> pieces(long addr, long length) {
        checkLength(length);
        List<Piece> out = new ArrayList<>();
        long cur = addr;
        long remaining = length;
        do {
            MemoryRegion r = find(cur);
            if (r == null) {
                throw outside(addr, length);
            }
            long offset = cur - r.guestBase();
            long n = Math.min(remaining, r.size() - offset);
            if (n > 0) {
                out.add(new Piece(r, (int) offset, (int) n));
            }
            remaining -= n;
            if (remaining > 0 && r.lastAddress() == -1L) {
                throw outside(addr, length);  // the next byte would wrap to address 0
            }
            cur = r.lastAddress() + 1;
        } while (remaining > 0);
        return out;
    }

    @Override
    public List<ByteBuffer> gather(long guestAddr, long length) {
        List<ByteBuffer> out = new ArrayList<>();
        for (Piece p : pieces(guestAddr, length)) {
            out.add(p.view());
        }
        return out;
    }

    @Override
    public List<HostRange> hostRanges(long guestAddr, long length) {
        List<HostRange> out = new ArrayList<>();
        for (Piece p : pieces(guestAddr, length)) {
            out.add(new HostRange(host(p.region(), p.region().guestBase() + p.offset()), p.length()));
        }
        return out;
    }

    @Override
    public boolean contains(long guestAddr, long length) {
        if (length < 0) {
            return false;
        }
        try {
            pieces(guestAddr, length);
            return true;
        } catch (GuestMemoryException e) {
            return false;
        }
    }

    private static void checkLength(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
    }

    private static GuestMemoryException outside(long addr, long length) {
        return new GuestMemoryException(String.format(
                "range 0x%x+%d is outside guest memory", addr, length));
    }
}
