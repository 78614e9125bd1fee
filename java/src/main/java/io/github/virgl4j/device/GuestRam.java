package io.github.virgl4j.device;

import io.github.virgl4j.device.memory.MemoryRegion;
import io.github.virgl4j.device.memory.RegionGuestMemory;
import io.github.virgl4j.renderer.HostMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Guest memory allocated in this JVM (direct buffers with known native addresses, so 3D
 * resources can use it as backing): for tests, demos and hypervisors that keep guest RAM in
 * Java. A hypervisor with its own mapping builds {@link MemoryRegion}s over it instead.
 */
public final class GuestRam {
    private GuestRam() {
    }

    /** One region of size bytes at guest-physical address base. */
    public static RegionGuestMemory allocate(long base, int size) {
        return new RegionGuestMemory(region(base, ByteBuffer.allocateDirect(size)));
    }

    /**
     * A region over a direct buffer; its native address is taken from the buffer, or left unknown
     * when the native library is unavailable (a 2D-only device needs none).
     */
    public static MemoryRegion region(long base, ByteBuffer direct) {
        long host = HostMemory.isAvailable() ? HostMemory.addressOf(direct) : MemoryRegion.UNKNOWN_HOST_ADDRESS;
        return new MemoryRegion(base, direct.order(ByteOrder.LITTLE_ENDIAN), host);
    }
}
