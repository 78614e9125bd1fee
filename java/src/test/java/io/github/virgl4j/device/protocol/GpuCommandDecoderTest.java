package io.github.virgl4j.device.protocol;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.List;
import org.junit.jupiter.api.Test;

class GpuCommandDecoderTest {

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static DecodeError error(ByteBuffer request) {
        DecodeResult r = GpuCommandDecoder.decode(request);
        assertInstanceOf(DecodeError.class, r);
        return (DecodeError) r;
    }

    private static GpuCommand command(ByteBuffer request) {
        DecodeResult r = GpuCommandDecoder.decode(request);
        assertInstanceOf(DecodeResult.Decoded.class, r, () -> r.toString());
        return ((DecodeResult.Decoded) r).command();
    }

    @Test
    void shortRequestHasNoHeaderAndGetsUnspec() {
        DecodeError e = error(le(23));
        assertEquals(GpuResponseType.ERR_UNSPEC, e.response().code());
        assertEquals(CtrlHeader.EMPTY, e.header());
        assertEquals(GpuResponseType.ERR_UNSPEC,
                ((DecodeError) GpuCommandDecoder.decode(null)).response().code());
    }

    @Test
    void unknownTypeGetsUnspecAndKeepsHeaderForFenceEcho() {
        ByteBuffer b = le(24).putInt(0, 0x0400).putInt(4, 1).putLong(8, 42).putInt(16, 9);
        DecodeError e = error(b);
        assertEquals(GpuResponseType.ERR_UNSPEC, e.response().code());
        assertEquals(new CtrlHeader(0x0400, 1, 42, 9, 0), e.header());
        ByteBuffer resp = e.response().encode(e.header()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x1200, resp.getInt(0));
        assertEquals(1, resp.getInt(4));
        assertEquals(42, resp.getLong(8));
    }

    @Test
    void everyTruncatedFixedPartGetsUnspec() {
        for (GpuCommand c : SampleCommands.all()) {
            ByteBuffer full = GpuCommandEncoder.encode(c);
            int fixed = GpuCommandType.requestSize(c.commandType());
            ByteBuffer cut = full.slice(0, fixed - 1);
            DecodeError e = error(cut);
            assertEquals(GpuResponseType.ERR_UNSPEC, e.response().code(),
                    GpuCommandType.name(c.commandType()));
            // A 24-byte command cut short has no complete header left to echo.
            assertEquals(fixed == 24 ? CtrlHeader.EMPTY : c.header(), e.header());
        }
    }

    @Test
    void headerFieldsAreLittleEndian() {
        ByteBuffer b = le(24).putInt(0, GpuCommandType.GET_DISPLAY_INFO).putInt(4, 3)
                .putLong(8, 0x0102030405060708L).putInt(16, 0x55).put(20, (byte) 0xfe);
        assertEquals(new CtrlHeader(0x100, 3, 0x0102030405060708L, 0x55, 0xfe), command(b).header());
    }

    @Test
    void decodesAtPositionWithoutMovingIt() {
        ByteBuffer b = le(40).position(8);
        b.putInt(8, GpuCommandType.RESOURCE_UNREF).putInt(32, 77);
        GpuCommand c = command(b);
        assertEquals(new GpuCommand.ResourceUnref(CtrlHeader.of(GpuCommandType.RESOURCE_UNREF), 77), c);
        assertEquals(8, b.position());
    }

    private static ByteBuffer attach(int nrEntries, int entriesPresent) {
        ByteBuffer b = le(32 + 16 * entriesPresent);
        b.putInt(0, GpuCommandType.RESOURCE_ATTACH_BACKING).putInt(24, 1).putInt(28, nrEntries);
        return b;
    }

    @Test
    void nrEntriesBeyondBytesPresentIsInvalidParameter() {
        assertEquals(GpuResponseType.ERR_INVALID_PARAMETER, error(attach(3, 2)).response().code());
        assertEquals(GpuResponseType.ERR_INVALID_PARAMETER, error(attach(-1, 0)).response().code());
        assertEquals(GpuResponseType.ERR_INVALID_PARAMETER,
                error(attach(Integer.MIN_VALUE, 1)).response().code());
    }

    @Test
    void nrEntriesAboveLimitIsInvalidEvenIfPresent() {
        assertEquals(GpuResponseType.ERR_INVALID_PARAMETER,
                error(attach(16385, 16385)).response().code());
        GpuCommand c = command(attach(16384, 16384));
        assertEquals(16384, ((GpuCommand.ResourceAttachBacking) c).entries().size());
    }

    @Test
    void createBlobChecksItsEntriesToo() {
        ByteBuffer b = le(56 + 16);
        b.putInt(0, GpuCommandType.RESOURCE_CREATE_BLOB).putInt(36, 2);
        assertEquals(GpuResponseType.ERR_INVALID_PARAMETER, error(b).response().code());
        b.putInt(36, 1).putLong(56, 0xabc).putInt(64, 0x20);
        assertEquals(List.of(new MemEntry(0xabc, 0x20)),
                ((GpuCommand.ResourceCreateBlob) command(b)).entries());
    }

    @Test
    void submitSizeLargerThanBytesIsInvalidParameter() {
        ByteBuffer b = le(32 + 8);
        b.putInt(0, GpuCommandType.SUBMIT_3D).putInt(24, 9);
        assertEquals(GpuResponseType.ERR_INVALID_PARAMETER, error(b).response().code());
        b.putInt(24, -1);
        assertEquals(GpuResponseType.ERR_INVALID_PARAMETER, error(b).response().code());
    }

    @Test
    void submitViewHasExactlySizeBytesAndIsReadOnly() {
        ByteBuffer b = le(32 + 8);
        b.putInt(0, GpuCommandType.SUBMIT_3D).putInt(24, 5).put(32, (byte) 0x42).put(37, (byte) 0x99);
        GpuCommand.Submit3d s = (GpuCommand.Submit3d) command(b);
        assertEquals(5, s.size());
        assertEquals(5, s.commands().remaining());
        assertEquals(0x42, s.commands().get(0));
        assertTrue(s.commands().isReadOnly());
        assertThrows(ReadOnlyBufferException.class, () -> s.commands().put(0, (byte) 1));
    }

    @Test
    void ctxCreateNameLengthOver64IsInvalid() {
        ByteBuffer b = le(96);
        b.putInt(0, GpuCommandType.CTX_CREATE).putInt(24, 65);
        assertEquals(GpuResponseType.ERR_INVALID_PARAMETER, error(b).response().code());
        b.putInt(24, 3).putInt(28, 0x0000_0104).put(32, (byte) 'a').put(33, (byte) 0xff).put(34, (byte) 'c');
        GpuCommand.CtxCreate c = (GpuCommand.CtxCreate) command(b);
        assertEquals(4, c.capsetId());
        assertEquals("a\u00ffc", c.debugName());
    }

    @Test
    void trailingBytesAfterFixedRequestAreIgnored() {
        ByteBuffer b = le(100);
        b.putInt(0, GpuCommandType.GET_EDID).putInt(24, 2).putInt(40, 0xdead);
        assertEquals(new GpuCommand.GetEdid(CtrlHeader.of(GpuCommandType.GET_EDID), 2), command(b));
    }
}
