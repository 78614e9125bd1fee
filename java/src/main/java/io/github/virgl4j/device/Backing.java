package io.github.virgl4j.device;

import io.github.virgl4j.device.memory.GuestMemory;
import io.github.virgl4j.device.memory.GuestMemoryException;
import io.github.virgl4j.device.memory.ScatterGather;
import io.github.virgl4j.device.protocol.MemEntry;
import io.github.virgl4j.renderer.HostRange;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A resource's guest backing: the ATTACH_BACKING scatter-gather list, checked entry by entry
 * against guest memory before anything else sees it (all or nothing), with host ranges for
 * virglrenderer when the resource lives there.
 */
final class Backing {
    private final ScatterGather sg;
    private final List<HostRange> hostRanges;

    private Backing(ScatterGather sg, List<HostRange> hostRanges) {
        this.sg = sg;
        this.hostRanges = hostRanges;
    }

    /**
     * @param needHostAddresses the renderer will read and write it (3D), so native addresses
     *                          must be known
     * @param maxLength         the largest backing accepted
     */
    static Backing resolve(GuestMemory memory, List<MemEntry> entries, boolean needHostAddresses, long maxLength) {
        if (entries.isEmpty()) {
            throw GpuError.unspec("backing with no entries");
        }
        try {
            ScatterGather sg = ScatterGather.of(memory, entries, maxLength);
            List<HostRange> hosts = needHostAddresses
                    ? sg.hostRanges().stream().map(r -> new HostRange(r.hostAddress(), r.length())).toList()
                    : List.of();
            return new Backing(sg, hosts);
        } catch (GuestMemoryException | IllegalArgumentException e) {
            throw GpuError.unspec("bad backing: " + e.getMessage());
        }
    }

    long length() {
        return sg.totalLength();
    }

    List<HostRange> hostRanges() {
        return hostRanges;
    }

    /** Copies len bytes at backing offset into dst[dstOff..]; false if the backing is too short. */
    boolean read(long offset, byte[] dst, int dstOff, int len) {
        if (offset < 0 || len < 0 || offset > length() - len) {
            return false;
        }
        try {
            return sg.copyFrom(offset, ByteBuffer.wrap(dst, dstOff, len)) == len;
        } catch (GuestMemoryException e) {
            return false; // the region went away under us
        }
    }
}
