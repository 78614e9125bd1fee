package io.github.virgl4j.device.protocol;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class GpuResponseTest {

    private static final CtrlHeader PLAIN = new CtrlHeader(0x0104, 0, 99, 5, 7);
    private static final CtrlHeader FENCED = new CtrlHeader(0x0207,
            CtrlHeader.FLAG_FENCE | CtrlHeader.FLAG_INFO_RING_IDX | 0x80, 0x1122334455667788L, 5, 7);

    private static ByteBuffer enc(GpuResponse r, CtrlHeader req) {
        ByteBuffer b = r.encode(req).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, b.position());
        assertEquals(r.encodedSize(), b.remaining());
        return b;
    }

    @Test
    void sizesMatchTheSpec() {
        assertEquals(24, enc(GpuResponse.OkNoData.INSTANCE, PLAIN).remaining());
        assertEquals(408, enc(new GpuResponse.OkDisplayInfo(List.of()), PLAIN).remaining());
        assertEquals(40, enc(new GpuResponse.OkCapsetInfo(1, 1, 308), PLAIN).remaining());
        assertEquals(24 + 308, enc(new GpuResponse.OkCapset(new byte[308]), PLAIN).remaining());
        assertEquals(1056, enc(new GpuResponse.OkEdid(new byte[128]), PLAIN).remaining());
        assertEquals(40, enc(new GpuResponse.OkResourceUuid(new UUID(1, 2)), PLAIN).remaining());
        assertEquals(32, enc(new GpuResponse.OkMapInfo(Blob.MAP_CACHE_WC), PLAIN).remaining());
        assertEquals(24, enc(GpuResponse.Err.INVALID_RESOURCE_ID, PLAIN).remaining());
    }

    @Test
    void unfencedRequestEchoesOnlyCtxId() {
        ByteBuffer b = enc(GpuResponse.OkNoData.INSTANCE, PLAIN);
        assertEquals(0x1100, b.getInt(0));
        assertEquals(0, b.getInt(4));
        assertEquals(0, b.getLong(8));
        assertEquals(5, b.getInt(16));
        assertEquals(0, b.getInt(20), "ring_idx only echoed with INFO_RING_IDX");
    }

    @Test
    void fencedRequestEchoesFenceAndRingButNotUnknownFlags() {
        ByteBuffer b = enc(GpuResponse.Err.INVALID_PARAMETER, FENCED);
        assertEquals(0x1205, b.getInt(0));
        assertEquals(3, b.getInt(4));
        assertEquals(0x1122334455667788L, b.getLong(8));
        assertEquals(5, b.getInt(16));
        assertEquals(7, b.get(20));
        assertEquals(0, b.get(21) | b.get(22) | b.get(23));
    }

    @Test
    void errorCodes() {
        assertEquals(0x1200, GpuResponse.Err.UNSPEC.code());
        assertEquals(0x1201, GpuResponse.Err.OUT_OF_MEMORY.code());
        assertEquals(0x1202, GpuResponse.Err.INVALID_SCANOUT_ID.code());
        assertEquals(0x1203, GpuResponse.Err.INVALID_RESOURCE_ID.code());
        assertEquals(0x1204, GpuResponse.Err.INVALID_CONTEXT_ID.code());
        assertEquals(0x1205, GpuResponse.Err.INVALID_PARAMETER.code());
        assertFalse(GpuResponse.Err.UNSPEC.isOk());
        assertTrue(GpuResponse.OkNoData.INSTANCE.isOk());
        assertThrows(IllegalArgumentException.class, () -> new GpuResponse.Err(0x1100));
    }

    @Test
    void displayInfoLayout() {
        DisplayMode m0 = new DisplayMode(new Rect(0, 0, 1024, 768), true, 0);
        DisplayMode m1 = new DisplayMode(new Rect(1024, 0, 800, 600), false, 0x5);
        ByteBuffer b = enc(new GpuResponse.OkDisplayInfo(List.of(m0, m1)), PLAIN);
        assertEquals(0x1101, b.getInt(0));
        assertEquals(1024, b.getInt(24 + 8));
        assertEquals(768, b.getInt(24 + 12));
        assertEquals(1, b.getInt(24 + 16));
        assertEquals(1024, b.getInt(48));
        assertEquals(800, b.getInt(48 + 8));
        assertEquals(0, b.getInt(48 + 16));
        assertEquals(5, b.getInt(48 + 20));
        assertEquals(0, b.getInt(72 + 8), "unused pmodes are zero");
        assertThrows(IllegalArgumentException.class, () -> new GpuResponse.OkDisplayInfo(
                java.util.Collections.nCopies(17, m0)));
    }

    @Test
    void capsetInfoCapsetAndMapInfoLayout() {
        ByteBuffer ci = enc(new GpuResponse.OkCapsetInfo(2, 2, 1376), PLAIN);
        assertEquals(0x1102, ci.getInt(0));
        assertEquals(2, ci.getInt(24));
        assertEquals(2, ci.getInt(28));
        assertEquals(1376, ci.getInt(32));
        assertEquals(0, ci.getInt(36));
        ByteBuffer c = enc(new GpuResponse.OkCapset(new byte[] {9, 8, 7}), PLAIN);
        assertEquals(0x1103, c.getInt(0));
        assertEquals(9, c.get(24));
        assertEquals(7, c.get(26));
        ByteBuffer mi = enc(new GpuResponse.OkMapInfo(Blob.MAP_CACHE_CACHED), PLAIN);
        assertEquals(0x1106, mi.getInt(0));
        assertEquals(1, mi.getInt(24));
    }

    @Test
    void edidIsSizePrefixedAndZeroPadded() {
        byte[] edid = Edid.generate(1280, 800);
        ByteBuffer b = enc(new GpuResponse.OkEdid(edid), PLAIN);
        assertEquals(0x1104, b.getInt(0));
        assertEquals(128, b.getInt(24));
        assertEquals(0, b.getInt(28));
        assertEquals(0x00, b.get(32));
        assertEquals((byte) 0xff, b.get(33));
        assertEquals(edid[127], b.get(32 + 127));
        assertEquals(0, b.get(32 + 128));
        assertThrows(IllegalArgumentException.class, () -> new GpuResponse.OkEdid(new byte[1025]));
    }

    @Test
    void uuidIsBigEndianOnTheWire() {
        UUID u = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
        ByteBuffer b = enc(new GpuResponse.OkResourceUuid(u), PLAIN);
        assertEquals(0x1105, b.getInt(0));
        for (int i = 0; i < 16; i++) {
            assertEquals((byte) (i * 0x11), b.get(24 + i));
        }
    }

    @Test
    void responsesDecodeBackToEqualValues() {
        List<GpuResponse> all = List.of(GpuResponse.OkNoData.INSTANCE,
                new GpuResponse.OkCapsetInfo(1, 1, 308),
                new GpuResponse.OkCapset(new byte[] {1, 2, 3}),
                new GpuResponse.OkEdid(Edid.generate(800, 600)),
                new GpuResponse.OkResourceUuid(UUID.randomUUID()),
                new GpuResponse.OkMapInfo(3),
                GpuResponse.Err.INVALID_CONTEXT_ID);
        for (GpuResponse r : all) {
            assertEquals(r, GpuResponse.decode(r.encode(FENCED)));
        }
        GpuResponse.OkDisplayInfo di = (GpuResponse.OkDisplayInfo) GpuResponse.decode(
                new GpuResponse.OkDisplayInfo(List.of(new DisplayMode(new Rect(0, 0, 640, 480), true, 0)))
                        .encode(PLAIN));
        assertEquals(16, di.modes().size());
        assertEquals(640, di.modes().get(0).rect().w());
        assertEquals(FENCED.fenceId(), CtrlHeader.decode(GpuResponse.OkNoData.INSTANCE.encode(FENCED)).fenceId());
    }
}
