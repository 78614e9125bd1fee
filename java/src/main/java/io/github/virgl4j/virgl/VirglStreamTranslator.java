package io.github.virgl4j.virgl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * Rewrites the resource handles inside a guest's virgl command stream (the payload of a
 * virtio-gpu SUBMIT_3D for a virgl context) from the guest's ids to the renderer's.
 *
 * <p>virglrenderer has one resource handle space per process, shared by every guest, and guests
 * name resources inside their command streams by handle. When a guest's resource could not get its
 * own id as renderer handle, the device gives it another, and every stream of that guest must be
 * translated before virglrenderer sees it:
 *
 * <pre>{@code
 * ByteBuffer forRenderer = VirglStreamTranslator.translate(guestStream,
 *         guestId -> resources.containsKey(guestId) ? resources.get(guestId).rendererHandle() : -1);
 * session.submit(ctx, forRenderer);
 * }</pre>
 *
 * <p>The stream is walked command by command (header {@code cmd | object << 8 | length << 16},
 * length in dwords without the header, little-endian). Every command is checked against its layout
 * from virgl_protocol.h; its resource-handle dwords are rewritten, everything else is copied as is.
 * Handle 0 ("no resource") stays 0. The stream is refused, as a whole, with a
 * {@link TranslationException} when a command names a resource the guest does not own, when a
 * command is unknown (including the object types and commands the renderer itself refuses), when
 * its length does not fit its layout, when it runs past the end, or when the stream is not whole
 * dwords: bytes whose meaning we cannot vouch for are never passed on. Nothing else is thrown for
 * any stream content, and nothing is allocated from a length read out of the stream.
 *
 * <p>Handles of per-context objects (surfaces, sampler views, queries, shaders...) and sub-context
 * ids are the guest's own context's and are not touched. The stream is that of a virgl context
 * (capset VIRGL or VIRGL2); Venus and DRM-native contexts speak other protocols.
 */
public final class VirglStreamTranslator {
    private VirglStreamTranslator() {
    }

    /**
     * Returns a translated copy of {@code stream}'s remaining bytes: a new little-endian direct
     * buffer, position 0, limit the same byte count. {@code stream}'s position, limit and order are
     * left alone.
     *
     * @param stream          the guest's virgl commands (any byte order; read as little-endian)
     * @param guestToRenderer the renderer handle of a guest resource handle, or -1 when the guest
     *                        owns no such resource (0 is refused too: it would mean "no resource").
     *                        Guest handles are unsigned 32-bit values passed as their int bits.
     * @throws TranslationException when the stream must not be submitted
     * @throws NullPointerException   when an argument is null; exceptions of {@code guestToRenderer}
     *                                pass through
     */
    public static ByteBuffer translate(ByteBuffer stream, IntUnaryOperator guestToRenderer)
            throws TranslationException {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(guestToRenderer, "guestToRenderer");
        int bytes = stream.remaining();
        if (bytes % 4 != 0) {
            throw new TranslationException(TranslationException.Reason.NOT_WHOLE_DWORDS, -1, bytes / 4, -1, null, 0,
                    bytes + " bytes are not whole dwords");
        }
        ByteBuffer out = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        out.put(stream.duplicate()).clear();

        int total = bytes / 4;
        CommandPayload command = new CommandPayload(out, guestToRenderer);
        int offset = 0;
        for (int index = 0; offset < total; index++) {
            int header = out.getInt(offset * 4);
            int length = header >>> 16;
            command.moveTo(index, offset, header, length);
            if (length > total - offset - 1) {
                throw new TranslationException(TranslationException.Reason.TRUNCATED, index, offset,
                        command.command(), Ccmd.name(command.command(), command.objectType()), 0,
                        "payload of " + length + " dwords runs past the end of the stream ("
                                + (total - offset - 1) + " left)");
            }
            CommandLayout layout = ContextCommandLayouts.forCommand(command.command());
            if (layout == null) {
                throw command.unknown("no layout for this command");
            }
            layout.apply(command);
            offset += length + 1;
        }
        return out;
    }
}
