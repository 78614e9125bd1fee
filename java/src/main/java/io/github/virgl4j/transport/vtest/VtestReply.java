package io.github.virgl4j.transport.vtest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Server-to-client messages, each encoding to the exact bytes virgl_test_server 0.10.4 writes.
 * A reply that {@link #passesFd()} is followed by a one-byte message carrying the descriptor as
 * SCM_RIGHTS ({@link VtestReplyQueue}); Mesa reads the header and payload with plain
 * reads first, then receives the fd with a separate 1-byte recvmsg.
 *
 * <p>Quirks reproduced on purpose: GET_CAPS2 answers under id 2 and GET_CAPS under id 1, and
 * their length field is the caps size in <em>bytes</em> plus one (Mesa reads length-1 bytes).
 * TRANSFER_GET (v0) data is raw, with no header at all.
 */
public sealed interface VtestReply {

    /** The bytes to write before any fd message. */
    byte[] encode();

    /** Whether an fd message must follow {@link #encode()}'s bytes. */
    default boolean passesFd() {
        return false;
    }

    /** PING_PROTOCOL_VERSION answer: {@code [0][10]}. */
    record Ping() implements VtestReply {
        public byte[] encode() {
            return frame(0, VtestCommandId.PING_PROTOCOL_VERSION.id());
        }
    }

    /** PROTOCOL_VERSION answer: {@code [1][11][version]}. */
    record ProtocolVersion(int version) implements VtestReply {
        public byte[] encode() {
            return frame(1, VtestCommandId.PROTOCOL_VERSION.id(), version);
        }
    }

    /** RESOURCE_BUSY_WAIT answer: {@code [1][7][busy ? 1 : 0]}. */
    record BusyWait(boolean busy) implements VtestReply {
        public byte[] encode() {
            return frame(1, VtestCommandId.RESOURCE_BUSY_WAIT.id(), busy ? 1 : 0);
        }
    }

    /**
     * GET_CAPS / GET_CAPS2 answer: {@code [caps.length + 1][capset][caps]} where capset is 1 for
     * GET_CAPS and 2 for GET_CAPS2.
     */
    record Caps(int capset, byte[] caps) implements VtestReply {
        public Caps {
            if (capset != VtestProtocol.CAPSET_VIRGL && capset != VtestProtocol.CAPSET_VIRGL2) {
                throw new IllegalArgumentException("capset " + capset);
            }
        }

        public byte[] encode() {
            ByteBuffer b = buffer(8 + caps.length);
            b.putInt(caps.length + 1).putInt(capset).put(caps);
            return b.array();
        }
    }

    /** TRANSFER_GET (v0/v1) answer: exactly the requested bytes, no header. */
    record TransferData(byte[] data) implements VtestReply {
        public byte[] encode() {
            return data.clone();
        }
    }

    /**
     * RESOURCE_CREATE / RESOURCE_CREATE2 answer. From version 3 the bytes are
     * {@code [1][command][res_id]}; before version 3 there are none. A RESOURCE_CREATE2 with a
     * non-zero data size is followed by the shm fd in every version.
     */
    record ResourceCreated(VtestCommandId command, int protocolVersion, int resourceId,
                           boolean withFd) implements VtestReply {
        public ResourceCreated {
            if (command != VtestCommandId.RESOURCE_CREATE && command != VtestCommandId.RESOURCE_CREATE2) {
                throw new IllegalArgumentException(command.toString());
            }
            if (withFd && command != VtestCommandId.RESOURCE_CREATE2) {
                throw new IllegalArgumentException("only RESOURCE_CREATE2 passes an fd");
            }
        }

        public byte[] encode() {
            return protocolVersion >= VtestProtocol.VERSION_3
                    ? frame(1, command.id(), resourceId) : new byte[0];
        }

        @Override
        public boolean passesFd() {
            return withFd;
        }
    }

    /** GET_PARAM answer: {@code [2][15][valid][value]}. */
    record Param(boolean valid, int value) implements VtestReply {
        public byte[] encode() {
            return frame(2, VtestCommandId.GET_PARAM.id(), valid ? 1 : 0, valid ? value : 0);
        }
    }

    /**
     * GET_CAPSET answer: {@code [1 + caps.length / 4][16][1][caps]}, or {@code [1][16][0]} for an
     * unsupported id or version ({@code caps == null}).
     */
    record Capset(byte[] caps) implements VtestReply {
        public Capset {
            if (caps != null && caps.length % 4 != 0) {
                throw new IllegalArgumentException("caps must be whole dwords");
            }
        }

        public byte[] encode() {
            if (caps == null) {
                return frame(1, VtestCommandId.GET_CAPSET.id(), 0);
            }
            ByteBuffer b = buffer(12 + caps.length);
            b.putInt(1 + caps.length / 4).putInt(VtestCommandId.GET_CAPSET.id()).putInt(1).put(caps);
            return b.array();
        }
    }

    /** RESOURCE_CREATE_BLOB answer: {@code [1][18][res_id]} then the fd. */
    record BlobCreated(int resourceId) implements VtestReply {
        public byte[] encode() {
            return frame(1, VtestCommandId.RESOURCE_CREATE_BLOB.id(), resourceId);
        }

        @Override
        public boolean passesFd() {
            return true;
        }
    }

    /** SYNC_CREATE answer: {@code [1][19][sync_id]}. */
    record SyncCreated(int syncId) implements VtestReply {
        public byte[] encode() {
            return frame(1, VtestCommandId.SYNC_CREATE.id(), syncId);
        }
    }

    /** SYNC_READ answer: {@code [2][21][value lo][value hi]}. */
    record SyncValue(long value) implements VtestReply {
        public byte[] encode() {
            return frame(2, VtestCommandId.SYNC_READ.id(), (int) value, (int) (value >>> 32));
        }
    }

    /** SYNC_WAIT answer: {@code [0][23]} then an eventfd that becomes readable when ready. */
    record SyncWaitFd() implements VtestReply {
        public byte[] encode() {
            return frame(0, VtestCommandId.SYNC_WAIT.id());
        }

        @Override
        public boolean passesFd() {
            return true;
        }
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] frame(int length, int id, int... payload) {
        ByteBuffer b = buffer(8 + 4 * payload.length);
        b.putInt(length).putInt(id);
        for (int v : payload) {
            b.putInt(v);
        }
        return b.array();
    }
}
