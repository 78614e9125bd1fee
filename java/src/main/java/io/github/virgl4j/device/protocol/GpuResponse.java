package io.github.virgl4j.device.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A response to a control-queue request (virtio spec 1.2 §5.7.6.7/8). Handlers return one of
 * these and never write bytes themselves; {@link #encode(CtrlHeader)} produces the wire bytes.
 */
public sealed interface GpuResponse {

    /** The {@link GpuResponseType} code. */
    int type();

    /** Exact wire size, header included. */
    int encodedSize();

    /** True for the OK_* responses. */
    default boolean isOk() {
        return !GpuResponseType.isError(type());
    }

    /**
     * Encodes this response to a request. Per spec §5.7.6.7, when the request has
     * {@link CtrlHeader#FLAG_FENCE} the response sets it and copies {@code fence_id}; when it
     * has {@link CtrlHeader#FLAG_INFO_RING_IDX} the response sets it and copies
     * {@code ring_idx}. {@code ctx_id} is always copied. Other request flags are not echoed.
     *
     * @param request header of the request being answered ({@link CtrlHeader#EMPTY} if none)
     * @return a little-endian heap buffer, position 0, limit {@link #encodedSize()}
     */
    default ByteBuffer encode(CtrlHeader request) {
        return ResponseCodec.encode(this, request);
    }

    /**
     * Parses a response as a guest driver would (for tests, replay and Java guests).
     *
     * @throws IllegalArgumentException if the bytes are not a well-formed response
     */
    static GpuResponse decode(ByteBuffer response) {
        return ResponseCodec.decode(response);
    }

    /** OK_NODATA (24 bytes). */
    record OkNoData() implements GpuResponse {
        /** The single instance worth using. */
        public static final OkNoData INSTANCE = new OkNoData();

        public int type() { return GpuResponseType.OK_NODATA; }

        public int encodedSize() { return CtrlHeader.SIZE; }
    }

    /** OK_DISPLAY_INFO (408 bytes): up to 16 scanouts, the rest sent as zeros. */
    record OkDisplayInfo(List<DisplayMode> modes) implements GpuResponse {
        /** VIRTIO_GPU_MAX_SCANOUTS. */
        public static final int MAX_SCANOUTS = 16;

        /** Rejects more than {@value #MAX_SCANOUTS} modes. */
        public OkDisplayInfo {
            modes = List.copyOf(modes);
            if (modes.size() > MAX_SCANOUTS) {
                throw new IllegalArgumentException("too many scanouts: " + modes.size());
            }
        }

        public int type() { return GpuResponseType.OK_DISPLAY_INFO; }

        public int encodedSize() { return CtrlHeader.SIZE + MAX_SCANOUTS * DisplayMode.SIZE; }
    }

    /** OK_CAPSET_INFO (40 bytes). */
    record OkCapsetInfo(int capsetId, int maxVersion, int maxSize) implements GpuResponse {
        public int type() { return GpuResponseType.OK_CAPSET_INFO; }

        public int encodedSize() { return 40; }
    }

    /** OK_CAPSET (24 + data length bytes). The array is copied in and out. */
    record OkCapset(byte[] data) implements GpuResponse {
        /** Copies {@code data}. */
        public OkCapset {
            data = data.clone();
        }

        @Override
        public byte[] data() { return data.clone(); }

        public int type() { return GpuResponseType.OK_CAPSET; }

        public int encodedSize() { return CtrlHeader.SIZE + data.length; }

        @Override
        public boolean equals(Object o) {
            return o instanceof OkCapset other && Arrays.equals(data, other.data);
        }

        @Override
        public int hashCode() { return Arrays.hashCode(data); }

        @Override
        public String toString() { return "OkCapset[" + data.length + " bytes]"; }
    }

    /** OK_EDID (1056 bytes): {@code size} then a 1024-byte zero-padded array. */
    record OkEdid(byte[] edid) implements GpuResponse {
        /** Size of the wire EDID array. */
        public static final int MAX_EDID = 1024;

        /** Copies {@code edid}; rejects more than 1024 bytes. */
        public OkEdid {
            if (edid.length > MAX_EDID) {
                throw new IllegalArgumentException("EDID larger than 1024 bytes: " + edid.length);
            }
            edid = edid.clone();
        }

        @Override
        public byte[] edid() { return edid.clone(); }

        public int type() { return GpuResponseType.OK_EDID; }

        public int encodedSize() { return CtrlHeader.SIZE + 8 + MAX_EDID; }

        @Override
        public boolean equals(Object o) {
            return o instanceof OkEdid other && Arrays.equals(edid, other.edid);
        }

        @Override
        public int hashCode() { return Arrays.hashCode(edid); }

        @Override
        public String toString() { return "OkEdid[" + edid.length + " bytes]"; }
    }

    /** OK_RESOURCE_UUID (40 bytes); the UUID goes on the wire in RFC 4122 (big-endian) order. */
    record OkResourceUuid(UUID uuid) implements GpuResponse {
        /** Requires a UUID. */
        public OkResourceUuid {
            Objects.requireNonNull(uuid, "uuid");
        }

        public int type() { return GpuResponseType.OK_RESOURCE_UUID; }

        public int encodedSize() { return CtrlHeader.SIZE + 16; }
    }

    /** OK_MAP_INFO (32 bytes); {@code mapInfo} holds a {@code Blob.MAP_CACHE_*} value. */
    record OkMapInfo(int mapInfo) implements GpuResponse {
        public int type() { return GpuResponseType.OK_MAP_INFO; }

        public int encodedSize() { return 32; }
    }

    /** An error response (24 bytes): one of the ERR_* codes, 0x1200-0x12ff. */
    record Err(int code) implements GpuResponse {
        public static final Err UNSPEC = new Err(GpuResponseType.ERR_UNSPEC);
        public static final Err OUT_OF_MEMORY = new Err(GpuResponseType.ERR_OUT_OF_MEMORY);
        public static final Err INVALID_SCANOUT_ID = new Err(GpuResponseType.ERR_INVALID_SCANOUT_ID);
        public static final Err INVALID_RESOURCE_ID = new Err(GpuResponseType.ERR_INVALID_RESOURCE_ID);
        public static final Err INVALID_CONTEXT_ID = new Err(GpuResponseType.ERR_INVALID_CONTEXT_ID);
        public static final Err INVALID_PARAMETER = new Err(GpuResponseType.ERR_INVALID_PARAMETER);

        /** Rejects codes outside the error range. */
        public Err {
            if (!GpuResponseType.isError(code)) {
                throw new IllegalArgumentException(String.format("not an error code: 0x%x", code));
            }
        }

        public int type() { return code; }

        public int encodedSize() { return CtrlHeader.SIZE; }
    }
}
