package io.github.virgl4j.device;

import io.github.virgl4j.device.memory.GuestMemory;
import io.github.virgl4j.device.protocol.GpuResponse;
import java.nio.ByteBuffer;

/**
 * Sees what a guest feeds the device, for recording (see the {@code stream} package): every
 * request as received, the guest bytes a command read from a resource's backing (transfers to the
 * host, in-stream uploads of a SUBMIT_3D), the bytes it wrote there (transfers from the host) and
 * its response. With those, a stream replays without the original guest memory.
 *
 * <p>For each request, in order, on the thread that handles it and under the device's lock:
 * {@link #request}, then any {@link #backingRead} / {@link #backingWritten} / {@link #frame}, then
 * {@link #responded}. The buffers are only valid during the call.
 */
public interface CommandTap {
    /** The device this tap was built into, before any request: its configuration and guest memory. */
    default void deviceStarted(GpuConfig config, GuestMemory memory) {
    }

    /** A request, before it runs (rejected ones too). */
    void request(ByteBuffer request);

    /** Bytes at offset of resource's backing that the current request reads. */
    void backingRead(int resourceId, long offset, ByteBuffer bytes);

    /** Bytes at offset of resource's backing that the current request wrote (host to guest). */
    default void backingWritten(int resourceId, long offset, ByteBuffer bytes) {
    }

    /** The current request showed a frame (it goes to the device's DisplayListener too). */
    default void frame(Frame frame) {
    }

    /** The current request's response, as executed (a fenced one is sent after its fence). */
    default void responded(GpuResponse response) {
    }

    /** The device was reset (virtio reset): everything of it is gone, requests go on. */
    default void deviceReset() {
    }

    /** The device was closed: nothing more will come. */
    default void deviceClosed() {
    }
}
