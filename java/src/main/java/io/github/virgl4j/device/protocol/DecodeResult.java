package io.github.virgl4j.device.protocol;

/**
 * Outcome of {@link GpuCommandDecoder#decode}: either {@link Decoded} or {@link DecodeError}.
 * Test with {@code instanceof}.
 */
public sealed interface DecodeResult permits DecodeResult.Decoded, DecodeError {

    /** The header to echo in the response (best effort for errors). */
    CtrlHeader header();

    /** A well-formed request. Field values are not yet checked against device state. */
    record Decoded(GpuCommand command) implements DecodeResult {
        /** Requires a command. */
        public Decoded {
            java.util.Objects.requireNonNull(command, "command");
        }

        @Override
        public CtrlHeader header() {
            return command.header();
        }
    }
}
