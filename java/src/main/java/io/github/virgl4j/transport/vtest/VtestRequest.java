package io.github.virgl4j.transport.vtest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One decoded client frame. Unsigned dwords that are opaque to the protocol (handles, formats,
 * bind flags) are {@code int}; quantities whose magnitude matters (sizes, offsets, versions,
 * 64-bit values) are {@code long}. Records holding arrays compare them by identity.
 */
public sealed interface VtestRequest {

    /** The command this frame carries. */
    VtestCommandId command();

    /** CREATE_RENDERER: the client's process name (the length field counts bytes, NUL included). */
    record CreateRenderer(String name) implements VtestRequest {
        public VtestCommandId command() { return VtestCommandId.CREATE_RENDERER; }
    }

    /** PING_PROTOCOL_VERSION: answered with an empty PING frame. */
    record PingProtocolVersion() implements VtestRequest {
        public VtestCommandId command() { return VtestCommandId.PING_PROTOCOL_VERSION; }
    }

    /** PROTOCOL_VERSION: the highest version the client speaks. */
    record ProtocolVersion(long version) implements VtestRequest {
        public VtestCommandId command() { return VtestCommandId.PROTOCOL_VERSION; }
    }

    /** GET_CAPS: capset 1 (virgl_caps_v1), answered under id 1. */
    record GetCaps() implements VtestRequest {
        public VtestCommandId command() { return VtestCommandId.GET_CAPS; }
    }

    /** GET_CAPS2: capset 2 (virgl_caps_v2), answered under id 2 (not 9). */
    record GetCaps2() implements VtestRequest {
        public VtestCommandId command() { return VtestCommandId.GET_CAPS2; }
    }

    /** RESOURCE_CREATE (v0+). From version 3 on the handle must be 0 and the server answers the id. */
    record ResourceCreate(int handle, int target, int format, int bind, int width, int height,
                          int depth, int arraySize, int lastLevel, int nrSamples)
            implements VtestRequest {
        public VtestCommandId command() { return VtestCommandId.RESOURCE_CREATE; }
    }

    /**
     * RESOURCE_CREATE2 (v2+): as {@link ResourceCreate} plus the size of the shared memory the
     * server creates and sends back as an fd (none when 0, e.g. multisampled resources).
     */
    record ResourceCreate2(int handle, int target, int format, int bind, int width, int height,
                           int depth, int arraySize, int lastLevel, int nrSamples, long dataSize)
            implements VtestRequest {
        public VtestCommandId command() { return VtestCommandId.RESOURCE_CREATE2; }
    }

    /** RESOURCE_UNREF. */
    record ResourceUnref(int handle) implements VtestRequest {
        public VtestCommandId command() { return VtestCommandId.RESOURCE_UNREF; }
    }

    /** TRANSFER_GET (v0/v1): the server answers exactly {@code dataSize} raw bytes, no header. */
    record TransferGet(int handle, int level, int stride, int layerStride, VtestBox box,
                       long dataSize) implements VtestRequest {
        public VtestCommandId command() { return VtestCommandId.TRANSFER_GET; }
    }

    /** TRANSFER_PUT (v0/v1): the data followed the 11-dword header inline. No reply. */
    record TransferPut(int handle, int level, int stride, int layerStride, VtestBox box,
                       byte[] data) implements VtestRequest {
        public VtestCommandId command() { return VtestCommandId.TRANSFER_PUT; }
    }

    /** TRANSFER_GET2 (v2+): host to the resource's shm at {@code offset}. No reply. */
    record TransferGet2(int handle, int level, VtestBox box, long dataSize, long offset)
            implements VtestRequest {
        public VtestCommandId command() { return VtestCommandId.TRANSFER_GET2; }
    }

    /** TRANSFER_PUT2 (v2+): the resource's shm at {@code offset} to the host. No reply. */
    record TransferPut2(int handle, int level, VtestBox box, long dataSize, long offset)
            implements VtestRequest {
        public VtestCommandId command() { return VtestCommandId.TRANSFER_PUT2; }
    }

    /**
     * SUBMIT_CMD: a virgl command buffer (whole dwords, little-endian). No reply. Kept as the
     * bytes that arrived, so the command stream reaches the device without being converted.
     */
    record SubmitCmd(ByteBuffer commands) implements VtestRequest {
        /** Keeps a read-only little-endian view of the remaining bytes of {@code commands}. */
        public SubmitCmd {
            commands = commands.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }

        /** A command buffer of the given dwords. */
        public static SubmitCmd of(int... dwords) {
            ByteBuffer b = ByteBuffer.allocate(4 * dwords.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asIntBuffer().put(dwords);
            return new SubmitCmd(b);
        }

        public VtestCommandId command() { return VtestCommandId.SUBMIT_CMD; }

        /** The buffer's size in dwords. */
        public int dwordCount() {
            return commands.remaining() / 4;
        }

        /** A copy of the command buffer as dwords. */
        public int[] dwords() {
            int[] out = new int[dwordCount()];
            commands.duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
            return out;
        }
    }

    /** RESOURCE_BUSY_WAIT: answered with busy 0/1. Handle 0 before any rendering is Mesa's probe. */
    record ResourceBusyWait(int handle, int flags) implements VtestRequest {
        public VtestCommandId command() { return VtestCommandId.RESOURCE_BUSY_WAIT; }

        /** Whether the client asked to block until idle. */
        public boolean waitFlag() {
            return (flags & VtestProtocol.BUSY_WAIT_FLAG_WAIT) != 0;
        }
    }

    /** GET_PARAM (v3): answered with (valid, value). */
    record GetParam(int param) implements VtestRequest {
        public VtestCommandId command() { return VtestCommandId.GET_PARAM; }
    }

    /** GET_CAPSET (v3): answered with (valid, caps). */
    record GetCapset(int capsetId, int version) implements VtestRequest {
        public VtestCommandId command() { return VtestCommandId.GET_CAPSET; }
    }

    /** CONTEXT_INIT (v3): create the context for a capset (0 is invalid). No reply. */
    record ContextInit(int capsetId) implements VtestRequest {
        public VtestCommandId command() { return VtestCommandId.CONTEXT_INIT; }
    }

    /** RESOURCE_CREATE_BLOB (v3): answered with the resource id and an fd. */
    record ResourceCreateBlob(int blobType, int blobFlags, long size, long blobId)
            implements VtestRequest {
        public VtestCommandId command() { return VtestCommandId.RESOURCE_CREATE_BLOB; }
    }

    /** SYNC_CREATE (v3): answered with the sync id. */
    record SyncCreate(long initialValue) implements VtestRequest {
        public VtestCommandId command() { return VtestCommandId.SYNC_CREATE; }
    }

    /** SYNC_UNREF (v3). No reply. */
    record SyncUnref(int syncId) implements VtestRequest {
        public VtestCommandId command() { return VtestCommandId.SYNC_UNREF; }
    }

    /** SYNC_READ (v3): answered with the 64-bit value. */
    record SyncRead(int syncId) implements VtestRequest {
        public VtestCommandId command() { return VtestCommandId.SYNC_READ; }
    }

    /** SYNC_WRITE (v3): signal a sync to a value. No reply. */
    record SyncWrite(int syncId, long value) implements VtestRequest {
        public VtestCommandId command() { return VtestCommandId.SYNC_WRITE; }
    }

    /** A (sync id, 64-bit value) pair as used by SYNC_WAIT and SUBMIT_CMD2. */
    record SyncPoint(int syncId, long value) {
    }

    /** SYNC_WAIT (v3): answered with an empty frame plus an eventfd that becomes readable. */
    record SyncWait(int flags, long timeoutMs, List<SyncPoint> points) implements VtestRequest {
        public SyncWait {
            points = List.copyOf(points);
        }

        public VtestCommandId command() { return VtestCommandId.SYNC_WAIT; }
    }

    /** One SUBMIT_CMD2 batch, with its command dwords and syncs already sliced out. */
    record Batch(int flags, int[] commands, List<SyncPoint> syncs, int ringIdx) {
        public Batch {
            syncs = List.copyOf(syncs);
        }
    }

    /** SUBMIT_CMD2 (v3): batches of commands, each signalling syncs. No reply. */
    record SubmitCmd2(List<Batch> batches) implements VtestRequest {
        public SubmitCmd2 {
            batches = List.copyOf(batches);
        }

        public VtestCommandId command() { return VtestCommandId.SUBMIT_CMD2; }
    }
}
