package io.github.virgl4j.device.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes {@link GpuCommand}s into request bytes, as a guest driver would send them. Used by
 * tests, the recorder/replayer and Java code driving the device. The header's type is taken
 * from {@link GpuCommand#commandType()}; padding is zero.
 */
public final class GpuCommandEncoder {
    private GpuCommandEncoder() {
    }

    /**
     * @return a little-endian heap buffer, position 0, limit = the request size
     * @throws IllegalArgumentException for values that cannot be encoded (CTX_CREATE name over
     *                                  64 bytes)
     */
    public static ByteBuffer encode(GpuCommand c) {
        int size = GpuCommandType.requestSize(c.commandType());
        if (c instanceof GpuCommand.ResourceAttachBacking a) {
            size += a.entries().size() * MemEntry.SIZE;
        } else if (c instanceof GpuCommand.ResourceCreateBlob cb) {
            size += cb.entries().size() * MemEntry.SIZE;
        } else if (c instanceof GpuCommand.Submit3d s) {
            size += s.size();
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        c.header().withType(c.commandType()).write(b);
        body(c, b);
        return b.clear();
    }

    private static void body(GpuCommand c, ByteBuffer b) {
        if (c instanceof GpuCommand.ResourceCreate2d x) {
            b.putInt(x.resourceId()).putInt(x.format()).putInt(x.width()).putInt(x.height());
        } else if (c instanceof GpuCommand.ResourceUnref x) {
            b.putInt(x.resourceId()).putInt(0);
        } else if (c instanceof GpuCommand.SetScanout x) {
            rect(b, x.rect()).putInt(x.scanoutId()).putInt(x.resourceId());
        } else if (c instanceof GpuCommand.ResourceFlush x) {
            rect(b, x.rect()).putInt(x.resourceId()).putInt(0);
        } else if (c instanceof GpuCommand.TransferToHost2d x) {
            rect(b, x.rect()).putLong(x.offset()).putInt(x.resourceId()).putInt(0);
        } else if (c instanceof GpuCommand.ResourceAttachBacking x) {
            b.putInt(x.resourceId()).putInt(x.entries().size());
            entries(b, x.entries());
        } else if (c instanceof GpuCommand.ResourceDetachBacking x) {
            b.putInt(x.resourceId()).putInt(0);
        } else if (c instanceof GpuCommand.GetCapsetInfo x) {
            b.putInt(x.capsetIndex()).putInt(0);
        } else if (c instanceof GpuCommand.GetCapset x) {
            b.putInt(x.capsetId()).putInt(x.capsetVersion());
        } else if (c instanceof GpuCommand.GetEdid x) {
            b.putInt(x.scanoutId()).putInt(0);
        } else if (c instanceof GpuCommand.ResourceAssignUuid x) {
            b.putInt(x.resourceId()).putInt(0);
        } else if (c instanceof GpuCommand.ResourceCreateBlob x) {
            b.putInt(x.resourceId()).putInt(x.blobMem()).putInt(x.blobFlags())
                    .putInt(x.entries().size()).putLong(x.blobId()).putLong(x.size());
            entries(b, x.entries());
        } else if (c instanceof GpuCommand.SetScanoutBlob x) {
            rect(b, x.rect()).putInt(x.scanoutId()).putInt(x.resourceId()).putInt(x.width())
                    .putInt(x.height()).putInt(x.format()).putInt(0);
            x.strides().forEach(b::putInt);
            x.offsets().forEach(b::putInt);
        } else if (c instanceof GpuCommand.CtxCreate x) {
            byte[] name = x.debugName().getBytes(StandardCharsets.ISO_8859_1);
            if (name.length > GpuCommand.CtxCreate.MAX_NAME_BYTES) {
                throw new IllegalArgumentException("debug name over 64 bytes");
            }
            b.putInt(name.length).putInt(x.contextInit()).put(name);
        } else if (c instanceof GpuCommand.CtxAttachResource x) {
            b.putInt(x.resourceId()).putInt(0);
        } else if (c instanceof GpuCommand.CtxDetachResource x) {
            b.putInt(x.resourceId()).putInt(0);
        } else if (c instanceof GpuCommand.ResourceCreate3d x) {
            b.putInt(x.resourceId()).putInt(x.target()).putInt(x.format()).putInt(x.bind())
                    .putInt(x.width()).putInt(x.height()).putInt(x.depth()).putInt(x.arraySize())
                    .putInt(x.lastLevel()).putInt(x.nrSamples()).putInt(x.flags()).putInt(0);
        } else if (c instanceof GpuCommand.TransferToHost3d x) {
            transfer3d(b, x.box(), x.offset(), x.resourceId(), x.level(), x.stride(), x.layerStride());
        } else if (c instanceof GpuCommand.TransferFromHost3d x) {
            transfer3d(b, x.box(), x.offset(), x.resourceId(), x.level(), x.stride(), x.layerStride());
        } else if (c instanceof GpuCommand.Submit3d x) {
            b.putInt(x.size()).putInt(0).put(x.commands().duplicate());
        } else if (c instanceof GpuCommand.ResourceMapBlob x) {
            b.putInt(x.resourceId()).putInt(0).putLong(x.offset());
        } else if (c instanceof GpuCommand.ResourceUnmapBlob x) {
            b.putInt(x.resourceId()).putInt(0);
        } else if (c instanceof GpuCommand.UpdateCursor x) {
            cursor(b, x.pos()).putInt(x.resourceId()).putInt(x.hotX()).putInt(x.hotY()).putInt(0);
        } else if (c instanceof GpuCommand.MoveCursor x) {
            cursor(b, x.pos());
        }
        // GetDisplayInfo, CtxDestroy: header only. Unwritten bytes stay zero.
    }

    private static ByteBuffer rect(ByteBuffer b, Rect r) {
        return b.putInt(r.x()).putInt(r.y()).putInt(r.w()).putInt(r.h());
    }

    private static ByteBuffer cursor(ByteBuffer b, CursorPos p) {
        return b.putInt(p.scanoutId()).putInt(p.x()).putInt(p.y()).putInt(0);
    }

    private static void entries(ByteBuffer b, List<MemEntry> entries) {
        for (MemEntry e : entries) {
            b.putLong(e.addr()).putInt(e.length()).putInt(0);
        }
    }

    private static void transfer3d(ByteBuffer b, Box3d box, long offset, int resourceId, int level,
                                   int stride, int layerStride) {
        b.putInt(box.x()).putInt(box.y()).putInt(box.z()).putInt(box.w()).putInt(box.h())
                .putInt(box.d()).putLong(offset).putInt(resourceId).putInt(level).putInt(stride)
                .putInt(layerStride);
    }
}
