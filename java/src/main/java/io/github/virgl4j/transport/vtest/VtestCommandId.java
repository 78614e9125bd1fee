package io.github.virgl4j.transport.vtest;

/**
 * vtest command ids (the second dword of every frame) and the protocol version that introduced
 * each. Ids 1–11 exist in every version, 12–14 need version 2 (shared-memory resources) and
 * 15–24 need version 3 (host-allocated resource ids, capsets, blobs, timeline syncs).
 *
 * <p>Numbering as in virglrenderer's {@code vtest/vtest_protocol.h}.
 */
public enum VtestCommandId {
    GET_CAPS(1, 0),
    RESOURCE_CREATE(2, 0),
    RESOURCE_UNREF(3, 0),
    TRANSFER_GET(4, 0),
    TRANSFER_PUT(5, 0),
    SUBMIT_CMD(6, 0),
    RESOURCE_BUSY_WAIT(7, 0),
    CREATE_RENDERER(8, 0),
    GET_CAPS2(9, 0),
    PING_PROTOCOL_VERSION(10, 0),
    PROTOCOL_VERSION(11, 0),
    RESOURCE_CREATE2(12, 2),
    TRANSFER_GET2(13, 2),
    TRANSFER_PUT2(14, 2),
    GET_PARAM(15, 3),
    GET_CAPSET(16, 3),
    CONTEXT_INIT(17, 3),
    RESOURCE_CREATE_BLOB(18, 3),
    SYNC_CREATE(19, 3),
    SYNC_UNREF(20, 3),
    SYNC_READ(21, 3),
    SYNC_WRITE(22, 3),
    SYNC_WAIT(23, 3),
    SUBMIT_CMD2(24, 3);

    private static final VtestCommandId[] BY_ID = new VtestCommandId[25];

    static {
        for (VtestCommandId c : values()) {
            BY_ID[c.id] = c;
        }
    }

    private final int id;
    private final int sinceVersion;

    VtestCommandId(int id, int sinceVersion) {
        this.id = id;
        this.sinceVersion = sinceVersion;
    }

    /** The wire value. */
    public int id() {
        return id;
    }

    /** The lowest negotiated protocol version in which a client may send this command. */
    public int sinceVersion() {
        return sinceVersion;
    }

    /** The command for a wire value, or {@code null} if there is none (0, 25+, negative). */
    public static VtestCommandId fromId(int id) {
        return id > 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
