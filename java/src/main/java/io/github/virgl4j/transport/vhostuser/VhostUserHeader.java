package io.github.virgl4j.transport.vhostuser;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 12-byte header of every vhost-user message: request (u32), flags (u32: version in bits
 * 0-1, REPLY bit 2, NEED_REPLY bit 3) and payload size (u32). The same layout frames the
 * vhost-user-gpu display protocol.
 *
 * @param request the request code (raw u32 bits)
 * @param flags   the flags word
 * @param size    payload size in bytes (raw u32 bits; compare unsigned)
 */
public record VhostUserHeader(int request, int flags, int size) {
    /** Header size on the wire. */
    public static final int SIZE = 12;
    /** The only protocol version. */
    public static final int VERSION = 1;
    /** Mask of the version bits. */
    public static final int VERSION_MASK = 0x3;
    /** Set on every reply. */
    public static final int FLAG_REPLY = 1 << 2;
    /** The front end wants an ack (REPLY_ACK protocol feature). */
    public static final int FLAG_NEED_REPLY = 1 << 3;

    /** Reads a header from the first 12 bytes of {@code b} (absolute, host order). */
    public static VhostUserHeader read(ByteBuffer b) {
        ByteBuffer o = b.duplicate().order(ByteOrder.nativeOrder());
        return new VhostUserHeader(o.getInt(0), o.getInt(4), o.getInt(8));
    }

    /** Payload size as an unsigned number. */
    public long unsignedSize() {
        return Integer.toUnsignedLong(size);
    }

    public int version() {
        return flags & VERSION_MASK;
    }

    public boolean needsReply() {
        return (flags & FLAG_NEED_REPLY) != 0;
    }

    public boolean isReply() {
        return (flags & FLAG_REPLY) != 0;
    }

    /** Header followed by the payload's remaining bytes, host order, ready to send. */
    public static ByteBuffer message(int request, int flags, ByteBuffer payload) {
        int n = payload == null ? 0 : payload.remaining();
        ByteBuffer out = ByteBuffer.allocateDirect(SIZE + n).order(ByteOrder.nativeOrder());
        out.putInt(request).putInt(flags).putInt(n);
        if (payload != null) {
            out.put(payload.duplicate());
        }
        return out.flip();
    }
}
