package io.github.virgl4j.device.memory;

import io.github.virgl4j.device.protocol.MemEntry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated guest scatter-gather list (resource backing from ATTACH_BACKING or
 * CREATE_BLOB). {@link #of} checks every entry before anything else happens (all or nothing).
 * Copies re-check memory, since regions may have been removed since validation.
 */
public final class ScatterGather {

    /** Most entries accepted (same limit as QEMU and the decoder). */
    public static final int MAX_ENTRIES = 16384;

    private final GuestMemory memory;
    private final List<MemEntry> entries;
    private final long totalLength;

    private ScatterGather(GuestMemory memory, List<MemEntry> entries, long totalLength) {
        this.memory = memory;
        this.entries = entries;
        this.totalLength = totalLength;
    }

    /**
     * Validates {@code entries}: at most {@value #MAX_ENTRIES}, none of length 0, each fully
     * inside guest memory (adjacent regions allowed), total at most {@code maxTotalLength}.
     * An empty list is valid (blobs without guest backing).
     *
     * @throws GuestMemoryException naming the first bad entry
     */
    public static ScatterGather of(GuestMemory memory, List<MemEntry> entries, long maxTotalLength) {
        if (entries.size() > MAX_ENTRIES) {
            throw new GuestMemoryException(entries.size() + " entries > " + MAX_ENTRIES);
        }
        List<MemEntry> copy = List.copyOf(entries);
        long total = 0;
        for (int i = 0; i < copy.size(); i++) {
            MemEntry e = copy.get(i);
            if (e.length() == 0) {
                throw new GuestMemoryException("entry " + i + " has length 0");
            }
            if (!memory.contains(e.addr(), e.lengthLong())) {
                throw new GuestMemoryException(String.format(
                        "entry %d (0x%x+%d) is outside guest memory", i, e.addr(), e.lengthLong()));
            }
            total += e.lengthLong();  // <= 16384 * 2^32, cannot overflow
            if (total > maxTotalLength) {
                throw new GuestMemoryException("backing larger than " + maxTotalLength + " bytes");
            }
        }
        return new ScatterGather(memory, copy, total);
    }

    /** The entries, as validated. */
    public List<MemEntry> entries() {
        return entries;
    }

    /** Sum of the entry lengths. */
    public long totalLength() {
        return totalLength;
    }

    /**
     * Native ranges for every entry, in order (an entry crossing regions gives several), for
     * iovec-style native APIs.
     *
     * @throws GuestMemoryException if memory went away or a region's host address is unknown
     */
    public List<HostRange> hostRanges() {
        List<HostRange> out = new ArrayList<>();
        for (MemEntry e : entries) {
            out.addAll(memory.hostRanges(e.addr(), e.lengthLong()));
        }
        return out;
    }

    /** Buffer views over every entry, in order. */
    public List<ByteBuffer> buffers() {
        List<ByteBuffer> out = new ArrayList<>();
        for (MemEntry e : entries) {
            out.addAll(memory.gather(e.addr(), e.lengthLong()));
        }
        return out;
    }

    /**
     * Copies guest bytes starting {@code offset} bytes into the list (across entries) into
     * {@code dst}, as many as fit or remain.
     *
     * @param offset unsigned byte offset into the list; at or past the end copies nothing
     * @return bytes copied ({@code dst}'s position advanced by as much)
     */
    public int copyFrom(long offset, ByteBuffer dst) {
        return transfer(offset, dst, false);
    }

    /**
     * Copies {@code src}'s remaining bytes (as many as fit) into the list starting {@code offset}
     * bytes in, across entries.
     *
     * @return bytes copied ({@code src}'s position advanced by as much)
     */
    public int copyTo(long offset, ByteBuffer src) {
        return transfer(offset, src, true);
    }

    private int transfer(long offset, ByteBuffer buf, boolean toGuest) {
        if (Long.compareUnsigned(offset, totalLength) >= 0) {
            return 0;
        }
        long skip = offset;
        int done = 0;
        for (MemEntry e : entries) {
            if (!buf.hasRemaining()) {
                break;
            }
            long len = e.lengthLong();
            if (skip >= len) {
                skip -= len;
                continue;
            }
            int n = (int) Math.min(len - skip, buf.remaining());
            if (toGuest) {
                memory.write(e.addr() + skip, buf.slice().limit(n));
            } else {
                memory.read(e.addr() + skip, buf.slice().limit(n));
            }
            buf.position(buf.position() + n);
            done += n;
            skip = 0;
        }
        return done;
    }
}
