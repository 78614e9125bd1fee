package io.github.virgl4j.device.protocol;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GpuCommandRoundTripTest {

    @Test
    void samplesCoverEveryCommandType() {
        Set<Integer> expected = new TreeSet<>();
        for (int t = 0x0100; t <= 0x010d; t++) {
            expected.add(t);
        }
        for (int t = 0x0200; t <= 0x0209; t++) {
            expected.add(t);
        }
        expected.add(0x0300);
        expected.add(0x0301);
        Set<Integer> got = SampleCommands.all().stream().map(GpuCommand::commandType)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, got);
        assertEquals(26, SampleCommands.all().size());
    }

    @Test
    void everyCommandSurvivesEncodeThenDecode() {
        for (GpuCommand c : SampleCommands.all()) {
            ByteBuffer wire = GpuCommandEncoder.encode(c);
            DecodeResult r = GpuCommandDecoder.decode(wire);
            assertInstanceOf(DecodeResult.Decoded.class, r, GpuCommandType.name(c.commandType()));
            assertEquals(c, ((DecodeResult.Decoded) r).command(), GpuCommandType.name(c.commandType()));
            assertEquals(0, wire.position(), "decode must not move the request buffer");
        }
    }

    @Test
    void encodedSizesMatchTheSpecTable() {
        for (GpuCommand c : SampleCommands.all()) {
            int expected = GpuCommandType.requestSize(c.commandType());
            if (c instanceof GpuCommand.ResourceAttachBacking || c instanceof GpuCommand.ResourceCreateBlob) {
                expected += 2 * 16;
            } else if (c instanceof GpuCommand.Submit3d) {
                expected += 12;
            }
            assertEquals(expected, GpuCommandEncoder.encode(c).remaining(),
                    GpuCommandType.name(c.commandType()));
        }
        assertEquals(24, GpuCommandType.requestSize(GpuCommandType.GET_DISPLAY_INFO));
        assertEquals(96, GpuCommandType.requestSize(GpuCommandType.CTX_CREATE));
        assertEquals(96, GpuCommandType.requestSize(GpuCommandType.SET_SCANOUT_BLOB));
        assertEquals(72, GpuCommandType.requestSize(GpuCommandType.RESOURCE_CREATE_3D));
        assertEquals(-1, GpuCommandType.requestSize(0x0400));
    }

    @Test
    void resourceCreate2dWireBytes() {
        GpuCommand c = new GpuCommand.ResourceCreate2d(
                new CtrlHeader(0, CtrlHeader.FLAG_FENCE, 0x0102030405060708L, 0x0a0b0c0d, 0x3f),
                0x11, 1, 0x400, 0x300);
        byte[] expected = {
            0x01, 0x01, 0, 0,   1, 0, 0, 0,   8, 7, 6, 5, 4, 3, 2, 1,
            0x0d, 0x0c, 0x0b, 0x0a,   0x3f, 0, 0, 0,
            0x11, 0, 0, 0,   1, 0, 0, 0,   0, 4, 0, 0,   0, 3, 0, 0,
        };
        assertArrayEquals(expected, bytes(GpuCommandEncoder.encode(c)));
    }

    @Test
    void attachBackingEntriesAreLaidOutAfterTheFixedPart() {
        GpuCommand c = new GpuCommand.ResourceAttachBacking(CtrlHeader.of(0), 3,
                List.of(new MemEntry(0x1122334455667788L, 0x1000)));
        ByteBuffer b = GpuCommandEncoder.encode(c).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(48, b.remaining());
        assertEquals(3, b.getInt(24));
        assertEquals(1, b.getInt(28));
        assertEquals(0x1122334455667788L, b.getLong(32));
        assertEquals(0x1000, b.getInt(40));
        assertEquals(0, b.getInt(44));
    }

    @Test
    void ctxCreateExposesCapsetIdFromContextInit() {
        GpuCommand.CtxCreate c = new GpuCommand.CtxCreate(CtrlHeader.of(0), 0x1204, "x");
        assertEquals(4, c.capsetId());
        ByteBuffer b = GpuCommandEncoder.encode(c).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, b.getInt(24));
        assertEquals(0x1204, b.getInt(28));
        assertEquals('x', b.get(32));
        assertThrows(IllegalArgumentException.class, () -> GpuCommandEncoder.encode(
                new GpuCommand.CtxCreate(CtrlHeader.of(0), 0, "n".repeat(65))));
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
