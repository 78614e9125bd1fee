package io.github.virgl4j.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link VirtqueueFuzzTest} lays out in guest memory for one input: the queue's size and
 * ring addresses, the index fields, the descriptors it writes and the raw bytes of the data
 * area (indirect tables, requests). {@link #read} takes it from the fuzzer, {@link #write} gives
 * the fuzzer input of a hand-made ring (seeds). Keep the two in the same order.
 */
record RingInput(boolean processor, int size, boolean standardLayout, long desc, long avail, long used,
                 int usedIdx, int lastAvailIdx, boolean eventIdx, int availFlags, int usedEvent,
                 List<Integer> heads, int availIdxLie, List<Desc> descs, byte[] data) {

    static final long BASE = 0x4_0000L;
    static final int REGION = 64 << 10;
    /** A second region after a gap, so chains can cross or miss regions. */
    static final long BASE2 = BASE + 2 * REGION;
    static final int REGION2 = 16 << 10;
    static final long DATA = BASE + 0x8000;
    static final int MAX_DATA = REGION - 0x8000;
    static final int MAX_HEADS = 8;
    static final int MAX_DESCS = 16;
    /** No lie: avail.idx = lastAvailIdx + heads. */
    static final int HONEST = -1;

    static final int[] SIZES = {4, 1, 2, 8, 16, 64, 256, 0, 3, 32768, 65536};
    static final long[] ADDR = {DATA, DATA + 16, DATA + 32, DATA + 48, DATA + 64, DATA + 0x100, DATA + 0x1000,
        BASE, BASE + REGION - 16, BASE + REGION, BASE + REGION - 1, BASE2, BASE2 + REGION2 - 8, 0, -1L, BASE + 1};
    static final int[] LEN = {16, 24, 48, 64, 0, 1, 32, 4096, 0x10000, -1};
    static final int[] FLAGS = {1, 2, 3, 0, 4, 5, 6, 7, 0xffff};
    static final int[] U16 = {0, 1, 2, 0xfffe, 0xffff};

    /** One descriptor written at index i of the ring's table. */
    record Desc(int index, long addr, int len, int flags, int next) {
    }

    static RingInput read(FuzzedDataProvider d) {
        boolean processor = d.consumeBoolean();
        int size = pick(d, SIZES);
        boolean standard = d.consumeBoolean();
        long desc = 0;
        long avail = 0;
        long used = 0;
        if (!standard) {
            desc = pick(d, ADDR);
            avail = pick(d, ADDR);
            used = pick(d, ADDR);
        }
        int usedIdx = pick(d, U16) & 0xffff;
        int lastAvail = pick(d, U16) & 0xffff;
        boolean eventIdx = d.consumeBoolean();
        int availFlags = pick(d, U16) & 0xffff;
        int usedEvent = pick(d, U16) & 0xffff;
        List<Integer> heads = new ArrayList<>();
        for (int i = d.consumeInt(0, MAX_HEADS); i > 0; i--) {
            heads.add(d.consumeInt(0, 0xffff));
        }
        int lie = d.consumeBoolean() ? d.consumeInt(0, 0xffff) : HONEST;
        List<Desc> descs = new ArrayList<>();
        for (int i = d.consumeInt(0, MAX_DESCS); i > 0; i--) {
            descs.add(new Desc(d.consumeInt(0, 0xffff), pick(d, ADDR), pick(d, LEN), pick(d, FLAGS),
                    d.consumeInt(0, 0xffff)));
        }
        byte[] data = d.consumeBytes(MAX_DATA);
        return new RingInput(processor, size, standard, desc, avail, used, usedIdx, lastAvail, eventIdx,
                availFlags, usedEvent, heads, lie, descs, data);
    }

    byte[] write() {
        FdpWriter w = new FdpWriter();
        w.bool(processor);
        pick(w, SIZES, size);
        w.bool(standardLayout);
        if (!standardLayout) {
            pick(w, ADDR, desc);
            pick(w, ADDR, avail);
            pick(w, ADDR, used);
        }
        pick(w, U16, usedIdx);
        pick(w, U16, lastAvailIdx);
        w.bool(eventIdx);
        pick(w, U16, availFlags);
        pick(w, U16, usedEvent);
        w.intInRange(heads.size(), 0, MAX_HEADS);
        heads.forEach(h -> w.intInRange(h, 0, 0xffff));
        w.bool(availIdxLie != HONEST);
        if (availIdxLie != HONEST) {
            w.intInRange(availIdxLie, 0, 0xffff);
        }
        w.intInRange(descs.size(), 0, MAX_DESCS);
        for (Desc x : descs) {
            w.intInRange(x.index, 0, 0xffff);
            pick(w, ADDR, x.addr);
            pick(w, LEN, x.len);
            pick(w, FLAGS, x.flags);
            w.intInRange(x.next, 0, 0xffff);
        }
        return w.bytes(data).toByteArray();
    }

    private static int pick(FuzzedDataProvider d, int[] kind) {
        int i = d.consumeInt(0, kind.length);
        return i < kind.length ? kind[i] : d.consumeInt();
    }

    private static long pick(FuzzedDataProvider d, long[] kind) {
        int i = d.consumeInt(0, kind.length);
        return i < kind.length ? kind[i] : d.consumeLong();
    }

    private static void pick(FdpWriter w, int[] kind, int v) {
        for (int i = 0; i < kind.length; i++) {
            if (kind[i] == v) {
                w.intInRange(i, 0, kind.length);
                return;
            }
        }
        w.intInRange(kind.length, 0, kind.length).anyInt(v);
    }

    private static void pick(FdpWriter w, long[] kind, long v) {
        for (int i = 0; i < kind.length; i++) {
            if (kind[i] == v) {
                w.intInRange(i, 0, kind.length);
                return;
            }
        }
        w.intInRange(kind.length, 0, kind.length).anyLong(v);
    }
}
