package io.github.virgl4j.fuzz;

import io.github.virgl4j.transport.vhostuser.MemoryRegionDescription;
import io.github.virgl4j.transport.vhostuser.VhostUserHeader;
import io.github.virgl4j.transport.vhostuser.VhostUserMessage;
import io.github.virgl4j.transport.vhostuser.VhostUserMessage.*;
import io.github.virgl4j.transport.vhostuser.VhostUserRequest;
import io.github.virgl4j.transport.vhostuser.VringAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seeds of {@link VhostUserFuzzTest}: the messages QEMU's vhost-user-gpu front end sends to
 * start, size, run and stop a device (as VhostUserSessionTest and VhostUserHostileTest replay
 * them: feature and protocol-feature negotiation, the display socket, config space, a two-region
 * memory table, ring set-up with kick/call/err descriptors or the no-fd bit, memory slots) and
 * the malformed ones VhostUserDecoderTest rejects, each with the outcome it must have.
 */
final class VhostUserSeeds {
    private VhostUserSeeds() {
    }

    /** Version 1, as QEMU sends; NEED_REPLY once REPLY_ACK is negotiated. */
    private static final int V1 = VhostUserHeader.VERSION;
    private static final int ACK = V1 | VhostUserHeader.FLAG_NEED_REPLY;
    private static final long GUEST = 0x20_0000L;
    private static final long USER = 0x7f55_0000_0000L;

    record Seed(int shape, int fds, int flags, VhostUserRequest request, byte[] payload, String outcome)
            implements SeedOutcomes.Case {
        @Override
        public byte[] input() {
            ByteBuffer h = ByteBuffer.allocate(VhostUserHeader.SIZE).order(ByteOrder.nativeOrder());
            h.putInt(request.code()).putInt(flags).putInt(payload.length);
            return new FdpWriter().bytes(h.array()).bytes(payload)
                    .intInRange(shape, 0, DecoderFuzzTest.SHAPES - 1).intInRange(fds, 0, VhostUserFuzzTest.MAX_FDS)
                    .bool(true).toByteArray();
        }
    }

    static Map<String, Seed> all() {
        MemoryRegionDescription low = new MemoryRegionDescription(0, 0xa_0000, USER, 0);
        MemoryRegionDescription high = new MemoryRegionDescription(GUEST, 0x3fe0_0000L, USER + GUEST, GUEST);
        List<Object[]> session = List.of(
                new Object[] {V1, 0, new GetFeatures()},
                new Object[] {V1, 0, new GetProtocolFeatures()},
                new Object[] {V1, 0, new SetProtocolFeatures(0x8b)},
                new Object[] {V1, 0, new GetQueueNum()},
                new Object[] {V1, 0, new GetMaxMemSlots()},
                new Object[] {ACK, 0, new SetOwner()},
                new Object[] {ACK, 1, new SetBackendReqFd(0)},
                new Object[] {ACK, 1, new GpuSetSocket(0)},
                new Object[] {V1, 0, new GetConfig(0, 24, 0)},
                new Object[] {ACK, 0, new SetConfig(4, 0, new byte[] {1, 0, 0, 0})},
                new Object[] {ACK, 0, new SetFeatures(0x1_3000_0003L)},
                new Object[] {ACK, 2, new SetMemTable(List.of(low, high), new int[2])},
                new Object[] {ACK, 0, new SetVringNum(0, 256)},
                new Object[] {ACK, 0, new SetVringBase(0, 0)},
                new Object[] {ACK, 0, new SetVringAddr(new VringAddress(0, 0, USER + GUEST + 0x10000,
                        USER + GUEST + 0x12000, USER + GUEST + 0x11000, 0))},
                new Object[] {ACK, 1, new SetVringFd(VhostUserRequest.SET_VRING_KICK, 0, 0)},
                new Object[] {ACK, 1, new SetVringFd(VhostUserRequest.SET_VRING_CALL, 1, 0)},
                new Object[] {ACK, 0, new SetVringFd(VhostUserRequest.SET_VRING_ERR, 0, -1)},
                new Object[] {ACK, 0, new SetVringEnable(0, true)},
                new Object[] {V1, 0, new GetVringBase(0)},
                new Object[] {ACK, 1, new AddMemReg(high, 0)},
                new Object[] {ACK, 0, new RemMemReg(high)},
                new Object[] {ACK, 0, new ResetDevice()},
                new Object[] {V1, 0, new ResetOwner()});
        Map<String, Seed> m = new LinkedHashMap<>();
        int n = 0;
        for (Object[] s : session) {
            VhostUserMessage msg = (VhostUserMessage) s[2];
            m.put("qemu-" + n + "-" + msg.request(), new Seed(n++ % DecoderFuzzTest.SHAPES, (int) s[1], (int) s[0],
                    msg.request(), VhostUserFuzzTest.encode(msg), "ok " + msg.request()));
        }
        byte[] u64 = new byte[8];
        m.put("reply-bit", new Seed(0, 0, V1 | VhostUserHeader.FLAG_REPLY, VhostUserRequest.GET_FEATURES, new byte[0],
                "rejected BAD_FLAGS"));
        m.put("short-vring-num", new Seed(1, 0, V1, VhostUserRequest.SET_VRING_NUM, new byte[4], "rejected BAD_SIZE"));
        m.put("mem-table-without-fds", new Seed(2, 1, ACK, VhostUserRequest.SET_MEM_TABLE,
                VhostUserFuzzTest.encode(new SetMemTable(List.of(low, high), new int[2])), "rejected MISSING_FD"));
        m.put("kick-without-fd", new Seed(3, 0, ACK, VhostUserRequest.SET_VRING_KICK, u64, "rejected MISSING_FD"));
        m.put("config-too-big", new Seed(0, 0, V1, VhostUserRequest.GET_CONFIG,
                ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).putInt(4, 0x7fff_ffff).array(),
                "rejected BAD_VALUE"));
        return m;
    }

    static Map<String, byte[]> inputs() {
        return SeedOutcomes.inputs(all());
    }

    /** Each seed's outcome must be among those Jazzer's regression run observed. */
    static void check(List<String> observed) {
        SeedOutcomes.checkCases("vhost-user", all(), observed);
    }
}
