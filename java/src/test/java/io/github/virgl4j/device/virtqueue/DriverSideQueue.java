package io.github.virgl4j.device.virtqueue;

import io.github.virgl4j.device.memory.RegionGuestMemory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper playing the guest driver of a split virtqueue: lays the rings out in a
 * {@link RegionGuestMemory}, writes descriptors (direct or indirect), publishes heads with a
 * release store like a real driver, and reads used entries. Raw setters let tests corrupt the
 * queue on purpose.
 */
public final class DriverSideQueue {

    static final long BASE = 0x4_0000L;
    private static final VarHandle U16 =
            MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    final RegionGuestMemory mem;
    final int size;
    public final long descAddr;
    final long availAddr;
    final long usedAddr;
    private long nextData;
    private int nextDesc;
    private int availIdx;

    /** A published chain: its head and where its writable buffers are. */
    public record Chain(int head, List<Long> writableAddrs) {
    }

    final long end;

    DriverSideQueue(int size) {
        this(size, 1 << 20);
    }

    DriverSideQueue(int size, int memoryBytes) {
        this(RegionGuestMemory.allocate(BASE, memoryBytes), BASE, size, memoryBytes);
    }

    /** A queue laid out at base in memory the caller made (e.g. with known host addresses). */
    public DriverSideQueue(RegionGuestMemory memory, long base, int size, int memoryBytes) {
        this.size = size;
        this.mem = memory;
        this.end = base + memoryBytes;
        this.descAddr = base;
        this.availAddr = descAddr + 16L * size;
        this.usedAddr = align(availAddr + 6 + 2L * size, 4096);
        this.nextData = align(usedAddr + 6 + 8L * size, 4096);
    }

    private static long align(long v, long a) {
        return (v + a - 1) & -a;
    }

    public SplitVirtqueue device() throws VirtqueueException {
        return new SplitVirtqueue(mem, size, descAddr, availAddr, usedAddr);
    }

    public long alloc(int len) {
        long addr = nextData;
        nextData = align(nextData + Math.max(len, 1), 16);
        return addr;
    }

    public long putData(byte[] data) {
        long addr = alloc(data.length);
        mem.write(addr, data, 0, data.length);
        return addr;
    }

    public void writeDesc(long tableAddr, int i, long addr, int len, int flags, int next) {
        ByteBuffer d = mem.slice(tableAddr + 16L * i, 16);
        d.putLong(0, addr).putInt(8, len).putShort(12, (short) flags).putShort(14, (short) next);
    }

    /** Adds a direct chain: readable buffers with the given contents, then writable ones. */
    public Chain addChain(List<byte[]> readable, int... writableSizes) {
        int n = readable.size() + writableSizes.length;
        int head = nextDesc;
        List<Long> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int i = (head + k) % size;
            int next = (head + k + 1) % size;
            int flags = k < n - 1 ? SplitVirtqueue.DESC_F_NEXT : 0;
            if (k < readable.size()) {
                byte[] data = readable.get(k);
                writeDesc(descAddr, i, putData(data), data.length, flags, next);
            } else {
                int len = writableSizes[k - readable.size()];
                long addr = alloc(len);
                out.add(addr);
                writeDesc(descAddr, i, addr, len, flags | SplitVirtqueue.DESC_F_WRITE, next);
            }
        }
        nextDesc = (head + n) % size;
        publish(head);
        return new Chain(head, out);
    }

    /** Adds a chain as one INDIRECT descriptor pointing at a table holding the buffers. */
    public Chain addIndirectChain(List<byte[]> readable, int... writableSizes) {
        int n = readable.size() + writableSizes.length;
        long table = alloc(16 * n);
        List<Long> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int flags = k < n - 1 ? SplitVirtqueue.DESC_F_NEXT : 0;
            if (k < readable.size()) {
                byte[] data = readable.get(k);
                writeDesc(table, k, putData(data), data.length, flags, k + 1);
            } else {
                int len = writableSizes[k - readable.size()];
                long addr = alloc(len);
                out.add(addr);
                writeDesc(table, k, addr, len, flags | SplitVirtqueue.DESC_F_WRITE, k + 1);
            }
        }
        int head = nextDesc;
        writeDesc(descAddr, head, table, 16 * n, SplitVirtqueue.DESC_F_INDIRECT, 0);
        nextDesc = (head + 1) % size;
        publish(head);
        return new Chain(head, out);
    }

    /** Puts {@code head} in the avail ring and bumps avail.idx with a release store. */
    void publish(int head) {
        mem.slice(availAddr + 4 + 2L * (availIdx % size), 2).putShort(0, (short) head);
        availIdx = (availIdx + 1) & 0xffff;
        U16.setRelease(mem.slice(availAddr, 6), 2, (short) availIdx);
    }

    /** Sets avail.idx (and the driver's notion of it) directly. */
    void setAvailIdx(int idx) {
        availIdx = idx & 0xffff;
        U16.setRelease(mem.slice(availAddr, 6), 2, (short) availIdx);
    }

    /** Sets used.idx as a reconnecting backend would find it (before the device is made). */
    void setUsedIdxRaw(int idx) {
        mem.slice(usedAddr, 4).putShort(2, (short) idx);
    }

    public void setAvailFlags(int flags) {
        mem.slice(availAddr, 2).putShort(0, (short) flags);
    }

    void setUsedEvent(int idx) {
        mem.slice(availAddr + 4 + 2L * size, 2).putShort(0, (short) idx);
    }

    int availEvent() {
        return mem.slice(usedAddr + 4 + 8L * size, 2).getShort(0) & 0xffff;
    }

    public int usedIdx() {
        return (short) U16.getAcquire(mem.slice(usedAddr, 4), 2) & 0xffff;
    }

    /** Used element i (mod size): {id, len}. */
    public int[] usedElem(int i) {
        ByteBuffer e = mem.slice(usedAddr + 4 + 8L * (i % size), 8);
        return new int[] {e.getInt(0), e.getInt(4)};
    }

    public byte[] read(long addr, int len) {
        byte[] out = new byte[len];
        mem.read(addr, out, 0, len);
        return out;
    }
}
