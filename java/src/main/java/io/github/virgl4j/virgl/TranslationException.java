package io.github.virgl4j.virgl;

/**
 * A guest's virgl command stream that {@link VirglStreamTranslator} refuses to pass on. Nothing of
 * the stream may be submitted then: the device answers the SUBMIT_3D with an error
 * ({@code ERR_INVALID_RESOURCE_ID} for {@link Reason#UNKNOWN_RESOURCE}, {@code ERR_INVALID_PARAMETER}
 * for the rest, as it sees fit).
 */
public final class TranslationException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the stream was refused. */
    public enum Reason {
        /** The byte count is not a whole number of dwords. */
        NOT_WHOLE_DWORDS,
        /** A command's length runs past the end of the stream. */
        TRUNCATED,
        /** A command (or object type) this translator has no layout for. */
        UNKNOWN_COMMAND,
        /** A command whose length does not fit its layout. */
        BAD_LENGTH,
        /** A resource handle the guest does not own. */
        UNKNOWN_RESOURCE,
    }

    private final Reason reason;
    private final int commandIndex;
    private final int dwordOffset;
    private final int command;
    private final int guestHandle;

    TranslationException(Reason reason, int commandIndex, int dwordOffset, int command, String commandName,
                         int guestHandle, String detail) {
        super(message(commandIndex, dwordOffset, commandName, detail));
        this.reason = reason;
        this.commandIndex = commandIndex;
        this.dwordOffset = dwordOffset;
        this.command = command;
        this.guestHandle = guestHandle;
    }

    private static String message(int commandIndex, int dwordOffset, String commandName, String detail) {
        if (commandName == null) {
            return "virgl stream at dword " + dwordOffset + ": " + detail;
        }
        return "virgl command #" + commandIndex + " " + commandName + " at dword " + dwordOffset + ": " + detail;
    }

    public Reason reason() {
        return reason;
    }

    /** Index of the refused command in the stream (0 for the first), or -1 when no command is to blame. */
    public int commandIndex() {
        return commandIndex;
    }

    /**
     * Dword offset in the stream of the offending dword: the handle for {@link Reason#UNKNOWN_RESOURCE},
     * else the command's header (or, for {@link Reason#NOT_WHOLE_DWORDS}, the partial dword at the end).
     */
    public int dwordOffset() {
        return dwordOffset;
    }

    /** The command number (header bits 0-7), or -1 when no command is to blame. */
    public int command() {
        return command;
    }

    /** The guest handle that was refused, for {@link Reason#UNKNOWN_RESOURCE}; else 0. */
    public int guestHandle() {
        return guestHandle;
    }
}
