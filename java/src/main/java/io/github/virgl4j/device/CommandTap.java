package io.github.virgl4j.device;

import java.nio.ByteBuffer;

/**
 * Sees what a guest feeds the device, for recording: every request as received, and the guest
 * bytes a command read from a resource's backing (transfers to the host). With both, a stream
 * replays without the original guest memory. Called on the thread that handles the request,
 * in order; the buffers are only valid during the call.
 */
public interface CommandTap {
    /** A request, before it runs (rejected ones too). */
    void request(ByteBuffer request);

    /** Bytes at offset of resource's backing that the current request reads. */
    void backingRead(int resourceId, long offset, ByteBuffer bytes);
}
