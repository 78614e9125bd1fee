package io.github.virgl4j.device.memory;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegionGuestMemoryTest {

    @Test
    void sliceIsALittleEndianViewOfTheRegion() {
        RegionGuestMemory mem = RegionGuestMemory.allocate(0x1000, 0x1000);
        mem.slice(0x1010, 4).putInt(0, 0x11223344);
        assertEquals(0x44, mem.slice(0x1010, 1).get(0));
        byte[] out = new byte[4];
        mem.read(0x1010, out, 0, 4);
        assertArrayEquals(new byte[] {0x44, 0x33, 0x22, 0x11}, out);
        assertEquals(4, mem.slice(0x1ffc, 4).capacity());
    }

    @Test
    void rangesOutsideMemoryThrowWithoutTouchingIt() {
        RegionGuestMemory mem = RegionGuestMemory.allocate(0x1000, 0x1000);
        assertThrows(GuestMemoryException.class, () -> mem.slice(0xfff, 1));
        assertThrows(GuestMemoryException.class, () -> mem.slice(0x1ffd, 4));
        assertThrows(GuestMemoryException.class, () -> mem.slice(0x2000, 0));
        assertThrows(IllegalArgumentException.class, () -> mem.slice(0x1000, -1));
        byte[] src = {1, 2, 3, 4};
        assertThrows(GuestMemoryException.class, () -> mem.write(0x1ffe, src, 0, 4));
        assertEquals(0, mem.slice(0x1ffe, 2).getShort(0), "failed write must not be partial");
        assertFalse(mem.contains(0x1fff, 2));
        assertTrue(mem.contains(0x1fff, 1));
        assertTrue(mem.contains(0x1000, 0));
        assertFalse(mem.contains(0x1000, -1));
    }

    @Test
    void hugeAndWrappingRangesAreRejectedNotOverflowed() {
        RegionGuestMemory mem = RegionGuestMemory.allocate(0x1000, 0x1000);
        assertFalse(mem.contains(0x1800, Long.MAX_VALUE));
        assertFalse(mem.contains(-1L, 2));
        assertThrows(GuestMemoryException.class, () -> mem.gather(0x1800, Long.MAX_VALUE));
        // A region ending at the top of the address space: no wrap to 0 into the other region.
        RegionGuestMemory top = new RegionGuestMemory(
                new MemoryRegion(-16L, ByteBuffer.allocateDirect(16), MemoryRegion.UNKNOWN_HOST_ADDRESS),
                new MemoryRegion(0, ByteBuffer.allocateDirect(16), MemoryRegion.UNKNOWN_HOST_ADDRESS));
        assertTrue(top.contains(-16L, 16));
        assertTrue(top.contains(-1L, 1));
        assertFalse(top.contains(-8L, 16));
        assertThrows(IllegalArgumentException.class, () -> new MemoryRegion(-8L,
                ByteBuffer.allocateDirect(16), MemoryRegion.UNKNOWN_HOST_ADDRESS));
    }

    @Test
    void overlappingRegionsAreRejected() {
        RegionGuestMemory mem = RegionGuestMemory.allocate(0x1000, 0x1000);
        assertThrows(IllegalArgumentException.class, () -> mem.addRegion(region(0x1fff, 16)));
        assertThrows(IllegalArgumentException.class, () -> mem.addRegion(region(0x800, 0x801)));
        assertThrows(IllegalArgumentException.class, () -> mem.addRegion(region(0x1100, 16)));
        mem.addRegion(region(0x2000, 16));
        mem.addRegion(region(0x800, 0x800));
        assertEquals(3, mem.regions().size());
        assertEquals(0x800, mem.regions().get(0).guestBase());
    }

    @Test
    void adjacentRegionsSliceFailsButGatherAndCopyWork() {
        RegionGuestMemory mem = RegionGuestMemory.allocate(0x1000, 0x10);
        mem.addRegion(region(0x1010, 0x10));
        assertThrows(GuestMemoryException.class, () -> mem.slice(0x100c, 8));
        List<ByteBuffer> views = mem.gather(0x100c, 8);
        assertEquals(2, views.size());
        assertEquals(4, views.get(0).remaining());
        assertEquals(4, views.get(1).remaining());
        mem.write(0x100c, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, 8);
        assertEquals(5, mem.slice(0x1010, 1).get(0));
        byte[] back = new byte[8];
        mem.read(0x100c, back, 0, 8);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, back);
        assertTrue(mem.contains(0x1000, 0x20));
        assertFalse(mem.contains(0x1000, 0x21));
    }

    @Test
    void hostAddressNeedsAKnownAddressAndOneRegion() {
        RegionGuestMemory mem = new RegionGuestMemory(
                new MemoryRegion(0x1000, ByteBuffer.allocateDirect(0x100), 0x7f00_0000_0000L),
                new MemoryRegion(0x1100, ByteBuffer.allocateDirect(0x100), 0x7e00_0000_0000L));
        assertEquals(0x7f00_0000_0010L, mem.hostAddress(0x1010, 0x10));
        assertThrows(GuestMemoryException.class, () -> mem.hostAddress(0x10f0, 0x20));
        assertEquals(List.of(new HostRange(0x7f00_0000_00f0L, 0x10), new HostRange(0x7e00_0000_0000L, 0x10)),
                mem.hostRanges(0x10f0, 0x20));
        RegionGuestMemory unknown = RegionGuestMemory.allocate(0, 64);
        assertThrows(GuestMemoryException.class, () -> unknown.hostAddress(0, 8));
        assertThrows(IllegalArgumentException.class,
                () -> new MemoryRegion(0, ByteBuffer.allocate(8), 0x1000));
    }

    @Test
    void removedRegionIsNoLongerReachable() {
        RegionGuestMemory mem = RegionGuestMemory.allocate(0x1000, 0x10);
        mem.addRegion(region(0x2000, 0x10));
        assertNotNull(mem.removeRegion(0x2000));
        assertNull(mem.removeRegion(0x2000));
        assertFalse(mem.contains(0x2000, 1));
        assertTrue(mem.contains(0x1000, 1));
    }

    /**
     * The table is kept sorted by binary insertion (one region per vtest resource is added and
     * removed per frame); against a brute-force model over random adds and removes, including
     * bases above 2^63 (unsigned order), overlaps are refused exactly when the model says so.
     */
    @Test
    void randomAddsAndRemovesMatchABruteForceModel() {
        java.util.Random rnd = new java.util.Random(42);
        RegionGuestMemory mem = new RegionGuestMemory();
        List<MemoryRegion> model = new java.util.ArrayList<>();
        ByteBuffer backing = ByteBuffer.allocateDirect(64);
        for (int step = 0; step < 4000; step++) {
            long base = (rnd.nextBoolean() ? 0x8000_0000_0000_0000L : 0) + 16L * rnd.nextInt(256);
            if (rnd.nextInt(3) == 0 && !model.isEmpty()) {
                MemoryRegion victim = model.get(rnd.nextInt(model.size()));
                long gone = rnd.nextInt(4) == 0 ? base : victim.guestBase();
                MemoryRegion expected = model.stream().filter(r -> r.guestBase() == gone).findFirst().orElse(null);
                assertSame(expected, mem.removeRegion(gone));
                model.remove(expected);
            } else {
                MemoryRegion r = new MemoryRegion(base, backing.slice(0, 16 * (1 + rnd.nextInt(4))),
                        MemoryRegion.UNKNOWN_HOST_ADDRESS);
                if (model.stream().anyMatch(r::overlaps)) {
                    assertThrows(IllegalArgumentException.class, () -> mem.addRegion(r));
                } else {
                    mem.addRegion(r);
                    model.add(r);
                }
            }
            List<MemoryRegion> sorted = new java.util.ArrayList<>(model);
            sorted.sort((a, b) -> Long.compareUnsigned(a.guestBase(), b.guestBase()));
            assertEquals(sorted, mem.regions(), "after step " + step);
        }
        assertTrue(model.size() > 10, "the walk kept a populated table");
    }

    @Test
    void regionIgnoresCallerPositionAndLimit() {
        ByteBuffer b = ByteBuffer.allocateDirect(32);
        b.position(8).limit(16);
        RegionGuestMemory mem = new RegionGuestMemory(new MemoryRegion(0, b, MemoryRegion.UNKNOWN_HOST_ADDRESS));
        assertTrue(mem.contains(0, 32));
        assertEquals(8, b.position());
    }

    static MemoryRegion region(long base, int size) {
        return new MemoryRegion(base, ByteBuffer.allocateDirect(size), MemoryRegion.UNKNOWN_HOST_ADDRESS);
    }
}
