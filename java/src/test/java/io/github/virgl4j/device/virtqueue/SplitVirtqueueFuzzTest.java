package io.github.virgl4j.device.virtqueue;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random descriptor tables and avail rings: pop() must either return a chain whose buffers lie
 * in guest memory or throw VirtqueueException; never another exception, never a hang.
 */
class SplitVirtqueueFuzzTest {

    @Test
    @Timeout(60)
    void randomRingsEitherPopOrThrowVirtqueueException() throws Exception {
        Random rnd = new Random(42);
        int chains = 0;
        int rejected = 0;
        for (int iter = 0; iter < 20_000; iter++) {
            DriverSideQueue d = new DriverSideQueue(16, 1 << 15);
            long scratch = d.alloc(4096);
            // Indirect tables and buffers mostly point into a scratch area so some are valid.
            for (int i = 0; i < 16; i++) {
                d.writeDesc(d.descAddr, i, randomAddr(rnd, d, scratch), rnd.nextInt(64) * 16,
                        rnd.nextInt(8), rnd.nextInt(20));
            }
            for (int i = 0; i < 256; i++) {
                d.writeDesc(scratch, i, randomAddr(rnd, d, scratch), rnd.nextInt(48) * (rnd.nextBoolean() ? 16 : 1),
                        rnd.nextInt(8), rnd.nextInt(20));
            }
            for (int i = 0; i < 3; i++) {
                d.publish(rnd.nextInt(18));
            }
            SplitVirtqueue q = d.device();
            try {
                for (int i = 0; i < 3; i++) {
                    Optional<DescriptorChain> c = q.pop();
                    assertTrue(c.isPresent());
                    for (DescriptorRange r : c.get().readable()) {
                        assertTrue(d.mem.contains(r.addr(), r.length()));
                    }
                    ByteBuffer all = c.get().readAll(1 << 16);
                    assertEquals(Math.min(c.get().readableLength(), 1 << 16), all.remaining());
                    c.get().writeAll(ByteBuffer.allocate(8));
                    q.pushUsed(c.get().head(), 8);
                    chains++;
                }
                assertEquals(Optional.empty(), q.pop());
            } catch (VirtqueueException e) {
                rejected++;
                assertTrue(q.isBroken());
            }
        }
        assertTrue(chains > 100, "some random chains should be valid: " + chains);
        assertTrue(rejected > 100, "most random rings should be rejected: " + rejected);
    }

    private static long randomAddr(Random rnd, DriverSideQueue d, long scratch) {
        switch (rnd.nextInt(4)) {
            case 0: return rnd.nextLong();
            case 1: return d.end - rnd.nextInt(64);
            default: return scratch + 16L * rnd.nextInt(256);
        }
    }
}
