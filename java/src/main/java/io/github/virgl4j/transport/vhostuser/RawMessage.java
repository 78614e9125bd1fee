package io.github.virgl4j.transport.vhostuser;

import java.nio.ByteBuffer;

/**
 * One framed message as read from a socket, before decoding: the header, exactly
 * {@code header.size()} payload bytes, and the descriptors that came with it (owned by the
 * receiver until handed on).
 */
record RawMessage(VhostUserHeader header, ByteBuffer payload, int[] fds) {
}
