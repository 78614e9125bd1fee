package io.github.virgl4j.device.virtqueue;

import io.github.virgl4j.device.memory.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One request popped from a {@link SplitVirtqueue}: the driver-to-device (readable) buffers
 * followed by the device-to-driver (writable) ones (virtio spec 1.2 §2.7.4). Give
 * {@link #head()} and the byte count written back to {@link SplitVirtqueue#pushUsed}.
 * Addresses were checked when popped; copies check again (memory may be removed meanwhile)
 * and throw {@link io.github.virgl4j.device.memory.GuestMemoryException}.
 */
public final class DescriptorChain {
    private final GuestMemory memory;
    private final int head;
    private final List<DescriptorRange> readable;
    private final List<DescriptorRange> writable;
    private final long readableLength;
    private final long writableLength;

    DescriptorChain(GuestMemory memory, int head, List<DescriptorRange> readable,
                    List<DescriptorRange> writable) {
        this.memory = memory;
        this.head = head;
        this.readable = List.copyOf(readable);
        this.writable = List.copyOf(writable);
        this.readableLength = sum(readable);
        this.writableLength = sum(writable);
    }

    private static long sum(List<DescriptorRange> ranges) {
        long total = 0;
        for (DescriptorRange r : ranges) {
            total += r.length();  // at most 2 * 32768 ranges of < 2^32: no overflow
        }
        return total;
    }

    /** Index of the chain's first descriptor, for {@link SplitVirtqueue#pushUsed}. */
    public int head() {
        return head;
    }

    /** Device-readable buffers, in chain order. */
    public List<DescriptorRange> readable() {
        return readable;
    }

    /** Device-writable buffers, in chain order. */
    public List<DescriptorRange> writable() {
        return writable;
    }

    /** Total bytes in the readable buffers. */
    public long readableLength() {
        return readableLength;
    }

    /** Total bytes in the writable buffers. */
    public long writableLength() {
        return writableLength;
    }

    /**
     * Copies the readable bytes, at most {@code maxBytes} of them, into a new little-endian heap
     * buffer (position 0). A chain longer than the cap is cut: compare
     * {@link #readableLength()} to detect it. The copy is private, so the guest cannot change
     * it after validation.
     */
    public ByteBuffer readAll(int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("negative cap");
        }
        ByteBuffer out = ByteBuffer.allocate((int) Math.min(readableLength, maxBytes))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (DescriptorRange r : readable) {
            if (!out.hasRemaining()) {
                break;
            }
            int n = (int) Math.min(r.length(), out.remaining());
            memory.read(r.addr(), out.slice().limit(n));
            out.position(out.position() + n);
        }
        return out.flip();
    }

    /**
     * Scatters {@code src}'s remaining bytes over the writable buffers, as many as fit.
     *
     * @return bytes written; {@code src}'s position advances by as much
     */
    public int writeAll(ByteBuffer src) {
        int written = 0;
        for (DescriptorRange r : writable) {
            if (!src.hasRemaining()) {
                break;
            }
            int n = (int) Math.min(r.length(), src.remaining());
            memory.write(r.addr(), src.slice().limit(n));
            src.position(src.position() + n);
            written += n;
        }
        return written;
    }

    @Override
    public String toString() {
        return "DescriptorChain[head=" + head + ", readable=" + readableLength + " bytes in "
                + readable.size() + ", writable=" + writableLength + " bytes in " + writable.size() + "]";
    }
}
