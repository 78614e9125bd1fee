package io.github.virgl4j.stream;

import io.github.virgl4j.device.GuestRam;
import io.github.virgl4j.device.memory.GuestMemory;
import io.github.virgl4j.device.memory.RegionGuestMemory;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.MemEntry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The guest memory of a replay: each backing the stream attaches gets a fresh zeroed region of
 * its own, its scatter-gather entries laid end to end there (the recorded guest addresses mean
 * nothing on replay), so a backing offset is an offset into that region.
 */
final class ReplayMemory {
    /** Replay regions start far above any address a test guest uses. */
    private static final long BASE = 1L << 40;
    private static final long ALIGN = 4096;

    private record Region(long base, ByteBuffer buffer) {
    }

    private final RegionGuestMemory memory = new RegionGuestMemory();
    private final Map<Integer, Region> backings = new HashMap<>();
    private long next = BASE;

    GuestMemory memory() {
        return memory;
    }

    static long totalLength(List<MemEntry> entries) {
        long total = 0;
        for (MemEntry e : entries) {
            total += Integer.toUnsignedLong(e.length());
        }
        return total;
    }

    /**
     * Gives resourceId a new zeroed backing as long as entries together, and returns the same
     * entries moved into it; null when the backing is too large for one region (2 GiB).
     */
    List<MemEntry> attach(int resourceId, List<MemEntry> entries) {
        long total = totalLength(entries);
        if (total <= 0 || total > Integer.MAX_VALUE - ALIGN) {
            return null;
        }
        detach(resourceId);
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) total);
        long base = next;
        next += (total + ALIGN - 1) / ALIGN * ALIGN + ALIGN; // a gap: no entry runs into the next region
        memory.addRegion(GuestRam.region(base, buffer));
        backings.put(resourceId, new Region(base, buffer));
        List<MemEntry> moved = new ArrayList<>(entries.size());
        long at = base;
        for (MemEntry e : entries) {
            moved.add(new MemEntry(at, e.length()));
            at += Integer.toUnsignedLong(e.length());
        }
        return moved;
    }

    /**
     * The backing a command gives a resource: ATTACH_BACKING, or RESOURCE_CREATE_BLOB with
     * scatter-gather entries. {@link #with} rebuilds the command with other entries.
     */
    record Backed(GpuCommand command, int resourceId, List<MemEntry> entries) {
        static Backed of(GpuCommand c) {
            if (c instanceof GpuCommand.ResourceAttachBacking a) {
                return new Backed(c, a.resourceId(), a.entries());
            }
            if (c instanceof GpuCommand.ResourceCreateBlob b && !b.entries().isEmpty()) {
                return new Backed(c, b.resourceId(), b.entries());
            }
            return null;
        }

        GpuCommand with(List<MemEntry> moved) {
            if (command instanceof GpuCommand.ResourceAttachBacking a) {
                return new GpuCommand.ResourceAttachBacking(a.header(), a.resourceId(), moved);
            }
            GpuCommand.ResourceCreateBlob b = (GpuCommand.ResourceCreateBlob) command;
            return new GpuCommand.ResourceCreateBlob(b.header(), b.resourceId(), b.blobMem(), b.blobFlags(), b.blobId(),
                    b.size(), moved);
        }
    }

    /** Scratch memory for refused requests is not made larger than this. */
    private static final long MAX_SCRATCH = 256L << 20;
    /** An address no replay region holds: where entries that lay outside guest memory point. */
    static final long OUTSIDE = 0xffff_0000_0000_0000L;

    private Region scratch;

    /**
     * For a request that was refused when recorded: the entries that lay inside guest memory
     * then are moved into a scratch region (freed by {@link #dropScratch}), the others point
     * outside replay memory, so the device refuses the request for the same reason. Returns the
     * entries as they are when they are too large to move.
     */
    List<MemEntry> scratch(List<MemEntry> entries, boolean[] inside) {
        long total = 0;
        for (int i = 0; i < entries.size(); i++) {
            total += inside[i] ? Integer.toUnsignedLong(entries.get(i).length()) : 0;
        }
        if (total > MAX_SCRATCH) {
            return entries;
        }
        dropScratch();
        long base = next;
        next += (total + ALIGN - 1) / ALIGN * ALIGN + ALIGN;
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.max(total, 1));
        memory.addRegion(GuestRam.region(base, buffer));
        scratch = new Region(base, buffer);
        List<MemEntry> moved = new ArrayList<>(entries.size());
        long at = base;
        for (int i = 0; i < entries.size(); i++) {
            MemEntry e = entries.get(i);
            moved.add(new MemEntry(inside[i] ? at : OUTSIDE, e.length()));
            at += inside[i] ? Integer.toUnsignedLong(e.length()) : 0;
        }
        return moved;
    }

    void dropScratch() {
        if (scratch != null) {
            memory.removeRegion(scratch.base());
            scratch = null;
        }
    }

    /** The device was reset: every backing is gone. */
    void clear() {
        dropScratch();
        for (Region r : backings.values()) {
            memory.removeRegion(r.base());
        }
        backings.clear();
    }

    /** Writes recorded guest bytes into resourceId's backing; false when they do not fit it. */
    boolean write(int resourceId, long offset, byte[] bytes) {
        Region r = backings.get(resourceId);
        if (r == null || offset < 0 || offset > r.buffer().capacity() - (long) bytes.length) {
            return false;
        }
        r.buffer().put((int) offset, bytes);
        return true;
    }

    void detach(int resourceId) {
        Region r = backings.remove(resourceId);
        if (r != null) {
            memory.removeRegion(r.base());
        }
    }

    /** Bytes held by replay backings now. */
    long bytes() {
        return backings.values().stream().mapToLong(r -> r.buffer().capacity()).sum();
    }
}
