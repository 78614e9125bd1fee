package io.github.virgl4j.device.virtqueue;

import static org.junit.jupiter.api.Assertions.*;

import io.github.virgl4j.device.memory.ScatterGather;
import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.DecodeError;
import io.github.virgl4j.device.protocol.DecodeResult;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandDecoder;
import io.github.virgl4j.device.protocol.GpuCommandEncoder;
import io.github.virgl4j.device.protocol.GpuCommandType;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.device.protocol.MemEntry;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whole path a command handler sits in: driver encodes a request into a chain, device
 * pops, decodes, validates backing, answers, pushes used; driver reads the response.
 */
class ControlQueueFlowTest {

    private static final int MAX_REQUEST = 1 << 20;

    private static GpuResponse handle(DriverSideQueue d, GpuCommand cmd) {
        if (cmd instanceof GpuCommand.ResourceAttachBacking ab) {
            try {
                ScatterGather sg = ScatterGather.of(d.mem, ab.entries(), 64 << 20);
                return sg.totalLength() == 8192 ? GpuResponse.OkNoData.INSTANCE : GpuResponse.Err.UNSPEC;
            } catch (io.github.virgl4j.device.memory.GuestMemoryException e) {
                return GpuResponse.Err.UNSPEC;
            }
        }
        return GpuResponse.Err.UNSPEC;
    }

    private static GpuResponse roundTrip(DriverSideQueue d, SplitVirtqueue q, ByteBuffer request) throws Exception {
        byte[] bytes = new byte[request.remaining()];
        request.get(bytes);
        DriverSideQueue.Chain sent = d.addChain(List.of(bytes), 64);
        DescriptorChain chain = q.pop().orElseThrow();
        DecodeResult r = GpuCommandDecoder.decode(chain.readAll(MAX_REQUEST));
        GpuResponse resp = r instanceof DecodeResult.Decoded ok ? handle(d, ok.command())
                : ((DecodeError) r).response();
        int written = chain.writeAll(resp.encode(r.header()));
        q.pushUsed(chain.head(), written);
        assertEquals(24, d.usedElem(d.usedIdx() - 1)[1]);
        return GpuResponse.decode(ByteBuffer.wrap(d.read(sent.writableAddrs().get(0), written)));
    }

    @Test
    void attachBackingInsideMemoryIsAcceptedAndOutsideIsRefused() throws Exception {
        DriverSideQueue d = new DriverSideQueue(8);
        SplitVirtqueue q = d.device();
        long page = d.alloc(8192);
        CtrlHeader h = CtrlHeader.fenced(GpuCommandType.RESOURCE_ATTACH_BACKING, 5, 0);
        GpuCommand good = new GpuCommand.ResourceAttachBacking(h, 1,
                List.of(new MemEntry(page, 4096), new MemEntry(page + 4096, 4096)));
        assertEquals(GpuResponse.OkNoData.INSTANCE, roundTrip(d, q, GpuCommandEncoder.encode(good)));
        GpuCommand bad = new GpuCommand.ResourceAttachBacking(h, 1, List.of(new MemEntry(0x10, 4096)));
        assertEquals(GpuResponse.Err.UNSPEC, roundTrip(d, q, GpuCommandEncoder.encode(bad)));
    }

    @Test
    void truncatedRequestGetsAnErrorWithFenceEcho() throws Exception {
        DriverSideQueue d = new DriverSideQueue(8);
        SplitVirtqueue q = d.device();
        ByteBuffer req = GpuCommandEncoder.encode(new GpuCommand.ResourceUnref(
                CtrlHeader.fenced(GpuCommandType.RESOURCE_UNREF, 77, 3), 9)).limit(28);
        byte[] bytes = new byte[28];
        req.get(bytes);
        DriverSideQueue.Chain sent = d.addChain(List.of(bytes), 24);
        DescriptorChain chain = q.pop().orElseThrow();
        DecodeResult r = GpuCommandDecoder.decode(chain.readAll(MAX_REQUEST));
        DecodeError e = assertInstanceOf(DecodeError.class, r);
        chain.writeAll(e.response().encode(e.header()));
        CtrlHeader back = CtrlHeader.decode(ByteBuffer.wrap(d.read(sent.writableAddrs().get(0), 24)));
        assertEquals(new CtrlHeader(0x1200, CtrlHeader.FLAG_FENCE, 77, 3, 0), back);
    }
}
