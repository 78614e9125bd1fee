package io.github.virgl4j.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.DecodeError;
import io.github.virgl4j.device.protocol.DecodeResult;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuCommandDecoder;
import io.github.virgl4j.device.protocol.GpuCommandEncoder;
import io.github.virgl4j.device.protocol.GpuCommandType;
import io.github.virgl4j.device.protocol.GpuResponseType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target (c): {@link GpuCommandDecoder} alone, on any bytes in any kind of buffer (heap,
 * direct, read-only, an offset slice in big-endian order). It must never throw, nor reach its
 * safety net ("decoder failure"), nor touch the buffer's position, limit or order; errors are
 * ERR_UNSPEC or ERR_INVALID_PARAMETER with the request's header; decoded commands re-encode to
 * requests that decode to the same command.
 */
class DecoderFuzzTest {
    static final FuzzStats STATS = new FuzzStats("decoder");
    /** Buffer shapes: heap, direct, read-only, offset slice in big-endian order. */
    static final int SHAPES = 4;

    @AfterAll
    static void report() {
        STATS.write();
        if (!FuzzStats.fuzzing() && STATS.get("decoded") < DecoderSeeds.inputs().size()) {
            throw new AssertionError("some decoder seeds did not decode: " + STATS.get("decoded"));
        }
    }

    @FuzzTest(maxDuration = FuzzBudget.CI)
    @Timeout(value = FuzzBudget.INPUT_TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
    void decode(FuzzedDataProvider data) {
        STATS.count("inputs");
        int shape = data.consumeInt(0, SHAPES - 1);
        byte[] request = data.consumeRemainingAsBytes();
        ByteBuffer buf = wrap(shape, request);
        int position = buf.position();
        int limit = buf.limit();
        ByteOrder order = buf.order();

        DecodeResult r = GpuCommandDecoder.decode(buf);

        if (r == null || buf.position() != position || buf.limit() != limit || buf.order() != order) {
            throw new AssertionError("decode returned " + r + " or moved the buffer");
        }
        CtrlHeader header = request.length >= CtrlHeader.SIZE ? CtrlHeader.decode(ByteBuffer.wrap(request))
                : CtrlHeader.EMPTY;
        if (!r.header().equals(header)) {
            throw new AssertionError("header " + r.header() + ", request has " + header);
        }
        if (r instanceof DecodeError e) {
            int code = e.response().code();
            if (e.reason().startsWith("decoder failure") || code != GpuResponseType.ERR_UNSPEC
                    && code != GpuResponseType.ERR_INVALID_PARAMETER) {
                throw new AssertionError("decoder error " + e);
            }
            STATS.count("error." + ResponseCheck.name(code));
            return;
        }
        GpuCommand c = ((DecodeResult.Decoded) r).command();
        if (c.commandType() != header.type()) {
            throw new AssertionError(c + " decoded from type " + GpuCommandType.name(header.type()));
        }
        ByteBuffer again = GpuCommandEncoder.encode(c);
        if (again.remaining() > request.length) {
            throw new AssertionError(c + " re-encodes to more bytes than the request had");
        }
        DecodeResult twice = GpuCommandDecoder.decode(again);
        if (!(twice instanceof DecodeResult.Decoded d) || !d.command().equals(c)) {
            throw new AssertionError(c + " does not survive encode + decode: " + twice);
        }
        STATS.count("decoded");
        STATS.count("decoded." + GpuCommandType.name(c.commandType()));
    }

    static ByteBuffer wrap(int shape, byte[] request) {
        switch (shape) {
            case 0:
                return ByteBuffer.wrap(request);
            case 1:
                return ByteBuffer.allocateDirect(request.length).put(request).flip();
            case 2:
                return ByteBuffer.wrap(request).asReadOnlyBuffer();
            default: {
                ByteBuffer b = ByteBuffer.allocate(request.length + 16).order(ByteOrder.BIG_ENDIAN);
                b.position(7).put(request).limit(7 + request.length).position(7);
                return b;
            }
        }
    }
}
