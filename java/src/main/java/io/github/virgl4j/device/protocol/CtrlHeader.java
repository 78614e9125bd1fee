package io.github.virgl4j.device.protocol;

import java.nio.ByteBuffer;

/**
 * {@code struct virtio_gpu_ctrl_hdr}: the 24-byte header that starts every request and response
 * (virtio spec 1.2 §5.7.6.7). Layout, little-endian: type u32, flags u32, fence_id u64,
 * ctx_id u32, ring_idx u8, padding[3].
 *
 * <p>u32 fields are carried as {@code int} holding the raw bits; {@code ringIdx} is 0..255.
 *
 * @param type     command or response type ({@link GpuCommandType}, {@link GpuResponseType})
 * @param flags    {@link #FLAG_FENCE}, {@link #FLAG_INFO_RING_IDX}
 * @param fenceId  fence id, meaningful when {@link #FLAG_FENCE} is set
 * @param ctxId    3D context id (0 for 2D commands)
 * @param ringIdx  per-context timeline, meaningful when {@link #FLAG_INFO_RING_IDX} is set
 */
public record CtrlHeader(int type, int flags, long fenceId, int ctxId, int ringIdx) {

    /** Wire size of the header. */
    public static final int SIZE = 24;
    /** Respond only after the command completed, echoing the fence id. */
    public static final int FLAG_FENCE = 1;
    /** {@code ring_idx} selects a per-context fence timeline (needs CONTEXT_INIT). */
    public static final int FLAG_INFO_RING_IDX = 2;
    /** All-zero header, used when a request is too short to carry one. */
    public static final CtrlHeader EMPTY = new CtrlHeader(0, 0, 0, 0, 0);

    /** Validates {@code ringIdx}, which is a u8 on the wire. */
    public CtrlHeader {
        if (ringIdx < 0 || ringIdx > 0xff) {
            throw new IllegalArgumentException("ringIdx out of u8 range: " + ringIdx);
        }
    }

    /** A header of the given type with no flags, fence or context. */
    public static CtrlHeader of(int type) {
        return new CtrlHeader(type, 0, 0, 0, 0);
    }

    /** A header with {@link #FLAG_FENCE} set. */
    public static CtrlHeader fenced(int type, long fenceId, int ctxId) {
        return new CtrlHeader(type, FLAG_FENCE, fenceId, ctxId, 0);
    }

    /** True when {@link #FLAG_FENCE} is set. */
    public boolean isFenced() {
        return (flags & FLAG_FENCE) != 0;
    }

    /** True when {@link #FLAG_INFO_RING_IDX} is set. */
    public boolean hasRingIdx() {
        return (flags & FLAG_INFO_RING_IDX) != 0;
    }

    /** Same header with another type (used for the response to this request). */
    public CtrlHeader withType(int newType) {
        return new CtrlHeader(newType, flags, fenceId, ctxId, ringIdx);
    }

    /**
     * Reads the header at {@code buf}'s position (little-endian, whatever the buffer's order),
     * without moving the position. For parsing responses; requests go through
     * {@link GpuCommandDecoder}.
     *
     * @throws IllegalArgumentException if fewer than {@link #SIZE} bytes remain
     */
    public static CtrlHeader decode(ByteBuffer buf) {
        if (buf.remaining() < SIZE) {
            throw new IllegalArgumentException("need " + SIZE + " bytes, have " + buf.remaining());
        }
        return read(buf.slice().order(java.nio.ByteOrder.LITTLE_ENDIAN), 0);
    }

    /**
     * Reads a header at {@code buf}'s absolute index {@code at}; the caller has checked that
     * {@link #SIZE} bytes are present. {@code buf} must be little-endian.
     */
    static CtrlHeader read(ByteBuffer buf, int at) {
        return new CtrlHeader(buf.getInt(at), buf.getInt(at + 4), buf.getLong(at + 8),
                buf.getInt(at + 16), buf.get(at + 20) & 0xff);
    }

    /** Writes this header at the buffer's position (little-endian buffer), padding zeroed. */
    void write(ByteBuffer buf) {
        buf.putInt(type).putInt(flags).putLong(fenceId).putInt(ctxId)
                .put((byte) ringIdx).put((byte) 0).put((byte) 0).put((byte) 0);
    }
}
