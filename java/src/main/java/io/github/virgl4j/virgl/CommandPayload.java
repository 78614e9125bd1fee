package io.github.virgl4j.virgl;

import java.nio.ByteBuffer;
import java.util.function.IntUnaryOperator;

/**
 * One command of the stream being translated, in the output copy: its payload dwords (numbered from
 * 1 as in virgl_protocol.h, the header being dword 0) can be read and its resource handles rewritten
 * in place. Layouts only ever index below {@link #length()}, which the walker has bounded by the
 * stream's end.
 */
final class CommandPayload {
    private final ByteBuffer out;
    private final IntUnaryOperator guestToRenderer;
    private int header;
    private int base;
    private int length;
    private int index;

    CommandPayload(ByteBuffer out, IntUnaryOperator guestToRenderer) {
        this.out = out;
        this.guestToRenderer = guestToRenderer;
    }

    /** Moves to the command whose header is at dword {@code base}; its payload is {@code length} dwords. */
    void moveTo(int index, int base, int header, int length) {
        this.index = index;
        this.base = base;
        this.header = header;
        this.length = length;
    }

    int command() {
        return header & 0xff;
    }

    int objectType() {
        return (header >>> 8) & 0xff;
    }

    /** Payload length in dwords (header excluded). */
    int length() {
        return length;
    }

    /** Payload dword {@code i}, 1 ≤ i ≤ length. */
    int dword(int i) {
        return out.getInt((base + i) * 4);
    }

    /**
     * Rewrites payload dword {@code i} from a guest resource handle to the renderer's. 0 ("no
     * resource") stays 0; a handle the guest does not own is refused.
     */
    void rewriteHandle(int i) throws TranslationException {
        int guest = dword(i);
        if (guest == 0) {
            return;
        }
        int renderer = guestToRenderer.applyAsInt(guest);
        if (renderer == -1 || renderer == 0) {
            throw reject(TranslationException.Reason.UNKNOWN_RESOURCE, base + i, guest,
                    "resource " + Integer.toUnsignedString(guest) + " (payload dword " + i + ") is not the guest's");
        }
        out.putInt((base + i) * 4, renderer);
    }

    /** A {@link TranslationException.Reason#BAD_LENGTH} naming what the layout expected. */
    TranslationException badLength(String expected) {
        return reject(TranslationException.Reason.BAD_LENGTH, base, 0,
                "payload of " + length + " dwords, expected " + expected);
    }

    /** A {@link TranslationException.Reason#UNKNOWN_COMMAND} for this command. */
    TranslationException unknown(String why) {
        return reject(TranslationException.Reason.UNKNOWN_COMMAND, base, 0, why);
    }

    private TranslationException reject(TranslationException.Reason reason, int offset, int guestHandle,
                                        String detail) {
        return new TranslationException(reason, index, offset, command(), Ccmd.name(command(), objectType()),
                guestHandle, detail);
    }
}
