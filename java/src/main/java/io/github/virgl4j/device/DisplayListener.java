package io.github.virgl4j.device;

/**
 * Receives what the guest shows: a {@link Frame} for each RESOURCE_FLUSH, SET_SCANOUT and
 * SET_SCANOUT_BLOB of a visible scanout, and cursor changes. Called on the thread that
 * processes the command; keep it short or hand the frame off.
 */
public interface DisplayListener {
    DisplayListener NONE = new DisplayListener() {
    };

    default void onFrame(Frame frame) {
    }

    /** A scanout was disabled (SET_SCANOUT with resource 0). */
    default void onScanoutDisabled(int scanoutId) {
    }

    default void onCursor(CursorState cursor) {
    }
}
