package io.github.virgl4j.virgl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Random streams, 100,000 of them: the translator must only ever return or throw
 * {@link TranslationException}, and what it returns must be a faithful rewrite.
 */
class TranslatorFuzzTest {
    private static final int ITERATIONS = 100_000;
    private static final int FLIP = 0x4000_0000;

    /**
     * An involution on handles. It refuses handles 5..7 (and their images, so that it stays one),
     * and the few whose image or preimage would be 0 or -1.
     */
    private static final IntUnaryOperator SWAP = g -> {
        int low = g & ~FLIP;
        return g == -1 || g == FLIP || g == ~FLIP || (low >= 5 && low <= 7) ? -1 : g ^ FLIP;
    };

    /** (command, object type, valid length) triples, from the handle table. */
    private static final int[][] VALID = HandleFieldTableTest.commands().stream()
            .map(a -> new int[] {(int) a.get()[0], (int) a.get()[1], (int) a.get()[2]})
            .toArray(int[][]::new);

    @Test
    void randomStreamsOnlyEverFailWithTranslationException() {
        SplittableRandom random = new SplittableRandom(0x5eed_2024L);
        int accepted = 0;
        int refused = 0;
        int[] reasons = new int[TranslationException.Reason.values().length];
        for (int i = 0; i < ITERATIONS; i++) {
            ByteBuffer in = i % 2 == 0 ? randomBytes(random) : plausibleCommands(random);
            byte[] before = bytes(in);
            try {
                ByteBuffer once = VirglStreamTranslator.translate(in, SWAP);
                accepted++;
                assertEquals(before.length, once.remaining());
                // Translating back with the same involution restores the stream exactly.
                ByteBuffer twice = VirglStreamTranslator.translate(once, SWAP);
                assertArrayEquals(before, bytes(twice), "round trip of iteration " + i);
                // With the identity map nothing changes.
                assertArrayEquals(before, bytes(VirglStreamTranslator.translate(in, g -> g)));
            } catch (TranslationException expected) {
                refused++;
                reasons[expected.reason().ordinal()]++;
                assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
            } catch (RuntimeException | Error e) {
                fail("iteration " + i + " threw " + e, e);
            }
            assertArrayEquals(before, bytes(in), "input changed in iteration " + i);
        }
        assertEquals(ITERATIONS, accepted + refused);
        // The generator is meant to reach deep: both outcomes must be common.
        assertTrue(accepted > ITERATIONS / 20, "accepted " + accepted);
        assertTrue(refused > ITERATIONS / 2, "refused " + refused);
        for (TranslationException.Reason r : TranslationException.Reason.values()) {
            assertTrue(reasons[r.ordinal()] > 100, r + " seen " + reasons[r.ordinal()] + " times");
        }
    }

    /** 0..256 bytes of noise, a quarter of the time not whole dwords. */
    private static ByteBuffer randomBytes(SplittableRandom random) {
        int size = random.nextInt(257);
        byte[] b = new byte[random.nextInt(4) == 0 ? size : size & ~3];
        random.nextBytes(b);
        return ByteBuffer.wrap(b);
    }

    /**
     * 1..8 commands, mostly of valid command, object type and length, else random ones, with
     * handle-like payloads; now and then cut short.
     */
    private static ByteBuffer plausibleCommands(SplittableRandom random) {
        ByteBuffer b = ByteBuffer.allocate(4 * 8 * 40).order(ByteOrder.LITTLE_ENDIAN);
        int commands = 1 + random.nextInt(8);
        for (int c = 0; c < commands; c++) {
            int[] valid = VALID[random.nextInt(VALID.length)];
            int cmd = valid[0];
            int object = valid[1];
            int length = valid[2];
            switch (random.nextInt(12)) {
                case 0 -> cmd = random.nextInt(256);
                case 1 -> object = random.nextInt(256);
                case 2 -> length = random.nextInt(1 << 16);
                case 3 -> length = random.nextInt(25);
                default -> { }
            }
            b.putInt(cmd | (object << 8) | (length << 16));
            for (int i = 0; i < Math.min(length, 38); i++) {
                b.putInt(switch (random.nextInt(8)) {
                    case 0, 1 -> 0;
                    case 2, 3, 4 -> 1 + random.nextInt(4);
                    case 5 -> random.nextInt(10);
                    case 6 -> random.nextInt();
                    default -> random.nextInt(3) - 1 + FLIP;
                });
            }
        }
        b.flip();
        if (random.nextInt(8) == 0 && b.limit() > 0) {
            b.limit(random.nextInt(b.limit()));
        }
        return b;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
