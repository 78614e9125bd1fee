package io.github.virgl4j.device.protocol;

import static io.github.virgl4j.device.protocol.GpuCommandType.*;

import java.nio.ByteBuffer;
import java.util.List;

/** One sample of every command with distinctive field values, for round-trip and fuzz tests. */
final class SampleCommands {
    private SampleCommands() {
    }

    static CtrlHeader hdr(int type) {
        return new CtrlHeader(type, CtrlHeader.FLAG_FENCE | CtrlHeader.FLAG_INFO_RING_IDX,
                0x1122334455667788L, 7, 3);
    }

    static List<GpuCommand> all() {
        Rect r = new Rect(1, 2, 640, 480);
        Box3d box = new Box3d(1, 2, 3, 64, 32, 1);
        List<MemEntry> entries = List.of(new MemEntry(0x1000, 4096),
                new MemEntry(0xffff_ffff_0000_0000L, 0xffff_ffff));
        ByteBuffer cmds = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        return List.of(
                new GpuCommand.GetDisplayInfo(hdr(GET_DISPLAY_INFO)),
                new GpuCommand.ResourceCreate2d(hdr(RESOURCE_CREATE_2D), 5, 2, 1024, 768),
                new GpuCommand.ResourceUnref(hdr(RESOURCE_UNREF), 5),
                new GpuCommand.SetScanout(hdr(SET_SCANOUT), r, 0, 5),
                new GpuCommand.ResourceFlush(hdr(RESOURCE_FLUSH), r, 5),
                new GpuCommand.TransferToHost2d(hdr(TRANSFER_TO_HOST_2D), r, 0x1_0000_0004L, 5),
                new GpuCommand.ResourceAttachBacking(hdr(RESOURCE_ATTACH_BACKING), 5, entries),
                new GpuCommand.ResourceDetachBacking(hdr(RESOURCE_DETACH_BACKING), 5),
                new GpuCommand.GetCapsetInfo(hdr(GET_CAPSET_INFO), 1),
                new GpuCommand.GetCapset(hdr(GET_CAPSET), CapsetId.VIRGL2, 2),
                new GpuCommand.GetEdid(hdr(GET_EDID), 0),
                new GpuCommand.ResourceAssignUuid(hdr(RESOURCE_ASSIGN_UUID), 5),
                new GpuCommand.ResourceCreateBlob(hdr(RESOURCE_CREATE_BLOB), 6, Blob.MEM_GUEST,
                        Blob.FLAG_USE_MAPPABLE, 0x99, 8192, entries),
                new GpuCommand.SetScanoutBlob(hdr(SET_SCANOUT_BLOB), r, 1, 6, 640, 480,
                        VirtioGpuFormat.B8G8R8X8_UNORM.code(), List.of(2560, 0, 0, 0),
                        List.of(0, 4, 8, 12)),
                new GpuCommand.CtxCreate(hdr(CTX_CREATE), CapsetId.VENUS | 0x100, "glmark2"),
                new GpuCommand.CtxDestroy(hdr(CTX_DESTROY)),
                new GpuCommand.CtxAttachResource(hdr(CTX_ATTACH_RESOURCE), 5),
                new GpuCommand.CtxDetachResource(hdr(CTX_DETACH_RESOURCE), 5),
                new GpuCommand.ResourceCreate3d(hdr(RESOURCE_CREATE_3D), 8, 2, 67, 0x1000, 256,
                        128, 1, 1, 3, 0, 1),
                new GpuCommand.TransferToHost3d(hdr(TRANSFER_TO_HOST_3D), box, 4096, 8, 1, 1024, 0),
                new GpuCommand.TransferFromHost3d(hdr(TRANSFER_FROM_HOST_3D), box, 64, 8, 0, 256, 32),
                new GpuCommand.Submit3d(hdr(SUBMIT_3D), cmds),
                new GpuCommand.ResourceMapBlob(hdr(RESOURCE_MAP_BLOB), 6, 0x20_0000L),
                new GpuCommand.ResourceUnmapBlob(hdr(RESOURCE_UNMAP_BLOB), 6),
                new GpuCommand.UpdateCursor(hdr(UPDATE_CURSOR), new CursorPos(0, 100, 200), 9, 3, 4),
                new GpuCommand.MoveCursor(hdr(MOVE_CURSOR), new CursorPos(1, -1, 50)));
    }
}
