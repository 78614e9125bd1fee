package io.github.virgl4j.device.memory;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The guest's physical memory as seen by the device. Every method checks the whole range first
 * (unsigned, overflow-safe) and throws {@link GuestMemoryException} without touching memory
 * when any byte lies outside guest memory. Implementations are thread-safe.
 *
 * <p>Returned buffers are little-endian views that share memory with the guest: the guest may
 * change the bytes at any time, so read each value once and validate the copy.
 */
public interface GuestMemory {

    /**
     * A view of {@code length} bytes at {@code guestAddr}, which must lie inside one region.
     *
     * @throws GuestMemoryException if the range is outside guest memory or spans two regions
     * @throws IllegalArgumentException if {@code length} is negative
     */
    ByteBuffer slice(long guestAddr, int length);

    /**
     * Views covering {@code length} bytes at {@code guestAddr}, one per region crossed (adjacent
     * regions are joined); empty for length 0 at a valid address.
     *
     * @throws GuestMemoryException if any byte is outside guest memory
     */
    List<ByteBuffer> gather(long guestAddr, long length);

    /**
     * Native address of {@code guestAddr}, when the {@code length} bytes from it lie in one
     * region with a known host address.
     *
     * @throws GuestMemoryException if the range is outside memory, spans regions, or its region
     *                              has {@link MemoryRegion#UNKNOWN_HOST_ADDRESS}
     */
    long hostAddress(long guestAddr, long length);

    /**
     * Native ranges covering {@code length} bytes at {@code guestAddr}, one per region crossed.
     *
     * @throws GuestMemoryException as {@link #hostAddress} but spanning regions is fine
     */
    List<HostRange> hostRanges(long guestAddr, long length);

    /** True when every byte of the range is guest memory (a zero length needs a valid address). */
    boolean contains(long guestAddr, long length);

    /** Copies {@code len} guest bytes at {@code guestAddr} into {@code dst[off..]}. */
    default void read(long guestAddr, byte[] dst, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, dst.length);
        read(guestAddr, ByteBuffer.wrap(dst, off, len));
    }

    /** Copies {@code src[off..off+len)} to guest memory at {@code guestAddr}. */
    default void write(long guestAddr, byte[] src, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        write(guestAddr, ByteBuffer.wrap(src, off, len));
    }

    /** Fills {@code dst}'s remaining bytes from guest memory, advancing its position. */
    default void read(long guestAddr, ByteBuffer dst) {
        for (ByteBuffer piece : gather(guestAddr, dst.remaining())) {
            dst.put(piece);
        }
    }

    /** Copies {@code src}'s remaining bytes to guest memory, advancing its position. */
    default void write(long guestAddr, ByteBuffer src) {
        for (ByteBuffer piece : gather(guestAddr, src.remaining())) {
            int n = piece.remaining();
            piece.put(src.slice().limit(n));
            src.position(src.position() + n);
        }
    }
}
