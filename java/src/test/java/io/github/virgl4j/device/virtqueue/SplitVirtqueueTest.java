package io.github.virgl4j.device.virtqueue;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SplitVirtqueueTest {

    private static final int NEXT = SplitVirtqueue.DESC_F_NEXT;
    private static final int WRITE = SplitVirtqueue.DESC_F_WRITE;
    private static final int INDIRECT = SplitVirtqueue.DESC_F_INDIRECT;

    private static DescriptorChain popOne(SplitVirtqueue q) throws VirtqueueException {
        Optional<DescriptorChain> c = q.pop();
        assertTrue(c.isPresent());
        return c.get();
    }

    @Test
    void emptyQueuePopsNothing() throws Exception {
        DriverSideQueue d = new DriverSideQueue(8);
        assertEquals(Optional.empty(), d.device().pop());
    }

    @Test
    void simpleChainRoundTrip() throws Exception {
        DriverSideQueue d = new DriverSideQueue(8);
        SplitVirtqueue q = d.device();
        DriverSideQueue.Chain sent = d.addChain(List.of(new byte[] {1, 2, 3, 4}), 8);
        DescriptorChain c = popOne(q);
        assertEquals(sent.head(), c.head());
        assertEquals(4, c.readableLength());
        assertEquals(8, c.writableLength());
        ByteBuffer req = c.readAll(1024);
        assertEquals(4, req.remaining());
        assertEquals(0x04030201, req.getInt(0));
        assertEquals(3, c.writeAll(ByteBuffer.wrap(new byte[] {9, 8, 7})));
        q.pushUsed(c.head(), 3);
        assertEquals(1, d.usedIdx());
        assertArrayEquals(new int[] {sent.head(), 3}, d.usedElem(0));
        assertArrayEquals(new byte[] {9, 8, 7}, d.read(sent.writableAddrs().get(0), 3));
        assertEquals(Optional.empty(), q.pop());
    }

    @Test
    void multiDescriptorChainGathersAndScattersInOrder() throws Exception {
        DriverSideQueue d = new DriverSideQueue(16);
        SplitVirtqueue q = d.device();
        DriverSideQueue.Chain sent = d.addChain(
                List.of(new byte[] {1, 2}, new byte[] {3}, new byte[] {4, 5, 6}), 2, 5);
        DescriptorChain c = popOne(q);
        assertEquals(3, c.readable().size());
        assertEquals(2, c.writable().size());
        ByteBuffer all = c.readAll(100);
        assertEquals(6, all.remaining());
        byte[] got = new byte[6];
        all.get(got);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, got);
        assertEquals(4, c.readAll(4).remaining(), "readAll honours its cap");
        ByteBuffer reply = ByteBuffer.wrap(new byte[] {10, 11, 12, 13, 14, 15, 16, 17, 18});
        assertEquals(7, c.writeAll(reply), "only 2 + 5 writable bytes");
        assertEquals(7, reply.position());
        assertArrayEquals(new byte[] {10, 11}, d.read(sent.writableAddrs().get(0), 2));
        assertArrayEquals(new byte[] {12, 13, 14, 15, 16}, d.read(sent.writableAddrs().get(1), 5));
    }

    @Test
    void indirectChain() throws Exception {
        DriverSideQueue d = new DriverSideQueue(4);
        SplitVirtqueue q = d.device();
        DriverSideQueue.Chain sent = d.addIndirectChain(
                List.of(new byte[] {7, 7}, new byte[] {8, 8, 8}), 24);
        DescriptorChain c = popOne(q);
        assertEquals(sent.head(), c.head());
        assertEquals(5, c.readableLength());
        assertEquals(24, c.writableLength());
        assertEquals(sent.writableAddrs().get(0), c.writable().get(0).addr());
    }

    @Test
    @Timeout(5)
    void descriptorLoopThrowsInsteadOfHanging() throws Exception {
        DriverSideQueue d = new DriverSideQueue(8);
        long buf = d.alloc(16);
        d.writeDesc(d.descAddr, 0, buf, 16, NEXT, 1);
        d.writeDesc(d.descAddr, 1, buf, 16, NEXT, 0);
        d.publish(0);
        SplitVirtqueue q = d.device();
        VirtqueueException e = assertThrows(VirtqueueException.class, q::pop);
        assertTrue(e.getMessage().contains("loops"), e.getMessage());
        assertTrue(q.isBroken());
        assertThrows(VirtqueueException.class, q::pop, "a broken queue stays broken");
    }

    @Test
    @Timeout(5)
    void loopInsideIndirectTableThrows() throws Exception {
        DriverSideQueue d = new DriverSideQueue(8);
        long table = d.alloc(32);
        long buf = d.alloc(16);
        d.writeDesc(table, 0, buf, 16, NEXT, 1);
        d.writeDesc(table, 1, buf, 16, NEXT, 0);
        d.writeDesc(d.descAddr, 0, table, 32, INDIRECT, 0);
        d.publish(0);
        assertThrows(VirtqueueException.class, d.device()::pop);
    }

    @Test
    void bufferOutsideGuestMemoryThrows() throws Exception {
        DriverSideQueue d = new DriverSideQueue(8);
        d.writeDesc(d.descAddr, 0, 0x1000, 16, 0, 0);
        d.publish(0);
        assertThrows(VirtqueueException.class, d.device()::pop);

        DriverSideQueue d2 = new DriverSideQueue(8);
        d2.writeDesc(d2.descAddr, 0, -8L, 16, 0, 0);  // wraps past 2^64
        d2.publish(0);
        assertThrows(VirtqueueException.class, d2.device()::pop);

        DriverSideQueue d3 = new DriverSideQueue(8);
        d3.writeDesc(d3.descAddr, 0, DriverSideQueue.BASE + (1 << 20) - 8, 16, 0, 0);
        d3.publish(0);
        assertThrows(VirtqueueException.class, d3.device()::pop);
    }

    @Test
    void badIndicesAndFlagsThrow() throws Exception {
        DriverSideQueue d = new DriverSideQueue(8);
        d.publish(8);  // head out of range
        assertThrows(VirtqueueException.class, d.device()::pop);

        DriverSideQueue n = new DriverSideQueue(8);
        n.writeDesc(n.descAddr, 0, n.alloc(4), 4, NEXT, 200);  // next out of range
        n.publish(0);
        assertThrows(VirtqueueException.class, n.device()::pop);

        DriverSideQueue rw = new DriverSideQueue(8);
        rw.writeDesc(rw.descAddr, 0, rw.alloc(4), 4, NEXT | WRITE, 1);
        rw.writeDesc(rw.descAddr, 1, rw.alloc(4), 4, 0, 0);  // readable after writable
        rw.publish(0);
        assertTrue(assertThrows(VirtqueueException.class, rw.device()::pop)
                .getMessage().contains("readable descriptor after"));

        DriverSideQueue jump = new DriverSideQueue(8);
        jump.setAvailIdx(9);  // more pending than the ring holds
        assertThrows(VirtqueueException.class, jump.device()::pop);
    }

    @Test
    void badIndirectTablesThrow() throws Exception {
        DriverSideQueue odd = new DriverSideQueue(8);
        odd.writeDesc(odd.descAddr, 0, odd.alloc(24), 24, INDIRECT, 0);  // not a multiple of 16
        odd.publish(0);
        assertThrows(VirtqueueException.class, odd.device()::pop);

        DriverSideQueue nested = new DriverSideQueue(8);
        long table = nested.alloc(16);
        nested.writeDesc(table, 0, nested.alloc(16), 16, INDIRECT, 0);
        nested.writeDesc(nested.descAddr, 0, table, 16, INDIRECT, 0);
        nested.publish(0);
        assertTrue(assertThrows(VirtqueueException.class, nested.device()::pop)
                .getMessage().contains("inside an indirect"));

        DriverSideQueue withNext = new DriverSideQueue(8);
        withNext.writeDesc(withNext.descAddr, 0, withNext.alloc(16), 16, INDIRECT | NEXT, 1);
        withNext.publish(0);
        assertThrows(VirtqueueException.class, withNext.device()::pop);

        DriverSideQueue outside = new DriverSideQueue(8);
        outside.writeDesc(outside.descAddr, 0, 0x10, 64, INDIRECT, 0);
        outside.publish(0);
        assertThrows(VirtqueueException.class, outside.device()::pop);
    }

    @Test
    void indicesWrapPast65535() throws Exception {
        DriverSideQueue d = new DriverSideQueue(4);
        d.setAvailIdx(65533);
        d.setUsedIdxRaw(65533);
        SplitVirtqueue q = d.device();
        q.setLastAvailIdx(65533);
        assertEquals(65533, q.usedIdx());
        for (int i = 0; i < 6; i++) {
            DriverSideQueue.Chain sent = d.addChain(List.of(new byte[] {(byte) i}), 4);
            DescriptorChain c = popOne(q);
            assertEquals(sent.head(), c.head());
            assertEquals(i, c.readAll(1).get(0));
            q.pushUsed(c.head(), 10 + i);
            assertArrayEquals(new int[] {sent.head(), 10 + i}, d.usedElem((65533 + i) & 0xffff));
        }
        assertEquals(3, q.lastAvailIdx());
        assertEquals(3, d.usedIdx());
        assertEquals(Optional.empty(), q.pop());
    }

    @Test
    void noInterruptFlagSuppressesNotification() throws Exception {
        DriverSideQueue d = new DriverSideQueue(8);
        SplitVirtqueue q = d.device();
        d.addChain(List.of(new byte[] {1}));
        q.pushUsed(popOne(q).head(), 0);
        assertTrue(q.needsNotification());
        d.setAvailFlags(SplitVirtqueue.AVAIL_F_NO_INTERRUPT);
        assertFalse(q.needsNotification());
    }

    @Test
    void eventIdxNotifiesOnlyWhenUsedEventIsPassed() throws Exception {
        DriverSideQueue d = new DriverSideQueue(8);
        SplitVirtqueue q = d.device();
        q.setEventIdx(true);
        d.setAvailFlags(SplitVirtqueue.AVAIL_F_NO_INTERRUPT);  // ignored with EVENT_IDX
        d.setUsedEvent(2);  // "interrupt me once used entry 2 is there"
        boolean[] expected = {true /* first call always */, false, true, false};
        for (int i = 0; i < 4; i++) {
            d.addChain(List.of(new byte[] {1}));
            DescriptorChain c = popOne(q);
            assertEquals(i + 1, d.availEvent(), "device publishes avail_event after each pop");
            q.pushUsed(c.head(), 0);
            assertEquals(expected[i], q.needsNotification(), "after used.idx=" + (i + 1));
        }
    }

    @Test
    void constructorValidatesSizeAlignmentAndPlacement() {
        DriverSideQueue d = new DriverSideQueue(8);
        assertThrows(VirtqueueException.class, () -> new SplitVirtqueue(d.mem, 6, d.descAddr, d.availAddr, d.usedAddr));
        assertThrows(VirtqueueException.class, () -> new SplitVirtqueue(d.mem, 0, d.descAddr, d.availAddr, d.usedAddr));
        assertThrows(VirtqueueException.class, () -> new SplitVirtqueue(d.mem, 65536, d.descAddr, d.availAddr, d.usedAddr));
        assertThrows(VirtqueueException.class, () -> new SplitVirtqueue(d.mem, 8, d.descAddr + 8, d.availAddr, d.usedAddr));
        assertThrows(VirtqueueException.class, () -> new SplitVirtqueue(d.mem, 8, d.descAddr, d.availAddr + 1, d.usedAddr));
        assertThrows(VirtqueueException.class, () -> new SplitVirtqueue(d.mem, 8, d.descAddr, d.availAddr, d.usedAddr + 2));
        assertThrows(VirtqueueException.class, () -> new SplitVirtqueue(d.mem, 8, d.descAddr, d.availAddr, 0x1000));
        long end = DriverSideQueue.BASE + (1 << 20);
        assertThrows(VirtqueueException.class, () -> new SplitVirtqueue(d.mem, 8, end - 64, d.availAddr, d.usedAddr));
        assertDoesNotThrow(() -> new SplitVirtqueue(d.mem, 8, d.descAddr, d.availAddr, d.usedAddr));
        assertThrows(IllegalArgumentException.class, () -> d.device().setLastAvailIdx(65536));
        assertThrows(IllegalArgumentException.class, () -> d.device().pushUsed(8, 0));
    }

    @Test
    void overlappingRingsAreRefused() {
        DriverSideQueue d = new DriverSideQueue(8);
        // used ring = avail ring: each pushUsed would publish the chain again, for ever.
        VirtqueueException e = assertThrows(VirtqueueException.class,
                () -> new SplitVirtqueue(d.mem, 8, d.descAddr, d.usedAddr, d.usedAddr));
        assertEquals("available ring overlaps the used ring", e.getMessage());
        assertThrows(VirtqueueException.class, () -> new SplitVirtqueue(d.mem, 8, d.descAddr, d.descAddr + 0x70, d.usedAddr));
        assertThrows(VirtqueueException.class, () -> new SplitVirtqueue(d.mem, 8, d.descAddr, d.availAddr, d.descAddr + 0x7c));
    }

    @Test
    void writableBufferOverARingBreaksTheQueue() throws Exception {
        long[][] targets = {{0, 16}, {1, 6}, {2, 2}};
        for (long[] t : targets) {
            DriverSideQueue d = new DriverSideQueue(8);
            SplitVirtqueue q = d.device();
            long ring = t[0] == 0 ? d.descAddr + 0x70 : t[0] == 1 ? d.availAddr : d.usedAddr + 6 + 8 * 8 - 2;
            long data = d.putData(new byte[] {1, 2, 3, 4});
            d.writeDesc(d.descAddr, 0, data, 4, NEXT, 1);
            d.writeDesc(d.descAddr, 1, ring, (int) t[1], WRITE, 0);
            d.publish(0);
            VirtqueueException e = assertThrows(VirtqueueException.class, q::pop);
            assertTrue(e.getMessage().startsWith("writable buffer 0x") && e.getMessage().contains("overlaps the"),
                    e.getMessage());
            assertTrue(q.isBroken());
            assertEquals(0, d.usedIdx());
        }
    }

    @Test
    void popTakesOnlyWhatTheLastReadOfAvailIdxPublished() throws Exception {
        DriverSideQueue d = new DriverSideQueue(8);
        SplitVirtqueue q = d.device();
        d.addChain(List.of(new byte[] {1}), 8);
        d.addChain(List.of(new byte[] {2}), 8);
        assertEquals(2, q.refresh());
        popOne(q);
        d.addChain(List.of(new byte[] {3}), 8); // published after the round began
        popOne(q);
        // The round's chains are taken: pop() reads avail.idx again and finds the third.
        DescriptorChain third = popOne(q);
        assertEquals(3, third.readAll(8).get(0));
        assertEquals(Optional.empty(), q.pop());
        assertEquals(0, q.refresh());
        d.setAvailIdx(3 + 9); // more than the queue size past the last taken
        assertThrows(VirtqueueException.class, q::refresh);
        assertTrue(q.isBroken());
    }
}
