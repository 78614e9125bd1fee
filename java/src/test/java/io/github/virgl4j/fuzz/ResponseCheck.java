package io.github.virgl4j.fuzz;

import static io.github.virgl4j.device.protocol.GpuResponseType.*;

import io.github.virgl4j.device.protocol.CtrlHeader;
import io.github.virgl4j.device.protocol.GpuCommandType;
import io.github.virgl4j.device.protocol.GpuResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;

/**
 * What every response to any request must be: a well-formed virtio-gpu response of one of the
 * spec's types and exact size, the right OK type for the command, the request's ctx_id, fence
 * and ring echoed (spec 5.7.6.7). Violations throw AssertionError, which Jazzer reports.
 */
final class ResponseCheck {
    private ResponseCheck() {
    }

    static final Set<Integer> VALID = Set.of(OK_NODATA, OK_DISPLAY_INFO, OK_CAPSET_INFO, OK_CAPSET, OK_EDID,
            OK_RESOURCE_UUID, OK_MAP_INFO, ERR_UNSPEC, ERR_OUT_OF_MEMORY, ERR_INVALID_SCANOUT_ID,
            ERR_INVALID_RESOURCE_ID, ERR_INVALID_CONTEXT_ID, ERR_INVALID_PARAMETER);

    static GpuResponse check(byte[] request, ByteBuffer response) {
        if (response == null) {
            throw new AssertionError("no response");
        }
        ByteBuffer b = response.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        GpuResponse r;
        try {
            r = GpuResponse.decode(b);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("malformed response: " + e.getMessage(), e);
        }
        if (!VALID.contains(r.type())) {
            throw new AssertionError(String.format("response type 0x%x is not a virtio-gpu response", r.type()));
        }
        if (b.remaining() != r.encodedSize()) {
            throw new AssertionError("response of " + b.remaining() + " bytes, its type has " + r.encodedSize());
        }
        CtrlHeader got = CtrlHeader.decode(b);
        CtrlHeader req = request.length >= CtrlHeader.SIZE ? CtrlHeader.decode(ByteBuffer.wrap(request))
                : CtrlHeader.EMPTY;
        if (r.isOk() && r.type() != okType(req.type())) {
            throw new AssertionError(String.format("%s answered with 0x%x", GpuCommandType.name(req.type()), r.type()));
        }
        if (got.ctxId() != req.ctxId() || got.isFenced() != req.isFenced()
                || req.isFenced() && got.fenceId() != req.fenceId()
                || got.hasRingIdx() != req.hasRingIdx() || req.hasRingIdx() && got.ringIdx() != req.ringIdx()) {
            throw new AssertionError("response header " + got + " does not echo request header " + req);
        }
        return r;
    }

    /** The only OK type a command may get; -1 for types that never succeed. */
    static int okType(int commandType) {
        if (GpuCommandType.requestSize(commandType) < 0) {
            return -1;
        }
        return switch (commandType) {
            case GpuCommandType.GET_DISPLAY_INFO -> OK_DISPLAY_INFO;
            case GpuCommandType.GET_CAPSET_INFO -> OK_CAPSET_INFO;
            case GpuCommandType.GET_CAPSET -> OK_CAPSET;
            case GpuCommandType.GET_EDID -> OK_EDID;
            case GpuCommandType.RESOURCE_ASSIGN_UUID -> OK_RESOURCE_UUID;
            case GpuCommandType.RESOURCE_MAP_BLOB -> OK_MAP_INFO;
            default -> OK_NODATA;
        };
    }

    /** A short name for a response type, for reports. */
    static String name(int type) {
        return switch (type) {
            case OK_NODATA -> "OK_NODATA";
            case OK_DISPLAY_INFO -> "OK_DISPLAY_INFO";
            case OK_CAPSET_INFO -> "OK_CAPSET_INFO";
            case OK_CAPSET -> "OK_CAPSET";
            case OK_EDID -> "OK_EDID";
            case OK_RESOURCE_UUID -> "OK_RESOURCE_UUID";
            case OK_MAP_INFO -> "OK_MAP_INFO";
            case ERR_UNSPEC -> "ERR_UNSPEC";
            case ERR_OUT_OF_MEMORY -> "ERR_OUT_OF_MEMORY";
            case ERR_INVALID_SCANOUT_ID -> "ERR_INVALID_SCANOUT_ID";
            case ERR_INVALID_RESOURCE_ID -> "ERR_INVALID_RESOURCE_ID";
            case ERR_INVALID_CONTEXT_ID -> "ERR_INVALID_CONTEXT_ID";
            case ERR_INVALID_PARAMETER -> "ERR_INVALID_PARAMETER";
            default -> String.format("0x%x", type);
        };
    }
}
