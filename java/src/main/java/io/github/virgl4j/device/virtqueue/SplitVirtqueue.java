package io.github.virgl4j.device.virtqueue;

import io.github.virgl4j.device.memory.GuestMemory;
import io.github.virgl4j.device.memory.GuestMemoryException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Device side of a split virtqueue (virtio spec 1.2 §2.7) in guest memory shared with the
 * driver. Everything read from the rings is untrusted: indices, lengths and addresses are
 * checked, chains are bounded, and any violation throws {@link VirtqueueException} and leaves
 * the queue {@linkplain #isBroken() broken}. The ring index fields are accessed with
 * acquire/release VarHandles, the other ring fields are published by them.
 *
 * <p>Bounded against a driver that points the device's own writes at the rings: the three ring
 * areas must not overlap, and a writable buffer overlapping any of them breaks the queue, so
 * only the driver moves avail.idx. {@link #pop()} takes only chains that the last read of
 * avail.idx published ({@link #refresh()} reads it; pop() does when those are all taken).
 *
 * <p>Not thread-safe: one thread owns a queue. The ring views stay valid only while their
 * guest memory is mapped; stop the queue before removing its region.
 */
public final class SplitVirtqueue {

    /** Largest queue size the spec allows (§2.7: power of two, at most 32768). */
    public static final int MAX_SIZE = 32768;

    static final int DESC_F_NEXT = 1;
    static final int DESC_F_WRITE = 2;
    static final int DESC_F_INDIRECT = 4;
    /** Driver flag in avail.flags: do not interrupt me (ignored with EVENT_IDX). */
    public static final int AVAIL_F_NO_INTERRUPT = 1;
    static final int DESC_SIZE = 16;

    private static final String[] RING_NAMES = {"descriptor table", "available ring", "used ring"};
    private static final VarHandle U16 =
            MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private final GuestMemory memory;
    private final int size;
    private final ByteBuffer desc;
    private final ByteBuffer avail;
    private final ByteBuffer used;
    /** Guest address and length of desc, avail and used, for the overlap checks. */
    private final long[] ringAddr;
    private final long[] ringLen;

    private int lastAvailIdx;
    /** avail.idx as of the last {@link #refresh()}: pop() takes no chain past it. */
    private int publishedIdx;
    private int usedIdx;
    private boolean eventIdx;
    private boolean signalledValid;
    private int signalledUsed;
    private boolean broken;

    /**
     * @param size       queue size: a power of two, 1..{@value #MAX_SIZE}
     * @param descTable  guest address of the descriptor table (16-byte aligned, 16*size bytes)
     * @param availRing  guest address of the available ring (2-byte aligned, 6+2*size bytes)
     * @param usedRing   guest address of the used ring (4-byte aligned, 6+8*size bytes)
     * @throws VirtqueueException if the size, an alignment or an area is invalid; each area
     *                            must lie inside one memory region
     */
    public SplitVirtqueue(GuestMemory memory, int size, long descTable, long availRing, long usedRing)
            throws VirtqueueException {
        if (size < 1 || size > MAX_SIZE || Integer.bitCount(size) != 1) {
            throw new VirtqueueException("queue size " + size + " is not a power of two <= 32768");
        }
        this.memory = memory;
        this.size = size;
        this.desc = area("descriptor table", descTable, 16, DESC_SIZE * size);
        this.avail = area("available ring", availRing, 2, 6 + 2 * size);
        this.used = area("used ring", usedRing, 4, 6 + 8 * size);
        this.ringAddr = new long[] {descTable, availRing, usedRing};
        this.ringLen = new long[] {DESC_SIZE * size, 6 + 2 * size, 6 + 8 * size};
        for (int i = 0; i < 3; i++) {
            for (int j = i + 1; j < 3; j++) {
                if (overlaps(ringAddr[i], ringLen[i], ringAddr[j], ringLen[j])) {
                    throw new VirtqueueException(RING_NAMES[i] + " overlaps the " + RING_NAMES[j]);
                }
            }
        }
        this.usedIdx = (short) U16.getAcquire(used, 2) & 0xffff;
    }

    private ByteBuffer area(String what, long addr, int align, int length) throws VirtqueueException {
        if ((addr & (align - 1)) != 0) {
            throw new VirtqueueException(String.format("%s at 0x%x is not %d-byte aligned", what, addr, align));
        }
        ByteBuffer b;
        try {
            b = memory.slice(addr, length);
        } catch (GuestMemoryException e) {
            throw new VirtqueueException(what + " is not inside guest memory", e);
        }
        // VarHandle acquire/release needs the host address aligned as well.
        if (b.alignmentOffset(0, align) != 0) {
            throw new VirtqueueException(what + " is misaligned in host memory");
        }
        return b;
    }

    /** Queue size. */
    public int size() {
        return size;
    }

    /** True after a {@link VirtqueueException}; every later {@link #pop()} fails too. */
    public boolean isBroken() {
        return broken;
    }

    /**
     * Starts a pop round: reads avail.idx (acquire) and returns how many chains the driver has
     * published past the last one taken, at most the queue size (§2.7.6).
     *
     * @throws VirtqueueException if avail.idx moved by more than the queue size; the queue is
     *                            then broken
     */
    public int refresh() throws VirtqueueException {
        if (broken) {
            throw new VirtqueueException("queue is broken; reset required");
        }
        int availIdx = (short) U16.getAcquire(avail, 2) & 0xffff;
        int pending = (availIdx - lastAvailIdx) & 0xffff;
        if (pending > size) {
            broken = true;
            throw new VirtqueueException("avail.idx moved " + pending + " past the last seen, queue size " + size);
        }
        publishedIdx = availIdx;
        return pending;
    }

    /**
     * Takes the next chain published by the last {@link #refresh()}; when those are all taken,
     * refreshes first. Empty when the driver has published nothing more.
     *
     * @throws VirtqueueException if the driver corrupted the queue; the queue is then broken
     */
    public Optional<DescriptorChain> pop() throws VirtqueueException {
        if (broken) {
            throw new VirtqueueException("queue is broken; reset required");
        }
        if (publishedIdx == lastAvailIdx && refresh() == 0) {
            return Optional.empty();
        }
        try {
            int head = avail.getShort(4 + 2 * (lastAvailIdx & (size - 1))) & 0xffff;
            DescriptorChain chain = walk(head);
            lastAvailIdx = (lastAvailIdx + 1) & 0xffff;
            if (eventIdx) {
                // avail_event (§2.7.10): kick me when the driver makes entry lastAvailIdx available.
                U16.setRelease(used, 4 + 8 * size, (short) lastAvailIdx);
            }
            return Optional.of(chain);
        } catch (VirtqueueException e) {
            broken = true;
            throw e;
        }
    }

    private DescriptorChain walk(int head) throws VirtqueueException {
        List<DescriptorRange> readable = new ArrayList<>();
        List<DescriptorRange> writable = new ArrayList<>();
        ByteBuffer table = desc;
        int tableSize = size;
        boolean indirect = false;
        int idx = head;
        int seen = 0;
        while (true) {
            if (idx >= tableSize) {
                throw new VirtqueueException("descriptor index " + idx + " >= table size " + tableSize);
            }
            if (++seen > tableSize) {
                throw new VirtqueueException("descriptor chain from head " + head + " loops");
            }
            int at = idx * DESC_SIZE;
            long addr = table.getLong(at);
            long len = Integer.toUnsignedLong(table.getInt(at + 8));
            int flags = table.getShort(at + 12) & 0xffff;
            int next = table.getShort(at + 14) & 0xffff;
            if ((flags & DESC_F_INDIRECT) != 0) {
                // §2.7.5.3.1: no NEXT with INDIRECT, no indirect inside indirect, len % 16 == 0.
                if (indirect) {
                    throw new VirtqueueException("indirect descriptor inside an indirect table");
                }
                if ((flags & DESC_F_NEXT) != 0) {
                    throw new VirtqueueException("descriptor has both INDIRECT and NEXT");
                }
                // Linux may make indirect tables longer than the ring; bound them by the spec max.
                if (len == 0 || len % DESC_SIZE != 0 || len / DESC_SIZE > MAX_SIZE) {
                    throw new VirtqueueException("bad indirect table length " + len);
                }
                try {
                    table = memory.slice(addr, (int) len);
                } catch (GuestMemoryException e) {
                    throw new VirtqueueException("indirect table outside guest memory", e);
                }
                tableSize = (int) (len / DESC_SIZE);
                indirect = true;
                idx = 0;
                seen = 0;
                continue;
            }
            if (!memory.contains(addr, len)) {
                throw new VirtqueueException(String.format("buffer 0x%x+%d outside guest memory", addr, len));
            }
            if ((flags & DESC_F_WRITE) != 0) {
                checkNotRing(addr, len);
                writable.add(new DescriptorRange(addr, len));
            } else if (!writable.isEmpty()) {
                throw new VirtqueueException("readable descriptor after a writable one");
            } else {
                readable.add(new DescriptorRange(addr, len));
            }
            if ((flags & DESC_F_NEXT) == 0) {
                return new DescriptorChain(memory, head, readable, writable);
            }
            idx = next;
        }
    }

    /** The device writes only into the used ring: a writable buffer over a ring would let it move avail.idx. */
    private void checkNotRing(long addr, long len) throws VirtqueueException {
        for (int i = 0; i < 3; i++) {
            if (overlaps(addr, len, ringAddr[i], ringLen[i])) {
                throw new VirtqueueException(String.format("writable buffer 0x%x+%d overlaps the %s", addr, len,
                        RING_NAMES[i]));
            }
        }
    }

    /** Whether [a, a+alen) and [b, b+blen) share a byte; both lie inside guest memory (no overflow). */
    private static boolean overlaps(long a, long alen, long b, long blen) {
        return alen > 0 && blen > 0 && a < b + blen && b < a + alen;
    }

    /**
     * Returns a chain to the driver (§2.7.8): writes the used element, then publishes the new
     * used.idx with release semantics.
     *
     * @param head          {@link DescriptorChain#head()}
     * @param writtenLength bytes the device wrote into the writable buffers
     */
    public void pushUsed(int head, int writtenLength) {
        if (head < 0 || head >= size) {
            throw new IllegalArgumentException("head " + head + " out of range");
        }
        int slot = usedIdx & (size - 1);
        used.putInt(4 + 8 * slot, head);
        used.putInt(8 + 8 * slot, writtenLength);
        usedIdx = (usedIdx + 1) & 0xffff;
        U16.setRelease(used, 2, (short) usedIdx);
    }

    /**
     * Whether the driver wants an interrupt for the used entries pushed since the last call
     * (§2.7.10). With EVENT_IDX: true when used.idx passed used_event; without: unless
     * {@link #AVAIL_F_NO_INTERRUPT} is set.
     */
    public boolean needsNotification() {
        // Our used.idx store must be visible before we read the driver's suppression fields.
        VarHandle.fullFence();
        if (!eventIdx) {
            int flags = (short) U16.getAcquire(avail, 0) & 0xffff;
            return (flags & AVAIL_F_NO_INTERRUPT) == 0;
        }
        int usedEvent = (short) U16.getAcquire(avail, 4 + 2 * size) & 0xffff;
        int old = signalledUsed;
        boolean valid = signalledValid;
        signalledUsed = usedIdx;
        signalledValid = true;
        if (!valid) {
            return true;
        }
        // vring_need_event: notify if usedEvent lies in [old, new).
        return ((usedIdx - usedEvent - 1) & 0xffff) < ((usedIdx - old) & 0xffff);
    }

    /** Sets whether VIRTIO_RING_F_EVENT_IDX was negotiated. */
    public void setEventIdx(boolean enabled) {
        this.eventIdx = enabled;
        this.signalledValid = false;
    }

    /** Next avail index the device will read (vhost-user GET_VRING_BASE). */
    public int lastAvailIdx() {
        return lastAvailIdx;
    }

    /** Sets the next avail index to read, 0..65535 (vhost-user SET_VRING_BASE). */
    public void setLastAvailIdx(int idx) {
        if (idx < 0 || idx > 0xffff) {
            throw new IllegalArgumentException("avail index out of u16 range: " + idx);
        }
        this.lastAvailIdx = idx;
        this.publishedIdx = idx;
    }

    /** The used.idx value the device last published (counts pushes, mod 2^16). */
    public int usedIdx() {
        return usedIdx;
    }
}
