package io.github.virgl4j.transport.vtest;

/**
 * Constants of the vtest wire protocol (virglrenderer {@code vtest/vtest_protocol.h}).
 *
 * <p>Every frame is {@code [length u32][command id u32][payload]}, host byte order (we support
 * little-endian hosts only). The length counts payload dwords, with documented exceptions
 * handled by {@link VtestDecoder}: CREATE_RENDERER counts bytes, TRANSFER_PUT counts the
 * inline data rounded up to dwords but only {@code data_size} bytes follow, and TRANSFER_PUT2
 * counts its (absent) data too. Replies reuse the framing, with their own exceptions (see
 * {@link VtestReply}).
 */
public final class VtestProtocol {
    private VtestProtocol() {
    }

    /** Where Mesa connects when VTEST_SOCKET_NAME is unset (Mesa 22.3 always connects here). */
    public static final String DEFAULT_SOCKET_PATH = "/tmp/.virgl_test";

    /** Header size: length dword + command id dword. */
    public static final int HEADER_BYTES = 8;

    /** Version 0: inline transfers, client-chosen resource ids. */
    public static final int VERSION_0 = 0;
    /** Version 1: deprecated; servers answer 0 when a client asks for 1. */
    public static final int VERSION_1 = 1;
    /** Version 2: each resource gets a server-created memfd (sent with SCM_RIGHTS). */
    public static final int VERSION_2 = 2;
    /** Version 3: host-allocated resource ids, capsets, context init, blobs, syncs. */
    public static final int VERSION_3 = 3;
    /** The highest version this implementation speaks (what virgl_test_server 0.10.4 offers). */
    public static final int MAX_VERSION = VERSION_3;

    /** Payload dwords of the fixed-size commands. */
    public static final int RESOURCE_CREATE_DWORDS = 10;
    public static final int RESOURCE_CREATE2_DWORDS = 11;
    public static final int RESOURCE_UNREF_DWORDS = 1;
    public static final int TRANSFER_DWORDS = 11;
    public static final int TRANSFER2_DWORDS = 10;
    public static final int BUSY_WAIT_DWORDS = 2;
    public static final int PROTOCOL_VERSION_DWORDS = 1;
    public static final int GET_PARAM_DWORDS = 1;
    public static final int GET_CAPSET_DWORDS = 2;
    public static final int CONTEXT_INIT_DWORDS = 1;
    public static final int RESOURCE_CREATE_BLOB_DWORDS = 6;
    public static final int SYNC_CREATE_DWORDS = 2;
    public static final int SYNC_UNREF_DWORDS = 1;
    public static final int SYNC_READ_DWORDS = 1;
    public static final int SYNC_WRITE_DWORDS = 3;
    /** SYNC_WAIT: flags, timeout, then (id, value lo, value hi) per sync. */
    public static final int SYNC_WAIT_FIXED_DWORDS = 2;
    public static final int SYNC_POINT_DWORDS = 3;
    /** SUBMIT_CMD2: batch count, then 8 dwords per batch (6 used before version 4). */
    public static final int SUBMIT_CMD2_BATCH_DWORDS = 8;

    /** RESOURCE_BUSY_WAIT flag: block until the resource is idle. */
    public static final int BUSY_WAIT_FLAG_WAIT = 1;

    /** Capset ids (GET_CAPSET, CONTEXT_INIT); GET_CAPS answers capset 1, GET_CAPS2 capset 2. */
    public static final int CAPSET_VIRGL = 1;
    public static final int CAPSET_VIRGL2 = 2;
    public static final int CAPSET_VENUS = 4;

    /** GET_PARAM parameters. */
    public static final int PARAM_MAX_TIMELINE_COUNT = 1;
    /** Timelines (ring indices) per context; SUBMIT_CMD2 rejects ring_idx at or above this. */
    public static final int MAX_TIMELINE_COUNT = 64;

    /** RESOURCE_CREATE_BLOB types. */
    public static final int BLOB_TYPE_GUEST = 1;
    public static final int BLOB_TYPE_HOST3D = 2;
    public static final int BLOB_TYPE_HOST3D_GUEST = 3;
    /** RESOURCE_CREATE_BLOB flags. */
    public static final int BLOB_FLAG_MAPPABLE = 1;
    public static final int BLOB_FLAG_SHAREABLE = 2;
    public static final int BLOB_FLAG_CROSS_DEVICE = 4;

    /** SYNC_WAIT flag: ready when any (not all) sync reaches its value. */
    public static final int SYNC_WAIT_FLAG_ANY = 1;
    /** SUBMIT_CMD2 batch flag: signal the syncs on timeline ring_idx instead of at once. */
    public static final int SUBMIT_CMD2_FLAG_RING_IDX = 1;

    /**
     * The version a server running at most {@code serverMax} answers to a PROTOCOL_VERSION
     * request for {@code requested} (an unsigned dword): the smaller of the two, with the
     * deprecated version 1 answered as 0.
     */
    public static int negotiate(long requested, int serverMax) {
        int v = (int) Math.min(requested, serverMax);
        return v == VERSION_1 ? VERSION_0 : v;
    }
}
