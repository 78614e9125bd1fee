package io.github.virgl4j.virgl;

/**
 * What one kind of virgl command looks like: which payload lengths are valid and which payload
 * dwords are resource handles. The kinds of layout are in {@link Layouts}; the tables that use them
 * are {@link ContextCommandLayouts} and {@link ObjectLayouts}.
 */
interface CommandLayout {
    /**
     * Checks the command's payload length against this layout, then rewrites its resource handles.
     *
     * @throws TranslationException on a length that does not fit, or a handle the guest does not own
     */
    void apply(CommandPayload command) throws TranslationException;
}
