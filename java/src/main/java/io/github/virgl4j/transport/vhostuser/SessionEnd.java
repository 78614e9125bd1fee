package io.github.virgl4j.transport.vhostuser;

/**
 * Why a vhost-user session ended, with the process exit status a command-line back end should
 * use (the vhost-user conventions ask back ends to fail loudly rather than leave a guest hung).
 *
 * @param kind   the category
 * @param detail a sentence for the log
 */
public record SessionEnd(Kind kind, String detail) {

    /** Categories, each with an exit status. */
    public enum Kind {
        /** The front end closed the connection (QEMU quit or dropped the device). */
        DISCONNECTED(1),
        /** The front end sent something that cannot be framed or answered; we hung up. */
        PROTOCOL_ERROR(2),
        /** A socket read or write failed. */
        IO_ERROR(3),
        /** A bug or unexpected failure inside the back end; logged with its stack trace. */
        INTERNAL_ERROR(4),
        /** {@link VhostUserGpuBackend#stop()} was called. */
        STOPPED(0);

        private final int exitStatus;

        Kind(int exitStatus) {
            this.exitStatus = exitStatus;
        }

        public int exitStatus() {
            return exitStatus;
        }
    }

    @Override
    public String toString() {
        return kind + ": " + detail;
    }
}
