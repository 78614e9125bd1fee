package io.github.virgl4j.fuzz;

import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandType;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seeds of {@link DecoderFuzzTest}: every request of {@link DeviceSeeds} and the fixture set-up
 * (all 26 command types), one file each, in the four buffer shapes in turn; plus one request
 * with fence and ring index set.
 */
final class DecoderSeeds {
    private DecoderSeeds() {
    }

    static Map<String, byte[]> inputs() {
        Map<String, List<GpuCommand>> all = new LinkedHashMap<>(DeviceSeeds.all());
        all.put("fenced-ring", List.of(new GpuCommand.CtxDestroy(new CtrlHeader(0,
                CtrlHeader.FLAG_FENCE | CtrlHeader.FLAG_INFO_RING_IDX, 0x1122334455667788L, 7, 3))));
        Map<String, byte[]> out = new LinkedHashMap<>();
        int n = 0;
        for (ByteBuffer r : DeviceFixture.setupRequests()) {
            out.put(name("setup", n, r), seed(n++, r));
        }
        for (Map.Entry<String, List<GpuCommand>> e : all.entrySet()) {
            List<ByteBuffer> requests = DeviceSeeds.encode(e.getValue());
            for (int i = 0; i < requests.size(); i++) {
                out.put(name(e.getKey(), i, requests.get(i)), seed(n++, requests.get(i)));
            }
        }
        return out;
    }

    private static String name(String seed, int i, ByteBuffer r) {
        return seed + "-" + i + "-" + GpuCommandType.name(r.getInt(0));
    }

    private static byte[] seed(int n, ByteBuffer request) {
        byte[] b = new byte[request.remaining()];
        request.duplicate().get(b);
        return new FdpWriter().bytes(b).intInRange(n % DecoderFuzzTest.SHAPES, 0, DecoderFuzzTest.SHAPES - 1)
                .toByteArray();
    }
}
