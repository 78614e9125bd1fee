package io.github.virgl4j.device;

import io.github.virgl4j.renderer.HostMemory;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link HostVisibleRegion} for a hypervisor that traps the guest's accesses to the region
 * (an MMIO BAR it emulates) and hands them to {@link #read} and {@link #write}. Any alignment
 * works, since nothing is mapped page-wise; bytes outside every mapping read as zero and writes
 * to them are dropped, as on an open bus. Thread-safe: an access never sees a mapping being
 * removed, so the device can free the blob after {@link #unmap}.
 */
public final class TrappedHostVisibleRegion implements HostVisibleRegion {
    private final long size;
    /** Offset to a view of the mapped host memory. */
    private final TreeMap<Long, ByteBuffer> mappings = new TreeMap<>();

    public TrappedHostVisibleRegion(long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("region size " + size);
        }
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public synchronized boolean map(long offset, long hostAddress, long length) {
        if (length <= 0 || length > Integer.MAX_VALUE || hostAddress == 0) {
            return false;
        }
        mappings.put(offset, HostMemory.view(hostAddress, (int) length));
        return true;
    }

    @Override
    public synchronized void unmap(long offset, long length) {
        mappings.remove(offset);
    }

    /** Mappings currently in place. */
    public synchronized int mappings() {
        return mappings.size();
    }

    /** A guest read of dst.remaining() bytes at offset in the region. */
    public synchronized void read(long offset, ByteBuffer dst) {
        while (dst.hasRemaining()) {
            ByteBuffer view = viewAt(offset);
            int n = view == null ? 1 : Math.min(dst.remaining(), view.remaining());
            if (view == null) {
                dst.put((byte) 0);
            } else {
                dst.put(view.limit(view.position() + n));
            }
            offset += n;
        }
    }

    /** A guest write of src's remaining bytes at offset in the region. */
    public synchronized void write(long offset, ByteBuffer src) {
        while (src.hasRemaining()) {
            ByteBuffer view = viewAt(offset);
            int n = view == null ? 1 : Math.min(src.remaining(), view.remaining());
            if (view == null) {
                src.position(src.position() + 1);
            } else {
                view.put(src.slice().limit(n));
                src.position(src.position() + n);
            }
            offset += n;
        }
    }

    /** A view positioned at offset, or null when no mapping covers it. */
    private ByteBuffer viewAt(long offset) {
        Map.Entry<Long, ByteBuffer> e = mappings.floorEntry(offset);
        if (e == null || offset - e.getKey() >= e.getValue().capacity()) {
            return null;
        }
        return e.getValue().duplicate().position((int) (offset - e.getKey()));
    }
}
