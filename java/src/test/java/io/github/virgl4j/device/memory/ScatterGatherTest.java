package io.github.virgl4j.device.memory;

import static org.junit.jupiter.api.Assertions.*;

import io.github.virgl4j.device.protocol.MemEntry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScatterGatherTest {

    private final RegionGuestMemory mem = RegionGuestMemory.allocate(0x10000, 0x10000);

    @Test
    void validEntriesGiveTotalAndViews() {
        ScatterGather sg = ScatterGather.of(mem, List.of(new MemEntry(0x10000, 16),
                new MemEntry(0x18000, 32)), 1 << 20);
        assertEquals(48, sg.totalLength());
        List<ByteBuffer> views = sg.buffers();
        assertEquals(2, views.size());
        assertEquals(32, views.get(1).remaining());
        assertEquals(0, ScatterGather.of(mem, List.of(), 0).totalLength());
    }

    @Test
    void oneBadEntryRejectsTheWholeList() {
        List<MemEntry> entries = List.of(new MemEntry(0x10000, 16), new MemEntry(0x1fff0, 17));
        GuestMemoryException e = assertThrows(GuestMemoryException.class,
                () -> ScatterGather.of(mem, entries, Long.MAX_VALUE));
        assertTrue(e.getMessage().startsWith("entry 1 "), e.getMessage());
        assertThrows(GuestMemoryException.class, () -> ScatterGather.of(mem,
                List.of(new MemEntry(-8L, 16)), Long.MAX_VALUE));
        assertThrows(GuestMemoryException.class, () -> ScatterGather.of(mem,
                List.of(new MemEntry(0x10000, 0xffff_ffff)), Long.MAX_VALUE));
    }

    @Test
    void zeroLengthEntriesAreRejected() {
        assertThrows(GuestMemoryException.class,
                () -> ScatterGather.of(mem, List.of(new MemEntry(0x10000, 0)), 100));
    }

    @Test
    void entryCountAndTotalAreCapped() {
        List<MemEntry> many = new ArrayList<>(Collections.nCopies(16385, new MemEntry(0x10000, 1)));
        assertThrows(GuestMemoryException.class, () -> ScatterGather.of(mem, many, Long.MAX_VALUE));
        many.remove(0);
        assertEquals(16384, ScatterGather.of(mem, many, Long.MAX_VALUE).totalLength());
        assertThrows(GuestMemoryException.class, () -> ScatterGather.of(mem,
                List.of(new MemEntry(0x10000, 64), new MemEntry(0x11000, 64)), 127));
    }

    @Test
    void copyHonoursOffsetsAcrossEntries() {
        // Entry A: 4 bytes at 0x10100, entry B: 6 bytes at 0x10200; list bytes 0..9.
        ScatterGather sg = ScatterGather.of(mem, List.of(new MemEntry(0x10100, 4),
                new MemEntry(0x10200, 6)), 1024);
        ByteBuffer src = ByteBuffer.wrap(new byte[] {10, 11, 12, 13, 14});
        assertEquals(5, sg.copyTo(2, src));
        assertEquals(5, src.position());
        assertEquals(10, mem.slice(0x10102, 1).get(0));
        assertEquals(11, mem.slice(0x10103, 1).get(0));
        assertEquals(12, mem.slice(0x10200, 1).get(0));
        assertEquals(14, mem.slice(0x10202, 1).get(0));

        ByteBuffer dst = ByteBuffer.allocate(100);
        assertEquals(7, sg.copyFrom(3, dst));
        assertArrayEquals(new byte[] {11, 12, 13, 14, 0, 0, 0},
                java.util.Arrays.copyOf(dst.array(), 7));
        assertEquals(0, sg.copyFrom(10, ByteBuffer.allocate(4)));
        assertEquals(0, sg.copyFrom(-1L, ByteBuffer.allocate(4)), "offset is unsigned");
        ByteBuffer small = ByteBuffer.allocate(3);
        assertEquals(3, sg.copyFrom(0, small));
        assertFalse(small.hasRemaining());
    }
}
