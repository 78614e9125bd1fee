package io.github.virgl4j.fuzz;

import static io.github.virgl4j.fuzz.RingInput.*;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.virgl4j.device.QueueProcessor;
import io.github.virgl4j.device.VirtioGpu;
import io.github.virgl4j.device.memory.MemoryRegion;
import io.github.virgl4j.device.memory.RegionGuestMemory;
import io.github.virgl4j.device.virtqueue.DescriptorChain;
import io.github.virgl4j.device.virtqueue.DescriptorRange;
import io.github.virgl4j.device.virtqueue.SplitVirtqueue;
import io.github.virgl4j.device.virtqueue.VirtqueueException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target (b): the split-virtqueue walker over fuzzed guest memory (two regions with a gap):
 * ring addresses, index fields, descriptors (loops, NEXT/WRITE/INDIRECT mixes, out-of-range
 * indices and addresses) and raw data holding indirect tables and requests. Either the walker
 * pops chains whose every buffer lies in guest memory, or it throws VirtqueueException and stays
 * broken; nothing else may be thrown, the device never moves avail.idx, and it pops at most
 * the chains the driver published (never more than the queue size). Half of the inputs go
 * through {@link QueueProcessor} into a 2D-only device instead, whose responses land in the
 * fuzzed writable buffers (which may not be the rings: the queue breaks instead).
 */
class VirtqueueFuzzTest {
    static final FuzzStats STATS = new FuzzStats("virtqueue");
    private static final RegionGuestMemory MEM = new RegionGuestMemory(
            new MemoryRegion(BASE, ByteBuffer.allocateDirect(REGION), MemoryRegion.UNKNOWN_HOST_ADDRESS),
            new MemoryRegion(BASE2, ByteBuffer.allocateDirect(REGION2), MemoryRegion.UNKNOWN_HOST_ADDRESS));
    private static final byte[] ZEROS = new byte[REGION];
    private static final List<String> OUTCOMES = new ArrayList<>();
    private static VirtioGpu gpu;
    private static LogTrap log;

    @BeforeAll
    static void open() {
        gpu = VirtioGpu.builder(MEM).name("fuzz-2d").build();
        log = LogTrap.install(STATS);
    }

    @AfterAll
    static void close() {
        gpu.close();
        STATS.write();
        if (!FuzzStats.fuzzing()) {
            VirtqueueSeeds.check(OUTCOMES);
        }
    }

    @FuzzTest(maxDuration = FuzzBudget.CI)
    @Timeout(value = FuzzBudget.INPUT_TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
    void splitRing(FuzzedDataProvider data) {
        STATS.count("inputs");
        String outcome = run(RingInput.read(data));
        log.rethrowBugs();
        STATS.count("outcome." + outcome.replaceAll("[0-9]+", "N"));
        if (!FuzzStats.fuzzing()) {
            OUTCOMES.add(outcome);
        }
    }

    /** Lays the ring out as a driver would, then walks it; returns e.g. "chains=2" or "processor taken=1 broken". */
    static String run(RingInput in) {
        MEM.write(BASE, ZEROS, 0, REGION);
        MEM.write(BASE2, ZEROS, 0, REGION2);
        int size = in.size();
        long desc = in.standardLayout() ? BASE : in.desc();
        long avail = in.standardLayout() ? desc + 16L * size : in.avail();
        long used = in.standardLayout() ? (avail + 6 + 2L * size + 4095) & -4096L : in.used();
        boolean ringSize = size > 0 && size <= SplitVirtqueue.MAX_SIZE && Integer.bitCount(size) == 1;
        put16(used + 2, in.usedIdx());
        put16(avail, in.availFlags());
        int availIdx = in.availIdxLie() == HONEST ? in.lastAvailIdx() + in.heads().size() : in.availIdxLie();
        put16(avail + 2, availIdx);
        for (int k = 0; ringSize && k < in.heads().size(); k++) {
            put16(avail + 4 + 2L * ((in.lastAvailIdx() + k) & (size - 1)), in.heads().get(k));
        }
        put16(avail + 4 + 2L * size, in.usedEvent());
        for (RingInput.Desc d : in.descs()) {
            ByteBuffer b = ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.putLong(d.addr()).putInt(d.len()).putShort((short) d.flags()).putShort((short) d.next()).flip();
            if (MEM.contains(desc + 16L * d.index(), 16)) {
                MEM.write(desc + 16L * d.index(), b);
            }
        }
        MEM.write(DATA, in.data(), 0, in.data().length);

        SplitVirtqueue q;
        try {
            q = new SplitVirtqueue(MEM, size, desc, avail, used);
        } catch (VirtqueueException e) {
            return "rejected-ring";
        }
        q.setEventIdx(in.eventIdx());
        q.setLastAvailIdx(in.lastAvailIdx());
        // What the driver published; the device may write into no ring, so this stays put.
        int driverIdx = get16(avail + 2);
        int published = (driverIdx - in.lastAvailIdx()) & 0xffff;
        String outcome = in.processor() ? process(q, published) : walk(q, published);
        if (get16(avail + 2) != driverIdx) {
            throw new AssertionError("the device moved avail.idx from " + driverIdx + " to " + get16(avail + 2));
        }
        return outcome;
    }

    private static int get16(long addr) {
        byte[] b = new byte[2];
        MEM.read(addr, b, 0, 2);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8;
    }

    private static void put16(long addr, int v) {
        if (MEM.contains(addr, 2)) {
            MEM.write(addr, new byte[] {(byte) v, (byte) (v >>> 8)}, 0, 2);
        }
    }

    private static String walk(SplitVirtqueue q, int published) {
        int chains = 0;
        try {
            while (true) {
                Optional<DescriptorChain> c = q.pop();
                if (c.isEmpty()) {
                    return "chains=" + chains;
                }
                if (++chains > Math.min(published, q.size())) {
                    throw new AssertionError("popped " + chains + " chains; the driver published " + published);
                }
                int written = check(q, c.get());
                q.pushUsed(c.get().head(), written);
                q.needsNotification();
            }
        } catch (VirtqueueException e) {
            if (!q.isBroken()) {
                throw new AssertionError("VirtqueueException, but the queue is not marked broken", e);
            }
            try {
                q.pop();
                throw new AssertionError("a broken queue popped again");
            } catch (VirtqueueException expected) {
                STATS.count("broken." + e.getMessage().replaceAll("0x[0-9a-f]+|-?[0-9]+", "N"));
                return "chains=" + chains + " broken";
            }
        }
    }

    /** Every buffer in guest memory; readAll gives exactly the readable bytes; writeAll fills what fits. */
    private static int check(SplitVirtqueue q, DescriptorChain c) {
        if (c.head() < 0 || c.head() >= q.size()) {
            throw new AssertionError("head " + c.head() + " outside the queue");
        }
        long readable = 0;
        ByteBuffer expected = ByteBuffer.allocate(1 << 16);
        for (DescriptorRange r : c.readable()) {
            if (!MEM.contains(r.addr(), r.length())) {
                throw new AssertionError("readable " + r + " outside guest memory");
            }
            readable += r.length();
            int n = (int) Math.min(r.length(), expected.remaining());
            MEM.read(r.addr(), expected.slice().limit(n));
            expected.position(expected.position() + n);
        }
        long writable = 0;
        for (DescriptorRange r : c.writable()) {
            if (!MEM.contains(r.addr(), r.length())) {
                throw new AssertionError("writable " + r + " outside guest memory");
            }
            writable += r.length();
        }
        if (readable != c.readableLength() || writable != c.writableLength()) {
            throw new AssertionError("chain lengths do not add up: " + c);
        }
        ByteBuffer all = c.readAll(1 << 16);
        if (!all.equals(expected.flip())) {
            throw new AssertionError("readAll gave other bytes than the readable buffers hold: " + c);
        }
        byte[] response = new byte[24];
        Arrays.fill(response, (byte) 0xab);
        int written = c.writeAll(ByteBuffer.wrap(response));
        if (written != Math.min(24, writable)) {
            throw new AssertionError("writeAll wrote " + written + " of " + writable + " writable bytes");
        }
        STATS.count(c.readable().size() + c.writable().size() > 1 ? "chains.multi" : "chains.single");
        return written;
    }

    private static String process(SplitVirtqueue q, int published) {
        gpu.reset();
        int[] interrupts = {0};
        QueueProcessor p = new QueueProcessor(gpu, q, () -> interrupts[0]++);
        int before = q.usedIdx();
        int taken = p.process();
        if (!p.isBroken() && ((q.usedIdx() - before) & 0xffff) != taken) {
            throw new AssertionError(taken + " chains taken but used.idx moved by " + (q.usedIdx() - before));
        }
        // Responses are written: a second round must find nothing new (none landed in the rings).
        int again = p.process();
        if (taken + again > Math.min(published, q.size()) || p.hasPending()) {
            throw new AssertionError("rounds took " + taken + " + " + again + " chains; the driver published "
                    + published + (p.hasPending() ? ", and more are pending" : ""));
        }
        STATS.add("processor.taken", taken);
        return "processor taken=" + taken + (p.isBroken() ? " broken" : "");
    }
}
