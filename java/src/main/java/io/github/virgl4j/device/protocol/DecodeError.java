package io.github.virgl4j.device.protocol;

import java.util.Objects;

/**
 * A request that could not be decoded. Send {@code response.encode(header)} back to the guest.
 *
 * @param header   the request header if at least 24 bytes were present, else
 *                 {@link CtrlHeader#EMPTY}; used for the fence/ctx echo
 * @param response the error to answer with (ERR_UNSPEC or ERR_INVALID_PARAMETER)
 * @param reason   a short human-readable explanation for logs
 */
public record DecodeError(CtrlHeader header, GpuResponse.Err response, String reason)
        implements DecodeResult {

    /** Requires all components. */
    public DecodeError {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(reason, "reason");
    }
}
