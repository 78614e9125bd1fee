package io.github.virgl4j.transport.vtest;

import static io.github.virgl4j.transport.vtest.VtestProtocolException.Kind.*;
import static org.junit.jupiter.api.Assertions.*;

import io.github.virgl4j.transport.vtest.VtestRequest.*;
import java.util.List;
import org.junit.jupiter.api.Test;

class VtestDecoderTest {

    private static VtestRequest one(Frames f, int version) throws Exception {
        VtestDecoder d = f.decoder(version);
        assertEquals(new CreateRenderer("glxinfo"), d.next().orElseThrow());
        VtestRequest r = d.next().orElseThrow();
        assertTrue(d.next().isEmpty(), "stream fully consumed");
        return r;
    }

    private static VtestProtocolException.Kind fails(Frames f, int version) {
        VtestDecoder d = f.decoder(version);
        VtestProtocolException e = assertThrows(VtestProtocolException.class, () -> {
            while (d.next().isPresent()) {
                // keep going until the error
            }
        });
        return e.kind();
    }

    @Test
    void mesaHandshake() throws Exception {
        byte[] stream = Frames.withRenderer()
                .frame(0, 10)               // PING_PROTOCOL_VERSION
                .frame(2, 7, 0, 0)          // dummy BUSY_WAIT probe
                .frame(1, 11, 3)            // PROTOCOL_VERSION 3
                .frame(0, 9).frame(0, 1)    // GET_CAPS2 then GET_CAPS
                .build();
        VtestDecoder d = new VtestDecoder(VtestInput.of(stream));
        assertEquals(new CreateRenderer("glxinfo"), d.next().orElseThrow());
        assertEquals(new PingProtocolVersion(), d.next().orElseThrow());
        ResourceBusyWait probe = (ResourceBusyWait) d.next().orElseThrow();
        assertEquals(0, probe.handle());
        assertFalse(probe.waitFlag());
        assertEquals(new ProtocolVersion(3), d.next().orElseThrow());
        assertEquals(new GetCaps2(), d.next().orElseThrow());
        assertEquals(new GetCaps(), d.next().orElseThrow());
        assertTrue(d.next().isEmpty());
    }

    @Test
    void createRendererNameStopsAtNul() throws Exception {
        VtestDecoder d = Frames.start().frame(12, 8).bytes("glmark2\0junk".getBytes()).decoder(0);
        assertEquals(new CreateRenderer("glmark2"), d.next().orElseThrow());
        assertEquals(new CreateRenderer(""), Frames.start().frame(0, 8).decoder(0).next().orElseThrow());
    }

    @Test
    void resourceCreateAndCreate2() throws Exception {
        assertEquals(new ResourceCreate(5, 2, 67, 2, 300, 200, 1, 1, 0, 0),
                one(Frames.withRenderer().frame(10, 2, 5, 2, 67, 2, 300, 200, 1, 1, 0, 0), 0));
        assertEquals(new ResourceCreate2(0, 2, 1, 0x2000a, 320, 240, 1, 1, 0, 0, 307200),
                one(Frames.withRenderer().frame(11, 12, 0, 2, 1, 0x2000a, 320, 240, 1, 1, 0, 0, 307200), 2));
        assertEquals(new ResourceUnref(7), one(Frames.withRenderer().frame(1, 3, 7), 0));
    }

    @Test
    void transferPutReadsDataSizeBytesNotLengthDwords() throws Exception {
        // 5 data bytes: length = 11 + ceil(5/4) = 13, but only 5 bytes follow, then the next frame.
        byte[] stream = Frames.withRenderer()
                .frame(13, 5, 9, 0, 64, 0, 1, 2, 0, 5, 1, 1, 5).bytes(new byte[] {1, 2, 3, 4, 5})
                .frame(1, 3, 9)
                .build();
        VtestDecoder d = new VtestDecoder(VtestInput.of(stream));
        d.next();
        TransferPut put = (TransferPut) d.next().orElseThrow();
        assertEquals(9, put.handle());
        assertEquals(64, put.stride());
        assertEquals(new VtestBox(1, 2, 0, 5, 1, 1), put.box());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, put.data());
        assertEquals(new ResourceUnref(9), d.next().orElseThrow());
    }

    @Test
    void transferPutWithWrongLengthIsRejected() {
        assertEquals(BAD_LENGTH, fails(Frames.withRenderer()
                .frame(11, 5, 9, 0, 64, 0, 0, 0, 0, 5, 1, 1, 5).bytes(new byte[5]), 0));
    }

    @Test
    void transferGetAndV2Transfers() throws Exception {
        assertEquals(new TransferGet(3, 1, 128, 0, new VtestBox(0, 0, 0, 32, 4, 1), 512),
                one(Frames.withRenderer().frame(11, 4, 3, 1, 128, 0, 0, 0, 0, 32, 4, 1, 512), 0));
        assertEquals(new TransferGet2(3, 0, new VtestBox(0, 0, 0, 16, 16, 1), 1024, 4096),
                one(Frames.withRenderer().frame(10, 13, 3, 0, 0, 0, 0, 16, 16, 1, 1024, 4096), 2));
        // Mesa counts PUT2's data in the length (10 + 1024/4) although nothing follows.
        TransferPut2 mesa = new TransferPut2(3, 0, new VtestBox(0, 0, 0, 16, 16, 1), 1024, 0);
        assertEquals(mesa, one(Frames.withRenderer().frame(266, 14, 3, 0, 0, 0, 0, 16, 16, 1, 1024, 0), 2));
        assertEquals(mesa, one(Frames.withRenderer().frame(10, 14, 3, 0, 0, 0, 0, 16, 16, 1, 1024, 0), 2));
        assertEquals(BAD_LENGTH, fails(Frames.withRenderer().frame(11, 14, 3, 0, 0, 0, 0, 16, 16, 1, 1024, 0), 2));
    }

    @Test
    void submitCmd() throws Exception {
        SubmitCmd s = (SubmitCmd) one(Frames.withRenderer().frame(3, 6, 0x10001, 42, -1), 0);
        assertArrayEquals(new int[] {0x10001, 42, -1}, s.dwords());
    }

    @Test
    void version3Commands() throws Exception {
        assertEquals(new GetParam(1), one(Frames.withRenderer().frame(1, 15, 1), 3));
        assertEquals(new GetCapset(2, 2), one(Frames.withRenderer().frame(2, 16, 2, 2), 3));
        assertEquals(new ContextInit(1), one(Frames.withRenderer().frame(1, 17, 1), 3));
        assertEquals(new ResourceCreateBlob(2, 1, 0x1000, 0x1_0000_0007L),
                one(Frames.withRenderer().frame(6, 18, 2, 1, 0x1000, 0, 7, 1), 3));
        assertEquals(new SyncCreate(0x2_0000_0003L), one(Frames.withRenderer().frame(2, 19, 3, 2), 3));
        assertEquals(new SyncUnref(4), one(Frames.withRenderer().frame(1, 20, 4), 3));
        assertEquals(new SyncRead(4), one(Frames.withRenderer().frame(1, 21, 4), 3));
        assertEquals(new SyncWrite(4, -1L), one(Frames.withRenderer().frame(3, 22, 4, -1, -1), 3));
        assertEquals(new SyncWait(1, 1000, List.of(new SyncPoint(4, 5), new SyncPoint(6, 1L << 32))),
                one(Frames.withRenderer().frame(8, 23, 1, 1000, 4, 5, 0, 6, 0, 1), 3));
    }

    @Test
    void submitCmd2SlicesBatches() throws Exception {
        // [count=1][flags, cmd_off=9, cmd_size=2, sync_off=11, sync_count=1, ring=3, 0, 0][cmds][sync]
        SubmitCmd2 s = (SubmitCmd2) one(Frames.withRenderer().frame(14, 24,
                1, 1, 9, 2, 11, 1, 3, 0, 0, 0xaa, 0xbb, 8, 9, 0), 3);
        assertEquals(1, s.batches().size());
        Batch b = s.batches().get(0);
        assertEquals(1, b.flags());
        assertArrayEquals(new int[] {0xaa, 0xbb}, b.commands());
        assertEquals(List.of(new SyncPoint(8, 9)), b.syncs());
        assertEquals(3, b.ringIdx());
        assertEquals(BAD_FIELD, fails(Frames.withRenderer().frame(14, 24,
                1, 1, 13, 2, 11, 1, 3, 0, 0, 0xaa, 0xbb, 8, 9, 0), 3));
        assertEquals(BAD_FIELD, fails(Frames.withRenderer().frame(14, 24,
                1, 1, 9, 2, 11, 1, 64, 0, 0, 0xaa, 0xbb, 8, 9, 0), 3));
        assertEquals(BAD_LENGTH, fails(Frames.withRenderer().frame(3, 24, 2, 0, 0), 3));
        // Found by VtestFuzzTest: batches may not name the same dwords (each would be copied).
        assertEquals(BAD_FIELD, fails(Frames.withRenderer().frame(22, 24, 2,
                0, 17, 2, 19, 1, 0, 0, 0, 0, 17, 2, 19, 1, 0, 0, 0, 0xaa, 0xbb, 8, 9, 0), 3));
        SubmitCmd2 two = (SubmitCmd2) one(Frames.withRenderer().frame(27, 24, 2,
                0, 17, 2, 19, 1, 0, 0, 0, 0, 22, 2, 24, 1, 0, 0, 0, 0xaa, 0xbb, 8, 9, 0, 0xcc, 0xdd, 8, 10, 0), 3);
        assertArrayEquals(new int[] {0xcc, 0xdd}, two.batches().get(1).commands());
    }

    @Test
    void sessionRules() {
        assertEquals(RENDERER_NOT_CREATED, fails(Frames.start().frame(0, 1), 0));
        assertEquals(UNEXPECTED_COMMAND, fails(Frames.withRenderer().frame(1, 8).bytes(new byte[1]), 0));
        assertEquals(UNKNOWN_COMMAND, fails(Frames.withRenderer().frame(0, 25), 0));
        assertEquals(UNKNOWN_COMMAND, fails(Frames.withRenderer().frame(0, 0), 0));
        assertEquals(NOT_IN_PROTOCOL_VERSION, fails(Frames.withRenderer().frame(10, 13, new int[10]), 0));
        assertEquals(NOT_IN_PROTOCOL_VERSION, fails(Frames.withRenderer().frame(1, 15, 1), 2));
        assertEquals(BAD_LENGTH, fails(Frames.withRenderer().frame(1, 9, 0), 0));
        assertEquals(BAD_LENGTH, fails(Frames.withRenderer().frame(9, 2, new int[9]), 0));
        assertEquals(BAD_LENGTH, fails(Frames.withRenderer().frame(3, 23, 0, 0, 0), 3));
    }

    @Test
    void truncatedStreams() {
        assertEquals(TRUNCATED, fails(Frames.withRenderer().dwords(0), 0));
        assertEquals(TRUNCATED, fails(Frames.withRenderer().frame(10, 2, 1, 2, 3), 0));
        assertEquals(TRUNCATED, fails(Frames.start().frame(8, 8).bytes("abc".getBytes()), 0));
    }

    @Test
    void absurdSizesAreRejectedBeforeAllocating() {
        VtestLimits small = new VtestLimits(16, 1024, 1024, 1 << 20);
        assertEquals(TOO_LARGE, kind(Frames.start().frame(17, 8), small, 0));
        assertEquals(TOO_LARGE, kind(Frames.withRenderer().frame(-1, 6), VtestLimits.DEFAULT, 0));
        assertEquals(TOO_LARGE, kind(Frames.withRenderer().frame(257, 6), small, 0));
        assertEquals(TOO_LARGE, kind(Frames.withRenderer().frame(11, 4, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 4096), small, 0));
        assertEquals(TOO_LARGE, kind(Frames.withRenderer()
                .frame(11 + 1024, 5, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 4096), small, 0));
        assertEquals(TOO_LARGE, kind(Frames.withRenderer()
                .frame(11, 12, 0, 2, 1, 0, 1, 1, 1, 1, 0, 0, (1 << 20) + 1), small, 2));
        assertEquals(TOO_LARGE, kind(Frames.withRenderer().frame(6, 18, 2, 1, 0, -1, 0, 0), VtestLimits.DEFAULT, 3));
    }

    private static VtestProtocolException.Kind kind(Frames f, VtestLimits limits, int version) {
        VtestDecoder d = new VtestDecoder(VtestInput.of(f.build()), limits);
        if (version != 0) {
            d.setProtocolVersion(version);
        }
        return assertThrows(VtestProtocolException.class, () -> {
            while (d.next().isPresent()) {
                // until the error
            }
        }).kind();
    }

    @Test
    void negotiation() {
        assertEquals(0, VtestProtocol.negotiate(1, 3));
        assertEquals(2, VtestProtocol.negotiate(2, 3));
        assertEquals(3, VtestProtocol.negotiate(3, 3));
        assertEquals(3, VtestProtocol.negotiate(0xffff_ffffL, 3));
        assertEquals(2, VtestProtocol.negotiate(4, 2));
    }
}
