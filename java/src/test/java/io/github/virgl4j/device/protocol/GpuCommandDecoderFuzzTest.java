package io.github.virgl4j.device.protocol;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated requests must never make the decoder throw; errors must be one of the two
 * structural codes; anything decoded must re-encode to something that decodes to the same value.
 */
class GpuCommandDecoderFuzzTest {

    private static final int ITERATIONS = 100_000;

    @Test
    void randomAndMutatedRequestsNeverThrow() {
        Random rnd = new Random(0x5eed);
        List<GpuCommand> samples = SampleCommands.all();
        int decoded = 0;
        int errors = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = (i % 4 == 0) ? randomBytes(rnd) : mutate(rnd, samples);
            ByteBuffer buf = ByteBuffer.wrap(input);
            DecodeResult r;
            try {
                r = GpuCommandDecoder.decodeStrict(buf);
            } catch (RuntimeException e) {
                throw new AssertionError("iteration " + i + " threw on " + hex(input), e);
            }
            assertNotNull(r);
            if (r instanceof DecodeError e) {
                errors++;
                int code = e.response().code();
                assertTrue(code == GpuResponseType.ERR_UNSPEC || code == GpuResponseType.ERR_INVALID_PARAMETER);
            } else {
                decoded++;
                GpuCommand c = ((DecodeResult.Decoded) r).command();
                DecodeResult again = GpuCommandDecoder.decodeStrict(GpuCommandEncoder.encode(c));
                assertEquals(c, ((DecodeResult.Decoded) again).command());
            }
        }
        assertEquals(ITERATIONS, decoded + errors);
        assertTrue(decoded > ITERATIONS / 10, "mutations should often stay valid: " + decoded);
        assertTrue(errors > ITERATIONS / 10, "mutations should often break: " + errors);
    }

    private static byte[] randomBytes(Random rnd) {
        byte[] b = new byte[rnd.nextInt(200)];
        rnd.nextBytes(b);
        if (b.length >= 4 && rnd.nextBoolean()) {
            // Steer half of them to a known type so the per-command paths get exercised.
            int[] types = {0x100, 0x106, 0x10c, 0x200, 0x207, 0x300};
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, types[rnd.nextInt(types.length)]);
        }
        return b;
    }

    private static byte[] mutate(Random rnd, List<GpuCommand> samples) {
        ByteBuffer enc = GpuCommandEncoder.encode(samples.get(rnd.nextInt(samples.size())));
        byte[] b = new byte[enc.remaining()];
        enc.get(b);
        switch (rnd.nextInt(5)) {
            case 0: // flip random bytes
                for (int k = rnd.nextInt(4) + 1; k > 0; k--) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
                return b;
            case 1: // truncate
                return java.util.Arrays.copyOf(b, rnd.nextInt(b.length + 1));
            case 2: // extend with junk
                byte[] longer = java.util.Arrays.copyOf(b, b.length + rnd.nextInt(64));
                return longer;
            case 3: { // hostile count/size fields at the usual offsets
                ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                int[] offsets = {24, 28, 36};
                int at = offsets[rnd.nextInt(offsets.length)];
                int[] values = {-1, Integer.MIN_VALUE, 16384, 16385, 1 << 28, rnd.nextInt()};
                if (at + 4 <= b.length) {
                    w.putInt(at, values[rnd.nextInt(values.length)]);
                }
                return b;
            }
            default: // valid, untouched
                return b;
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }
}
