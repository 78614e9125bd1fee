package io.github.virgl4j.transport.vhostuser;

/** Internal: unwinds the message loop when the session must end. */
final class SessionEndException extends Exception {
    private static final long serialVersionUID = 1L;
    final transient SessionEnd end;

    SessionEndException(SessionEnd.Kind kind, String detail) {
        super(detail, null, false, false);
        this.end = new SessionEnd(kind, detail);
    }
}
