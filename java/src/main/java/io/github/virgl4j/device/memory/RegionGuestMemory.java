package io.github.virgl4j.device.memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link GuestMemory} over non-overlapping {@link MemoryRegion}s. Regions can be added and
 * removed while other threads read (vhost-user ADD_MEM_REG/REM_MEM_REG, vtest shm): the region
 * table is an immutable sorted array replaced on change (copy-on-write), so lookups take no
 * lock. Removing a region does not unmap it; the owner must stop the queues that use it first.
 */
public final class RegionGuestMemory implements GuestMemory {

    private volatile MemoryRegion[] regions;

    /**
     * @throws IllegalArgumentException if two regions overlap
     */
    public RegionGuestMemory(MemoryRegion... initial) {
        this.regions = new MemoryRegion[0];
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
     * Adds a region.
     *
     * @throws IllegalArgumentException if it overlaps an existing region
     */
    public synchronized void addRegion(MemoryRegion region) {
        MemoryRegion[] current = regions;
        int at = insertionPoint(current, region.guestBase());
        // The table is sorted and free of overlaps, so only the neighbours can overlap the new
        // region: a later region it reached would mean it also covers the next one's base.
        for (int i = Math.max(0, at - 1); i < Math.min(current.length, at + 1); i++) {
            MemoryRegion r = current[i];
            if (r.overlaps(region)) {
                throw new IllegalArgumentException(String.format(
                        "region 0x%x+%d overlaps 0x%x+%d", region.guestBase(), region.size(),
                        r.guestBase(), r.size()));
            }
        }
        MemoryRegion[] next = new MemoryRegion[current.length + 1];
        System.arraycopy(current, 0, next, 0, at);
        next[at] = region;
        System.arraycopy(current, at, next, at + 1, current.length - at);
        regions = next;
    }

    /** Index of the first region whose base is above base (unsigned), i.e. where base goes. */
    private static int insertionPoint(MemoryRegion[] rs, long base) {
        int lo = 0;
        int hi = rs.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(rs[mid].guestBase(), base) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Removes the region starting at {@code guestBase}; returns it, or null if none. */
    public synchronized MemoryRegion removeRegion(long guestBase) {
        MemoryRegion[] current = regions;
        int i = insertionPoint(current, guestBase) - 1;
        if (i < 0 || current[i].guestBase() != guestBase) {
            return null;
        }
        MemoryRegion[] next = new MemoryRegion[current.length - 1];
        System.arraycopy(current, 0, next, 0, i);
        System.arraycopy(current, i + 1, next, i, current.length - i - 1);
        regions = next;
        return current[i];
    }

    /** Snapshot of the regions, sorted by guest address. */
    public List<MemoryRegion> regions() {
        return List.of(regions);
    }

    /** The region holding {@code addr}, or null (binary search over a snapshot). */
    private static MemoryRegion find(MemoryRegion[] rs, long addr) {
        int lo = 0;
        int hi = rs.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            MemoryRegion r = rs[mid];
            if (Long.compareUnsigned(addr, r.guestBase()) < 0) {
                hi = mid - 1;
            } else if (Long.compareUnsigned(addr, r.lastAddress()) > 0) {
                lo = mid + 1;
            } else {
                return r;
            }
        }
        return null;
    }

    /** Region containing the whole range, or exception. */
    private MemoryRegion single(long addr, long length) {
        checkLength(length);
        MemoryRegion r = find(regions, addr);
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
    private static List<Piece> pieces(MemoryRegion[] rs, long addr, long length) {
        checkLength(length);
        List<Piece> out = new ArrayList<>();
        long cur = addr;
        long remaining = length;
        do {
            MemoryRegion r = find(rs, cur);
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
        for (Piece p : pieces(regions, guestAddr, length)) {
            out.add(p.view());
        }
        return out;
    }

    @Override
    public List<HostRange> hostRanges(long guestAddr, long length) {
        List<HostRange> out = new ArrayList<>();
        for (Piece p : pieces(regions, guestAddr, length)) {
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
            pieces(regions, guestAddr, length);
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
