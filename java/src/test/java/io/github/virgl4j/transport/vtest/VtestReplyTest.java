package io.github.virgl4j.transport.vtest;

import static io.github.virgl4j.transport.vtest.Frames.ints;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class VtestReplyTest {

    @Test
    void handshakeReplies() {
        assertArrayEquals(new int[] {0, 10}, ints(new VtestReply.Ping().encode()));
        assertArrayEquals(new int[] {1, 11, 3}, ints(new VtestReply.ProtocolVersion(3).encode()));
        assertArrayEquals(new int[] {1, 7, 0}, ints(new VtestReply.BusyWait(false).encode()));
        assertArrayEquals(new int[] {1, 7, 1}, ints(new VtestReply.BusyWait(true).encode()));
    }

    @Test
    void capsLengthIsBytesPlusOneAndIdIsTheCapset() {
        byte[] caps = new byte[1376];
        caps[0] = 2;
        byte[] wire = new VtestReply.Caps(2, caps).encode();
        assertEquals(8 + 1376, wire.length);
        assertEquals(1377, ints(wire)[0]);
        assertEquals(2, ints(wire)[1]);
        assertEquals(2, wire[8]);
        assertArrayEquals(new int[] {309, 1}, java.util.Arrays.copyOf(ints(new VtestReply.Caps(1, new byte[308]).encode()), 2));
        assertThrows(IllegalArgumentException.class, () -> new VtestReply.Caps(9, caps));
    }

    @Test
    void resourceCreatedDependsOnVersion() {
        VtestReply v2 = new VtestReply.ResourceCreated(VtestCommandId.RESOURCE_CREATE2, 2, 5, true);
        assertEquals(0, v2.encode().length);
        assertTrue(v2.passesFd());
        VtestReply v3 = new VtestReply.ResourceCreated(VtestCommandId.RESOURCE_CREATE2, 3, 5, false);
        assertArrayEquals(new int[] {1, 12, 5}, ints(v3.encode()));
        assertFalse(v3.passesFd());
        assertArrayEquals(new int[] {1, 2, 9},
                ints(new VtestReply.ResourceCreated(VtestCommandId.RESOURCE_CREATE, 3, 9, false).encode()));
        assertThrows(IllegalArgumentException.class,
                () -> new VtestReply.ResourceCreated(VtestCommandId.RESOURCE_CREATE, 3, 9, true));
    }

    @Test
    void version3Replies() {
        assertArrayEquals(new int[] {2, 15, 1, 64}, ints(new VtestReply.Param(true, 64).encode()));
        assertArrayEquals(new int[] {2, 15, 0, 0}, ints(new VtestReply.Param(false, 64).encode()));
        assertArrayEquals(new int[] {1, 16, 0}, ints(new VtestReply.Capset(null).encode()));
        assertArrayEquals(new int[] {3, 16, 1, 0x11, 0x22},
                ints(new VtestReply.Capset(new byte[] {0x11, 0, 0, 0, 0x22, 0, 0, 0}).encode()));
        VtestReply blob = new VtestReply.BlobCreated(12);
        assertArrayEquals(new int[] {1, 18, 12}, ints(blob.encode()));
        assertTrue(blob.passesFd());
        assertArrayEquals(new int[] {1, 19, 4}, ints(new VtestReply.SyncCreated(4).encode()));
        assertArrayEquals(new int[] {2, 21, 3, 2}, ints(new VtestReply.SyncValue(0x2_0000_0003L).encode()));
        VtestReply wait = new VtestReply.SyncWaitFd();
        assertArrayEquals(new int[] {0, 23}, ints(wait.encode()));
        assertTrue(wait.passesFd());
    }

    @Test
    void transferDataIsRaw() {
        assertArrayEquals(new byte[] {1, 2, 3}, new VtestReply.TransferData(new byte[] {1, 2, 3}).encode());
    }
}
