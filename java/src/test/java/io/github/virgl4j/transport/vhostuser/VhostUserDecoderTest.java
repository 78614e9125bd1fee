package io.github.virgl4j.transport.vhostuser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.github.virgl4j.transport.vhostuser.DecodeResult.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Pure decoding: sizes, descriptor counts, flag bits, and which descriptors get closed. */
class VhostUserDecoderTest {
    final List<Integer> closed = new ArrayList<>();
    final VhostUserDecoder decoder = new VhostUserDecoder(closed::add);

    static ByteBuffer p(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }

    DecodeResult decode(int request, int flags, ByteBuffer payload, int... fds) {
        return decoder.decode(new VhostUserHeader(request, flags, payload.remaining()), payload, fds);
    }

    DecodeResult.Rejected rejected(DecodeResult r, Reason reason) {
        DecodeResult.Rejected rej = assertInstanceOf(DecodeResult.Rejected.class, r);
        assertEquals(reason, rej.reason(), rej.toString());
        return rej;
    }

    VhostUserMessage ok(DecodeResult r) {
        return assertInstanceOf(DecodeResult.Ok.class, r, r.toString()).message();
    }

    @Test
    void setFeaturesCarriesItsU64() {
        VhostUserMessage m = ok(decode(2, 1, p(8).putLong(0, 0x1_4000_0003L)));
        assertEquals(new VhostUserMessage.SetFeatures(0x1_4000_0003L), m);
    }

    @Test
    void wrongVersionAndReplyBitAreBadFlags() {
        rejected(decode(1, 0, p(0)), Reason.BAD_FLAGS);
        rejected(decode(1, 2, p(0)), Reason.BAD_FLAGS);
        rejected(decode(1, 1 | VhostUserHeader.FLAG_REPLY, p(0)), Reason.BAD_FLAGS);
    }

    @Test
    void fixedSizeRequestsRejectOtherSizes() {
        rejected(decode(8, 1, p(4)), Reason.BAD_SIZE);        // SET_VRING_NUM needs 8
        rejected(decode(9, 1, p(24)), Reason.BAD_SIZE);       // SET_VRING_ADDR needs 40
        rejected(decode(1, 1, p(8)), Reason.BAD_SIZE);        // GET_FEATURES has none
        rejected(decode(37, 1, p(32), 5), Reason.BAD_SIZE);   // ADD_MEM_REG needs 40
        assertEquals(List.of(5), closed);
    }

    @Test
    void headerSizeMustMatchThePayload() {
        DecodeResult r = decoder.decode(new VhostUserHeader(2, 1, 16), p(8), new int[0]);
        rejected(r, Reason.BAD_SIZE);
    }

    @Test
    void unknownRequestClosesItsDescriptors() {
        DecodeResult.Rejected rej = rejected(decode(99, 1, p(0), 7, 8), Reason.UNKNOWN_REQUEST);
        assertEquals(99, rej.code());
        assertEquals(List.of(7, 8), closed);
    }

    @Test
    void addMemRegNeedsOneDescriptorAndClosesExtras() {
        ByteBuffer b = p(40);
        b.putLong(8, 0x1000).putLong(16, 0x2000).putLong(24, 0x7f00_0000_0000L).putLong(32, 0);
        rejected(decode(37, 1, b), Reason.MISSING_FD);
        VhostUserMessage.AddMemReg m = (VhostUserMessage.AddMemReg) ok(decode(37, 1, b, 11, 12, 13));
        assertEquals(new MemoryRegionDescription(0x1000, 0x2000, 0x7f00_0000_0000L, 0), m.region());
        assertEquals(11, m.fd());
        assertEquals(List.of(12, 13), closed);
    }

    @Test
    void remMemRegClosesAStrayDescriptor() {
        ok(decode(38, 1, p(40), 21));
        assertEquals(List.of(21), closed);
    }

    @Test
    void memTableChecksRegionCountSizeAndDescriptors() {
        ByteBuffer two = p(8 + 64).putInt(0, 2);
        rejected(decode(5, 1, two, 3), Reason.MISSING_FD);
        assertEquals(List.of(3), closed);
        rejected(decode(5, 1, p(8 + 64).putInt(0, 9), 1, 2), Reason.BAD_VALUE);
        rejected(decode(5, 1, p(8 + 32).putInt(0, 2), 1, 2), Reason.BAD_SIZE);
        VhostUserMessage.SetMemTable t = (VhostUserMessage.SetMemTable) ok(decode(5, 1, two, 30, 31, 32));
        assertEquals(2, t.regions().size());
        assertArrayEquals(new int[] {30, 31}, t.regionFds());
        assertEquals(List.of(3, 1, 2, 1, 2, 32), closed);
    }

    @Test
    void vringFdHonoursTheNoFdBitAndReservedBits() {
        VhostUserMessage.SetVringFd polled = (VhostUserMessage.SetVringFd) ok(decode(12, 1, p(8).putLong(0, 0x101)));
        assertEquals(new VhostUserMessage.SetVringFd(VhostUserRequest.SET_VRING_KICK, 1, -1), polled);
        rejected(decode(13, 1, p(8).putLong(0, 1)), Reason.MISSING_FD);
        rejected(decode(13, 1, p(8).putLong(0, 0x200), 4), Reason.BAD_VALUE);
        assertEquals(List.of(4), closed);
        // With the no-fd bit, a descriptor sent anyway is closed.
        ok(decode(14, 1, p(8).putLong(0, 0x100), 6));
        assertEquals(List.of(4, 6), closed);
    }

    @Test
    void configChecksItsInnerSize() {
        ByteBuffer get = p(12 + 16).putInt(0, 0).putInt(4, 16);
        assertEquals(new VhostUserMessage.GetConfig(0, 16, 0), ok(decode(24, 1, get)));
        rejected(decode(24, 1, p(12 + 16).putInt(4, 8)), Reason.BAD_SIZE);
        rejected(decode(24, 1, p(12).putInt(4, 0x7fff_ffff)), Reason.BAD_VALUE);
        rejected(decode(25, 1, p(4)), Reason.BAD_SIZE);
    }

    @Test
    void vringEnableIsZeroOrOne() {
        assertEquals(new VhostUserMessage.SetVringEnable(1, true), ok(decode(18, 1, p(8).putInt(0, 1).putInt(4, 1))));
        rejected(decode(18, 1, p(8).putInt(4, 2)), Reason.BAD_VALUE);
    }

    @Test
    void randomFramesNeverThrowAndNeverLeakDescriptors() {
        Random rnd = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            closed.clear();
            int code = rnd.nextInt(45);
            int flags = rnd.nextInt(16);
            byte[] bytes = new byte[rnd.nextInt(300)];
            rnd.nextBytes(bytes);
            int[] fds = new int[rnd.nextInt(4)];
            for (int k = 0; k < fds.length; k++) {
                fds[k] = 100 + k;
            }
            DecodeResult r = decode(code, flags, ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()), fds);
            int kept = r instanceof DecodeResult.Ok ok ? ok.message().fds().length : 0;
            assertEquals(fds.length, closed.size() + kept, "request " + code + ": every descriptor kept or closed");
        }
    }

    @Test
    void payloadIsReadFromItsPositionInAnyByteOrder() {
        // Found by VhostUserFuzzTest (seed qemu-11-SET_MEM_TABLE as an offset slice): fields were
        // read from the buffer's index 0 instead of the payload's first byte.
        ByteBuffer table = p(8 + 32).putInt(0, 1).putLong(8, 0x1000).putLong(16, 0x2000).putLong(24, 0x7f00_0000_0000L);
        ByteBuffer shifted = ByteBuffer.allocate(7 + 40).order(ByteOrder.BIG_ENDIAN);
        shifted.position(7).put(table.duplicate()).position(7);
        VhostUserMessage.SetMemTable t = (VhostUserMessage.SetMemTable) ok(decode(5, 1, shifted, 40));
        assertEquals(List.of(new MemoryRegionDescription(0x1000, 0x2000, 0x7f00_0000_0000L, 0)), t.regions());
        assertEquals(7, shifted.position());
    }
}
