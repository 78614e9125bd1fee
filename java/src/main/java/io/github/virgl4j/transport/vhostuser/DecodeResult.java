package io.github.virgl4j.transport.vhostuser;

/** What {@link VhostUserDecoder} made of one framed message. */
public sealed interface DecodeResult {

    /** Why a message was refused. */
    enum Reason {
        /** Flags do not carry version 1, or a reply bit is set on a request. */
        BAD_FLAGS,
        /** The request code is not one this back end serves. */
        UNKNOWN_REQUEST,
        /** The payload is not the size the request needs. */
        BAD_SIZE,
        /** A file descriptor the request needs is missing. */
        MISSING_FD,
        /** A field holds a value the protocol does not allow. */
        BAD_VALUE
    }

    /** A well-formed message. */
    record Ok(VhostUserMessage message) implements DecodeResult {
    }

    /**
     * A refused message; every descriptor that came with it is already closed.
     *
     * @param code the raw request code
     */
    record Rejected(int code, Reason reason, String detail) implements DecodeResult {
        @Override
        public String toString() {
            return "request " + code + " rejected (" + reason + "): " + detail;
        }
    }
}
