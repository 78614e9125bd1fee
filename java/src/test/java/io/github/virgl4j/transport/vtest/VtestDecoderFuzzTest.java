package io.github.virgl4j.transport.vtest;

import static org.junit.jupiter.api.Assertions.*;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random streams must end cleanly or in a typed VtestProtocolException, never anything else. */
class VtestDecoderFuzzTest {

    @Test
    void randomBytesOnlyEverFailWithTheTypedError() {
        Random random = new Random(0x7e57);
        VtestLimits limits = new VtestLimits(4096, 1 << 20, 1 << 20, 1L << 30);
        Map<VtestProtocolException.Kind, Integer> seen = new EnumMap<>(VtestProtocolException.Kind.class);
        int decoded = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] stream = stream(random);
            VtestDecoder d = new VtestDecoder(VtestInput.of(stream), limits);
            d.setProtocolVersion(random.nextInt(4));
            try {
                while (d.next().isPresent()) {
                    decoded++;
                }
            } catch (VtestProtocolException e) {
                seen.merge(e.kind(), 1, Integer::sum);
            } catch (Throwable t) {
                fail("iteration " + i + " threw " + t, t);
            }
        }
        assertTrue(decoded > 10_000, "plausible frames decoded: " + decoded);
        assertTrue(seen.keySet().size() >= 6, "error kinds seen: " + seen);
    }

    /** Half pure noise; half a valid CREATE_RENDERER then frames with small plausible headers. */
    private static byte[] stream(Random random) {
        if (random.nextBoolean()) {
            byte[] b = new byte[random.nextInt(200)];
            random.nextBytes(b);
            return b;
        }
        Frames f = Frames.withRenderer();
        int frames = random.nextInt(6);
        for (int i = 0; i < frames; i++) {
            int id = random.nextInt(27);
            int length = random.nextInt(8) == 0 ? random.nextInt() : random.nextInt(20);
            int[] payload = new int[random.nextInt(20)];
            for (int j = 0; j < payload.length; j++) {
                payload[j] = random.nextInt(4) == 0 ? random.nextInt() : random.nextInt(16);
            }
            f.frame(length, id, payload);
        }
        return f.build();
    }
}
