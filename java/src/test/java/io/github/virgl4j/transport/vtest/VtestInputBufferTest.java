package io.github.virgl4j.transport.vtest;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The non-blocking receive path as a session drives it (fill, decode what is complete, rewind
 * a partial frame), over a real socket: SUBMIT_CMD payloads are lent from the native receive
 * buffer and hold exactly the bytes sent, however the stream is cut into reads and however often
 * the buffer compacts or grows.
 */
class VtestInputBufferTest {
    private static final int SUBMIT_CMD = 6;

    @TempDir
    Path dir;

    /** Submit sizes in dwords: small, large, one spanning several fills, the 1-dword edge. */
    private static final int[] SIZES = {3, 5000, 20_000, 1, 40_000, 17, 70_000, 2};

    private static int word(int submit, int i) {
        return submit * 1_000_003 + i;
    }

    private static byte[] stream(boolean oddName) {
        // An odd-length CREATE_RENDERER name leaves every later frame off dword alignment.
        Frames f = oddName ? Frames.start().frame(3, 8).bytes("ab\0".getBytes()) : Frames.withRenderer();
        for (int s = 0; s < SIZES.length; s++) {
            int[] payload = new int[SIZES[s]];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = word(s, i);
            }
            f.frame(SIZES[s], SUBMIT_CMD, payload);
        }
        return f.build();
    }

    @Test
    void lentSubmitsHoldWhatWasSentAcrossCutsCompactionAndGrowth() throws Exception {
        for (boolean odd : new boolean[] {false, true}) {
            List<int[]> submits = serve(stream(odd), new Random(odd ? 7 : 3));
            assertEquals(SIZES.length, submits.size(), "odd name: " + odd);
            for (int s = 0; s < SIZES.length; s++) {
                int[] got = submits.get(s);
                assertEquals(SIZES[s], got.length);
                for (int i = 0; i < got.length; i++) {
                    if (got[i] != word(s, i)) {
                        fail("submit " + s + " dword " + i + ": " + got[i] + " (odd name: " + odd + ")");
                    }
                }
            }
        }
    }

    @Test
    void aSubmitCutShortByTheStreamEndIsTruncatedNotLent() throws Exception {
        byte[] whole = Frames.withRenderer().frame(100, SUBMIT_CMD).dwords(new int[10]).build();
        VtestProtocolException e = assertThrows(VtestProtocolException.class, () -> serve(whole, new Random(1)));
        assertEquals(VtestProtocolException.Kind.TRUNCATED, e.kind());
    }

    /** Sends bytes in random cuts from another thread; returns each SUBMIT_CMD's dwords, read while lent. */
    private List<int[]> serve(byte[] bytes, Random cuts) throws Exception {
        Path path = dir.resolve("input-" + cuts.nextInt(1 << 20) + ".sock");
        List<int[]> submits = new ArrayList<>();
        try (VtestListener listener = VtestListener.listen(path);
             VtestSocket client = VtestSocket.connect(path);
             VtestSocket server = listener.accept()) {
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    for (int at = 0; at < bytes.length; ) {
                        int n = Math.min(bytes.length - at, 1 + cuts.nextInt(30_000));
                        byte[] piece = java.util.Arrays.copyOfRange(bytes, at, at + n);
                        client.write(piece);
                        at += n;
                    }
                    client.shutdown();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            VtestInputBuffer input = new VtestInputBuffer();
            VtestDecoder decoder = new VtestDecoder(input);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                int n = input.fill(server, 64 * 1024);
                if (n == 0) {
                    Thread.onSpinWait();
                    continue;
                }
                while (input.ready()) {
                    Optional<VtestRequest> next;
                    try {
                        next = decoder.next();
                    } catch (VtestInputBuffer.Incomplete partial) {
                        input.rewind(partial);
                        break;
                    }
                    input.commit();
                    if (next.isEmpty()) {
                        sender.get(10, TimeUnit.SECONDS);
                        return submits;
                    }
                    if (next.get() instanceof VtestRequest.SubmitCmd s) {
                        assertTrue(s.commands().isDirect(), "lent from the native receive buffer, not copied");
                        int[] dwords = new int[s.dwordCount()];
                        s.commands().duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(dwords);
                        submits.add(dwords);
                    }
                }
            }
            fail("the stream did not end in time");
            return null;
        }
    }

    @Test
    void aPlainInputDoesNotLendSoTheDecoderCopies() throws Exception {
        assertNull(VtestInput.of(new byte[8]).lend(4));
        VtestDecoder d = Frames.withRenderer().frame(2, SUBMIT_CMD, 5, 6).decoder(0);
        d.next().orElseThrow();
        VtestRequest.SubmitCmd s = (VtestRequest.SubmitCmd) d.next().orElseThrow();
        assertFalse(s.commands().isDirect());
        assertEquals(VtestRequest.SubmitCmd.of(5, 6), s);
    }
}
