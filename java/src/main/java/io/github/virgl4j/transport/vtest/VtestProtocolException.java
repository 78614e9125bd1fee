package io.github.virgl4j.transport.vtest;

/**
 * A client broke the vtest protocol. The stream is unusable afterwards (the decoder may have
 * stopped mid-frame): the server should drop the connection, as virgl_test_server does.
 */
public final class VtestProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** The stream ended inside a frame. */
        TRUNCATED,
        /** The command id is not a vtest command. */
        UNKNOWN_COMMAND,
        /** The first frame was not CREATE_RENDERER. */
        RENDERER_NOT_CREATED,
        /** CREATE_RENDERER after the first frame. */
        UNEXPECTED_COMMAND,
        /** The command needs a higher protocol version than the one negotiated. */
        NOT_IN_PROTOCOL_VERSION,
        /** The length field does not match what the command carries. */
        BAD_LENGTH,
        /** A length or size exceeds {@link VtestLimits}. */
        TOO_LARGE,
        /** A field is out of range (offsets outside the payload, ring index, ...). */
        BAD_FIELD
    }

    private final Kind kind;
    private final int commandId;

    public VtestProtocolException(Kind kind, int commandId, String message) {
        super(kind + " (command " + Integer.toUnsignedString(commandId) + "): " + message);
        this.kind = kind;
        this.commandId = commandId;
    }

    public Kind kind() {
        return kind;
    }

    /** The raw command id of the offending frame (0 if none was read). */
    public int commandId() {
        return commandId;
    }
}
