package io.github.virgl4j.fuzz;

import static io.github.virgl4j.fuzz.RingInput.*;

import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandEncoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seeds of {@link VirtqueueFuzzTest}: rings a Linux driver lays out (direct and indirect chains,
 * event idx, wrapped indices, requests the 2D device answers) and the malformed ones
 * SplitVirtqueueTest rejects (loops, buffers past memory, nested indirect tables, avail.idx
 * racing ahead, misaligned rings, device-writable buffers over the rings), each with the
 * outcome it must have.
 */
final class VirtqueueSeeds {
    private VirtqueueSeeds() {
    }

    private static final int NEXT = 1;
    private static final int WRITE = 2;
    private static final int INDIRECT = 4;

    record Seed(RingInput ring, String outcome) implements SeedOutcomes.Case {
        @Override
        public byte[] input() {
            return ring.write();
        }
    }

    static Map<String, Seed> all() {
        byte[] requests = data();
        List<Integer> head0 = List.of(0);
        Map<String, Seed> m = new LinkedHashMap<>();
        m.put("direct-chain", new Seed(ring(true, 4, head0, List.of(
                new Desc(0, DATA, 24, NEXT, 1), new Desc(1, DATA + 0x100, 408, WRITE, 0)), requests),
                "processor taken=1"));
        m.put("indirect-chain", new Seed(ring(true, 4, head0, List.of(
                new Desc(0, DATA + 0x1000, 32, INDIRECT, 0)), requests), "processor taken=1"));
        m.put("event-idx", new Seed(new RingInput(true, 8, true, 0, 0, 0, 0, 0, true, 0, 0, List.of(0, 2), HONEST,
                List.of(new Desc(0, DATA + 0x40, 40, NEXT, 1), new Desc(1, DATA + 0x100, 24, WRITE, 0),
                        new Desc(2, DATA, 24, NEXT, 3), new Desc(3, DATA + 0x200, 408, WRITE, 0)), requests),
                "processor taken=2"));
        m.put("two-chains", new Seed(ring(false, 8, List.of(0, 2), List.of(
                new Desc(0, DATA, 16, NEXT, 1), new Desc(1, DATA + 16, 16, WRITE, 0),
                new Desc(2, DATA + 32, 48, 0, 0)), requests), "chains=2"));
        m.put("wrapped-indices", new Seed(new RingInput(false, 4, true, 0, 0, 0, 0xfffe, 0xfffe, false, 1, 0,
                List.of(0, 1), HONEST, List.of(new Desc(0, DATA, 16, 0, 0), new Desc(1, DATA + 16, 16, WRITE, 0)),
                requests), "chains=2"));
        m.put("loop", new Seed(ring(false, 4, head0, List.of(
                new Desc(0, DATA, 16, NEXT, 1), new Desc(1, DATA + 16, 16, NEXT, 0)), requests), "chains=0 broken"));
        m.put("past-memory", new Seed(ring(false, 4, head0, List.of(
                new Desc(0, BASE + REGION - 16, 32, 0, 0)), requests), "chains=0 broken"));
        m.put("nested-indirect", new Seed(ring(false, 4, head0, List.of(
                new Desc(0, DATA + 0x1040, 16, INDIRECT, 0)), requests), "chains=0 broken"));
        m.put("avail-idx-ahead", new Seed(new RingInput(false, 4, true, 0, 0, 0, 0, 0, false, 0, 0, head0, 100,
                List.of(new Desc(0, DATA, 16, 0, 0)), requests), "chains=0 broken"));
        m.put("misaligned-ring", new Seed(new RingInput(false, 4, false, BASE + 1, DATA, DATA + 0x100, 0, 0, false,
                0, 0, head0, HONEST, List.of(), requests), "rejected-ring"));
        // Regressions of the first campaign (README "Fuzzing"): with used ring = avail ring, each
        // pushUsed published the chain again (an endless loop, libFuzzer timeout); responses
        // written over avail.idx made the device pop chains the driver never published.
        List<Desc> overAvail = List.of(new Desc(0, DATA, 24, NEXT, 1), new Desc(1, BASE + 16 * 4, 24, WRITE, 0));
        m.put("used-ring-over-avail-ring", new Seed(new RingInput(true, 4, false, BASE, DATA + 16, DATA + 16, 0,
                0xffff, false, 0, 0, head0, HONEST, List.of(new Desc(0, DATA, 16, NEXT, 1),
                new Desc(1, DATA + 16, 16, WRITE, 1)), new byte[0]), "rejected-ring"));
        m.put("response-over-avail-ring", new Seed(ring(true, 4, head0, overAvail, requests), "processor taken=0 broken"));
        m.put("writable-over-avail-ring", new Seed(ring(false, 4, head0, overAvail, requests), "chains=0 broken"));
        m.put("writable-over-descriptors", new Seed(ring(false, 4, head0, List.of(new Desc(0, DATA, 24, NEXT, 1),
                new Desc(1, BASE, 16, WRITE, 0)), requests), "chains=0 broken"));
        return m;
    }

    private static RingInput ring(boolean processor, int size, List<Integer> heads, List<Desc> descs, byte[] data) {
        return new RingInput(processor, size, true, 0, 0, 0, 0, 0, false, 0, 0, heads, HONEST, descs, data);
    }

    /**
     * The data area: GET_DISPLAY_INFO at 0, RESOURCE_CREATE_2D at 0x40, an indirect table at
     * 0x1000 (that request, then a writable response buffer) and a nested indirect one at 0x1040.
     */
    private static byte[] data() {
        ByteBuffer b = ByteBuffer.allocate(0x1100).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, GpuCommandEncoder.encode(new GpuCommand.GetDisplayInfo(CtrlHeader.EMPTY)), 0, 24);
        b.put(0x40, GpuCommandEncoder.encode(new GpuCommand.ResourceCreate2d(CtrlHeader.EMPTY, 1, 1, 8, 8)), 0, 40);
        b.putLong(0x1000, DATA + 0x40).putInt(0x1008, 40).putShort(0x100c, (short) NEXT).putShort(0x100e, (short) 1);
        b.putLong(0x1010, DATA + 0x100).putInt(0x1018, 24).putShort(0x101c, (short) WRITE);
        b.putLong(0x1040, DATA + 0x1000).putInt(0x1048, 32).putShort(0x104c, (short) INDIRECT);
        return b.array();
    }

    static Map<String, byte[]> inputs() {
        return SeedOutcomes.inputs(all());
    }

    /** Each seed's outcome must be among those Jazzer's regression run observed (read back by Jazzer's FDP). */
    static void check(List<String> observed) {
        SeedOutcomes.checkCases("virtqueue", all(), observed);
    }
}
