package io.github.virgl4j.device.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Wire encoding and parsing of {@link GpuResponse}s (layouts from Linux virtio_gpu.h). */
final class ResponseCodec {
    private ResponseCodec() {
    }

    static ByteBuffer encode(GpuResponse r, CtrlHeader request) {
        ByteBuffer out = ByteBuffer.allocate(r.encodedSize()).order(ByteOrder.LITTLE_ENDIAN);
        int flags = 0;
        long fenceId = 0;
        int ringIdx = 0;
        if (request.isFenced()) {
            flags |= CtrlHeader.FLAG_FENCE;
            fenceId = request.fenceId();
        }
        if (request.hasRingIdx()) {
            flags |= CtrlHeader.FLAG_INFO_RING_IDX;
            ringIdx = request.ringIdx();
        }
        new CtrlHeader(r.type(), flags, fenceId, request.ctxId(), ringIdx).write(out);
        if (r instanceof GpuResponse.OkDisplayInfo d) {
            for (DisplayMode m : d.modes()) {
                Rect q = m.rect();
                out.putInt(q.x()).putInt(q.y()).putInt(q.w()).putInt(q.h())
                        .putInt(m.enabled() ? 1 : 0).putInt(m.flags());
            }
        } else if (r instanceof GpuResponse.OkCapsetInfo c) {
            out.putInt(c.capsetId()).putInt(c.maxVersion()).putInt(c.maxSize()).putInt(0);
        } else if (r instanceof GpuResponse.OkCapset c) {
            out.put(c.data());
        } else if (r instanceof GpuResponse.OkEdid e) {
            byte[] edid = e.edid();
            out.putInt(edid.length).putInt(0).put(edid);
        } else if (r instanceof GpuResponse.OkResourceUuid u) {
            out.order(ByteOrder.BIG_ENDIAN);
            out.putLong(u.uuid().getMostSignificantBits()).putLong(u.uuid().getLeastSignificantBits());
            out.order(ByteOrder.LITTLE_ENDIAN);
        } else if (r instanceof GpuResponse.OkMapInfo m) {
            out.putInt(m.mapInfo()).putInt(0);
        }
        // OkNoData and Err have no body; the rest of the buffer is already zero.
        return out.clear();
    }

    static GpuResponse decode(ByteBuffer response) {
        ByteBuffer b = response.slice().order(ByteOrder.LITTLE_ENDIAN);
        require(b, CtrlHeader.SIZE);
        int type = b.getInt(0);
        switch (type) {
            case GpuResponseType.OK_NODATA:
                return GpuResponse.OkNoData.INSTANCE;
            case GpuResponseType.OK_DISPLAY_INFO: {
                require(b, 408);
                List<DisplayMode> modes = new ArrayList<>();
                for (int i = 0; i < GpuResponse.OkDisplayInfo.MAX_SCANOUTS; i++) {
                    int p = CtrlHeader.SIZE + i * DisplayMode.SIZE;
                    modes.add(new DisplayMode(new Rect(b.getInt(p), b.getInt(p + 4),
                            b.getInt(p + 8), b.getInt(p + 12)), b.getInt(p + 16) != 0,
                            b.getInt(p + 20)));
                }
                return new GpuResponse.OkDisplayInfo(modes);
            }
            case GpuResponseType.OK_CAPSET_INFO:
                require(b, 40);
                return new GpuResponse.OkCapsetInfo(b.getInt(24), b.getInt(28), b.getInt(32));
            case GpuResponseType.OK_CAPSET: {
                byte[] data = new byte[b.limit() - CtrlHeader.SIZE];
                b.get(CtrlHeader.SIZE, data);
                return new GpuResponse.OkCapset(data);
            }
            case GpuResponseType.OK_EDID: {
                require(b, 1056);
                long size = Integer.toUnsignedLong(b.getInt(24));
                if (size > GpuResponse.OkEdid.MAX_EDID) {
                    throw new IllegalArgumentException("EDID size " + size + " > 1024");
                }
                byte[] edid = new byte[(int) size];
                b.get(32, edid);
                return new GpuResponse.OkEdid(edid);
            }
            case GpuResponseType.OK_RESOURCE_UUID:
                require(b, 40);
                b.order(ByteOrder.BIG_ENDIAN);
                return new GpuResponse.OkResourceUuid(new UUID(b.getLong(24), b.getLong(32)));
            case GpuResponseType.OK_MAP_INFO:
                require(b, 32);
                return new GpuResponse.OkMapInfo(b.getInt(24));
            default:
                if (GpuResponseType.isError(type)) {
                    return new GpuResponse.Err(type);
                }
                throw new IllegalArgumentException(String.format("unknown response type 0x%x", type));
        }
    }

    private static void require(ByteBuffer b, int size) {
        if (b.limit() < size) {
            throw new IllegalArgumentException("response of " + b.limit() + " bytes, need " + size);
        }
    }
}
