package io.github.virgl4j.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.virgl4j.transport.vtest.VtestCommandId;
import io.github.virgl4j.transport.vtest.VtestDecoder;
import io.github.virgl4j.transport.vtest.VtestInput;
import io.github.virgl4j.transport.vtest.VtestLimits;
import io.github.virgl4j.transport.vtest.VtestProtocol;
import io.github.virgl4j.transport.vtest.VtestProtocolException;
import io.github.virgl4j.transport.vtest.VtestRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target (d): the vtest framing ({@link VtestDecoder}) over a fuzzed client byte stream,
 * at a fixed protocol version (0-3) or negotiating as the server does (PROTOCOL_VERSION sets it),
 * under the default or small limits, with the stream arriving in short reads. The decoder must
 * end cleanly at a frame boundary or throw {@link VtestProtocolException}, nothing else; each
 * frame must consume exactly the bytes its header announces (so the stream stays in step), obey
 * the version and the limits, hold no more data than the frame carried (no amplification), and
 * re-encode to its own bytes (Mesa's layout) or to a frame that decodes to the same request.
 */
class VtestFuzzTest {
    static final FuzzStats STATS = new FuzzStats("vtest");
    /** Mode 0-3: that version from the start; NEGOTIATE: version 0 until PROTOCOL_VERSION. */
    static final int NEGOTIATE = 4;
    static final int MAX_CHUNK = 4096;
    static final VtestLimits SMALL = new VtestLimits(64, 4096, 4096, 1 << 20);
    private static final List<String> OUTCOMES = new ArrayList<>();

    @AfterAll
    static void report() {
        STATS.write();
        if (!FuzzStats.fuzzing()) {
            VtestSeeds.check(OUTCOMES);
        }
    }

    @FuzzTest(maxDuration = FuzzBudget.CI)
    @Timeout(value = FuzzBudget.INPUT_TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
    void stream(FuzzedDataProvider data) {
        STATS.count("inputs");
        int mode = data.consumeInt(0, NEGOTIATE);
        VtestLimits limits = data.consumeBoolean() ? SMALL : VtestLimits.DEFAULT;
        int chunk = data.consumeInt(1, MAX_CHUNK);
        String outcome = run(mode, limits, chunk, data.consumeRemainingAsBytes());
        STATS.count("outcome." + outcome.replaceAll("[0-9]+", "N"));
        if (!FuzzStats.fuzzing()) {
            OUTCOMES.add(outcome);
        }
    }

    /** Decodes the whole stream; returns e.g. "requests=7 end" or "requests=1 BAD_LENGTH". */
    static String run(int mode, VtestLimits limits, int chunk, byte[] stream) {
        Input in = new Input(stream, chunk);
        VtestDecoder d = new VtestDecoder(in, limits);
        int version = mode == NEGOTIATE ? VtestProtocol.VERSION_0 : mode;
        d.setProtocolVersion(version);
        int requests = 0;
        try {
            while (true) {
                int start = in.pos;
                Optional<VtestRequest> r = d.next();
                if (r.isEmpty()) {
                    if (start != stream.length || in.pos != stream.length) {
                        throw new AssertionError("end of stream reported at " + start + " of " + stream.length);
                    }
                    return "requests=" + requests + " end";
                }
                VtestRequest q = r.get();
                check(q, Arrays.copyOfRange(stream, start, in.pos), version, requests == 0, limits);
                if (++requests > stream.length / VtestProtocol.HEADER_BYTES) {
                    throw new AssertionError(requests + " requests from " + stream.length + " bytes");
                }
                if (mode == NEGOTIATE && q instanceof VtestRequest.ProtocolVersion v) {
                    version = VtestProtocol.negotiate(v.version(), VtestProtocol.MAX_VERSION);
                    d.setProtocolVersion(version);
                    STATS.count("negotiated." + version);
                }
                STATS.count("decoded." + q.command());
            }
        } catch (VtestProtocolException e) {
            STATS.count("error." + e.kind());
            return "requests=" + requests + " " + e.kind();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void check(VtestRequest q, byte[] frame, int version, boolean first, VtestLimits limits) {
        VtestCommandId cmd = q.command();
        long length = u32(frame, 0);
        if (u32(frame, 4) != cmd.id() || cmd.sinceVersion() > version
                || first != (cmd == VtestCommandId.CREATE_RENDERER)) {
            throw new AssertionError(q + " from a frame with id " + u32(frame, 4) + " at version " + version
                    + (first ? " as the first frame" : ""));
        }
        long expected = switch (cmd) {
            case CREATE_RENDERER -> length;
            case TRANSFER_PUT -> 4L * VtestProtocol.TRANSFER_DWORDS + u32(frame, 8 + 40);
            case TRANSFER_PUT2 -> 4L * VtestProtocol.TRANSFER2_DWORDS;
            default -> 4 * length;
        };
        if (frame.length != 8 + expected) {
            throw new AssertionError(cmd + " with length " + length + " consumed " + frame.length + " bytes, not "
                    + (8 + expected) + ": the stream is out of step");
        }
        long content = contentBytes(q);
        if (content > frame.length - 8) {
            throw new AssertionError(cmd + " holds " + content + " bytes of data from a " + (frame.length - 8)
                    + "-byte payload");
        }
        if (q instanceof VtestRequest.CreateRenderer c) {
            int end = 8;
            while (end < frame.length && frame[end] != 0) {
                end++;
            }
            if (length > limits.maxNameBytes() || !c.name().equals(new String(frame, 8, end - 8, StandardCharsets.UTF_8))) {
                throw new AssertionError("renderer name " + c.name() + " from " + Arrays.toString(frame));
            }
            return;
        }
        if (q instanceof VtestRequest.SubmitCmd s && 4L * s.dwordCount() > limits.maxCommandBytes()
                || q instanceof VtestRequest.TransferPut t && t.data().length > limits.maxTransferBytes()
                || q instanceof VtestRequest.TransferGet g && g.dataSize() > limits.maxTransferBytes()
                || q instanceof VtestRequest.ResourceCreate2 c && c.dataSize() > limits.maxResourceBytes()
                || q instanceof VtestRequest.ResourceCreateBlob b
                        && Long.compareUnsigned(b.size(), limits.maxResourceBytes()) > 0) {
            throw new AssertionError(q + " is over the limits " + limits);
        }
        byte[] again = VtestFrames.encode(q);
        boolean sameBytes = Arrays.equals(again, frame);
        if (!sameBytes && cmd != VtestCommandId.SUBMIT_CMD2 && cmd != VtestCommandId.TRANSFER_PUT2) {
            throw new AssertionError(q + " re-encodes to other bytes than its frame");
        }
        if (!sameBytes && cmd == VtestCommandId.TRANSFER_PUT2 && !Arrays.equals(again, 4, again.length, frame, 4,
                4 + again.length - 4)) {
            throw new AssertionError(q + ": only the length of TRANSFER_PUT2 may differ");
        }
        if (!sameBytes) {
            VtestRequest twice = decodeOne(again, limits);
            if (!Arrays.equals(VtestFrames.encode(twice), again)) {
                throw new AssertionError(q + " does not survive encode + decode");
            }
        }
    }

    /** Bytes of guest data a request holds (what a frame that lies could make us allocate). */
    private static long contentBytes(VtestRequest q) {
        if (q instanceof VtestRequest.SubmitCmd s) {
            return 4L * s.dwordCount();
        } else if (q instanceof VtestRequest.TransferPut t) {
            return t.data().length;
        } else if (q instanceof VtestRequest.SyncWait w) {
            return 12L * w.points().size();
        } else if (q instanceof VtestRequest.SubmitCmd2 s) {
            long n = 0;
            for (VtestRequest.Batch b : s.batches()) {
                n += 4L * b.commands().length + 12L * b.syncs().size();
            }
            return n;
        }
        return 0;
    }

    private static VtestRequest decodeOne(byte[] frame, VtestLimits limits) {
        byte[] stream = VtestFrames.concat(VtestFrames.encode(new VtestRequest.CreateRenderer("again")), frame);
        VtestDecoder d = new VtestDecoder(VtestInput.of(stream), limits);
        d.setProtocolVersion(VtestProtocol.MAX_VERSION);
        try {
            d.next();
            return d.next().orElseThrow();
        } catch (VtestProtocolException | IOException e) {
            throw new AssertionError("re-encoded frame rejected: " + e, e);
        }
    }

    private static long u32(byte[] b, int at) {
        if (at + 4 > b.length) {
            throw new AssertionError("frame of " + b.length + " bytes has no dword at " + at);
        }
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    /** The client's bytes in reads of at most chunk bytes, counting what the decoder took. */
    private static final class Input implements VtestInput {
        private final byte[] bytes;
        private final int chunk;
        int pos;

        Input(byte[] bytes, int chunk) {
            this.bytes = bytes;
            this.chunk = chunk;
        }

        @Override
        public int read(byte[] buf, int off, int len) {
            if (len <= 0) {
                throw new AssertionError("read of " + len + " bytes");
            }
            if (pos >= bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, chunk), bytes.length - pos);
            System.arraycopy(bytes, pos, buf, off, n);
            pos += n;
            return n;
        }
    }
}
