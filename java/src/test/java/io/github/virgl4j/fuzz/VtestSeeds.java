package io.github.virgl4j.fuzz;

import static io.github.virgl4j.fuzz.VtestFuzzTest.NEGOTIATE;

import io.github.virgl4j.transport.vtest.VtestBox;
import io.github.virgl4j.transport.vtest.VtestCommandId;
import io.github.virgl4j.transport.vtest.VtestRequest;
import io.github.virgl4j.transport.vtest.VtestRequest.*;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seeds of {@link VtestFuzzTest}: the sessions Mesa's clients open (virgl's handshake and a
 * frame drawn with version 2 shared-memory transfers, version 0 inline transfers, a Venus-style
 * version 3 session with blobs, syncs and SUBMIT_CMD2) and the malformed streams
 * VtestDecoderTest rejects, each with the outcome it must have.
 */
final class VtestSeeds {
    private VtestSeeds() {
    }

    record Seed(int mode, boolean small, int chunk, byte[] stream, String outcome)
            implements SeedOutcomes.Case {
        @Override
        public byte[] input() {
            return new FdpWriter().bytes(stream).intInRange(mode, 0, NEGOTIATE).bool(small)
                    .intInRange(chunk, 1, VtestFuzzTest.MAX_CHUNK).toByteArray();
        }
    }

    private static final VtestBox BOX = new VtestBox(0, 0, 0, 16, 16, 1);

    static Map<String, Seed> all() {
        Map<String, Seed> m = new LinkedHashMap<>();
        m.put("mesa-virgl-v2", new Seed(NEGOTIATE, false, 4096, concat(
                frames(new CreateRenderer("glmark2"), new PingProtocolVersion(), new ResourceBusyWait(0, 0),
                        new ProtocolVersion(2), new GetCaps2(),
                        new ResourceCreate2(1, 2, 1, 0x2000a, 320, 240, 1, 1, 0, 0, 307200)),
                mesaTransferPut2(),
                frames(SubmitCmd.of(new int[] {0x10001, 42, -1}), new ResourceBusyWait(1, 1),
                        new TransferGet2(1, 0, BOX, 1024, 0), new ResourceUnref(1))),
                "requests=11 end"));
        m.put("mesa-virgl-v0-inline", new Seed(0, false, 7, frames(new CreateRenderer("glxgears"), new GetCaps(),
                new ResourceCreate(9, 2, 1, 2, 64, 1, 1, 1, 0, 0),
                new TransferPut(9, 0, 64, 0, new VtestBox(0, 0, 0, 5, 1, 1), new byte[] {1, 2, 3, 4, 5}),
                SubmitCmd.of(new int[] {0x10001, 9}), new TransferGet(9, 0, 64, 0, BOX, 64), new ResourceUnref(9)),
                "requests=7 end"));
        m.put("venus-v3", new Seed(3, false, 4096, frames(new CreateRenderer("vkcube"), new GetParam(1),
                new GetCapset(4, 0), new ContextInit(4), new ResourceCreateBlob(2, 1, 0x1000, 7),
                new SyncCreate(0x2_0000_0003L), new SubmitCmd2(List.of(
                        new Batch(1, new int[] {0xaa, 0xbb}, List.of(new SyncPoint(1, 9)), 3),
                        new Batch(0, new int[0], List.of(new SyncPoint(1, 10)), 0))),
                new SyncWait(1, 1000, List.of(new SyncPoint(1, 10))), new SyncWrite(1, -1L), new SyncRead(1),
                new SyncUnref(1)), "requests=11 end"));
        m.put("small-limits", new Seed(2, true, 1, frames(new CreateRenderer("x"),
                SubmitCmd.of(new int[1025])), "requests=1 TOO_LARGE"));
        m.put("version-too-low", new Seed(2, false, 64, frames(new CreateRenderer("x"), new GetParam(1)),
                "requests=1 NOT_IN_PROTOCOL_VERSION"));
        m.put("no-renderer", new Seed(0, false, 64, frames(new GetCaps()), "requests=0 RENDERER_NOT_CREATED"));
        m.put("truncated", new Seed(0, false, 3, concat(frames(new CreateRenderer("x")),
                VtestFrames.le(new int[] {10, 2, 1, 2, 3})), "requests=1 TRUNCATED"));
        m.put("unknown-id", new Seed(3, false, 64, concat(frames(new CreateRenderer("x")),
                VtestFrames.le(new int[] {0, 25})), "requests=1 UNKNOWN_COMMAND"));
        m.put("bad-submit2", new Seed(3, false, 64, concat(frames(new CreateRenderer("x")),
                VtestFrames.dwords(VtestCommandId.SUBMIT_CMD2, 1, 1, 13, 2, 11, 1, 3, 0, 0, 0xaa, 0xbb, 8, 9, 0)),
                "requests=1 BAD_FIELD"));
        // Regression of the first campaign: batches naming the same dwords were each copied
        // (a payload of n dwords could make the decoder copy about n*n/8).
        m.put("submit2-shared-dwords", new Seed(3, false, 64, concat(frames(new CreateRenderer("x")),
                VtestFrames.dwords(VtestCommandId.SUBMIT_CMD2, 2, 0, 17, 2, 19, 1, 0, 0, 0, 0, 17, 2, 19, 1, 0, 0, 0,
                        0xaa, 0xbb, 8, 9, 0)), "requests=1 BAD_FIELD"));
        return m;
    }

    private static byte[] frames(VtestRequest... requests) {
        List<byte[]> parts = new ArrayList<>();
        for (VtestRequest r : requests) {
            parts.add(VtestFrames.encode(r));
        }
        return VtestFrames.concat(parts.toArray(new byte[0][]));
    }

    private static byte[] concat(byte[]... parts) {
        return VtestFrames.concat(parts);
    }

    /** Mesa's TRANSFER_PUT2 counts the data (which is in the shm) in the length: 10 + 1024 / 4. */
    private static byte[] mesaTransferPut2() {
        byte[] f = VtestFrames.dwords(VtestCommandId.TRANSFER_PUT2, 1, 0, 0, 0, 0, 16, 16, 1, 1024, 0);
        System.arraycopy(VtestFrames.le(new int[] {10 + 1024 / 4}), 0, f, 0, 4);
        return f;
    }

    static Map<String, byte[]> inputs() {
        return SeedOutcomes.inputs(all());
    }

    /** Each seed's outcome must be among those Jazzer's regression run observed. */
    static void check(List<String> observed) {
        SeedOutcomes.checkCases("vtest", all(), observed);
    }
}
