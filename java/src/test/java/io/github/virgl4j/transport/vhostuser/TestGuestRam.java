package io.github.virgl4j.transport.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.virgl4j.device.memory.MemoryRegion;
import io.github.virgl4j.device.memory.RegionGuestMemory;

/**
 * Test helper: guest RAM as QEMU would share it — a memfd, mapped here too so the test can play
 * the guest driver in the same bytes the back end maps from the descriptor it receives.
 */
final class TestGuestRam implements AutoCloseable {
    final long guestBase;
    final long userBase;
    final int size;
    final int fd;
    final long address;
    final RegionGuestMemory memory;

    TestGuestRam(long guestBase, long userBase, int size) {
        this.guestBase = guestBase;
        this.userBase = userBase;
        this.size = size;
        this.fd = Native.memfd("test-guest-ram", size);
        assertTrue(fd >= 0, "memfd: " + fd);
        this.address = Native.mmap(fd, size, 0);
        assertTrue(address > 0, "mmap: " + address);
        this.memory = new RegionGuestMemory(new MemoryRegion(guestBase, Native.view(address, size), address));
    }

    /** QEMU's user address for a guest address. */
    long user(long guestAddr) {
        return userBase + (guestAddr - guestBase);
    }

    @Override
    public void close() {
        assertEquals(0, Native.munmap(address, size));
        Native.close(fd);
    }
}
