package io.github.virgl4j.device;

import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuResponse;

/**
 * Which command group serves which virtio-gpu command (virtio spec 5.7.6.8–5.7.6.10): resources,
 * contexts, displays, blobs, all over one device's {@link DeviceState}. The blob commands exist
 * only when the device offered {@code VIRTIO_GPU_F_RESOURCE_BLOB}. A new router comes with each
 * new state (device start and reset).
 */
final class CommandRouter {
    private final DeviceState state;
    private final ResourceCommands resources;
    private final ContextCommands contexts;
    private final DisplayCommands displays;
    private final BlobCommands blobs;

    CommandRouter(DeviceState state) {
        this.state = state;
        this.resources = new ResourceCommands(state);
        this.blobs = new BlobCommands(state);
        this.contexts = new ContextCommands(state);
        this.displays = new DisplayCommands(state);
    }

    /** Runs c in its command group; throws {@link GpuError} for what the guest got wrong. */
    GpuResponse route(GpuCommand c) {
        if (c instanceof GpuCommand.GetDisplayInfo) {
            return displays.displayInfo();
        } else if (c instanceof GpuCommand.ResourceCreate2d x) {
            return resources.create2d(x);
        } else if (c instanceof GpuCommand.ResourceUnref x) {
            return resources.unref(x);
        } else if (c instanceof GpuCommand.SetScanout x) {
            return displays.setScanout(x);
        } else if (c instanceof GpuCommand.ResourceFlush x) {
            return displays.flush(x);
        } else if (c instanceof GpuCommand.TransferToHost2d x) {
            return resources.transferToHost2d(x);
        } else if (c instanceof GpuCommand.ResourceAttachBacking x) {
            return resources.attachBacking(x);
        } else if (c instanceof GpuCommand.ResourceDetachBacking x) {
            return resources.detachBacking(x);
        } else if (c instanceof GpuCommand.GetCapsetInfo x) {
            return contexts.capsetInfo(x);
        } else if (c instanceof GpuCommand.GetCapset x) {
            return contexts.capset(x);
        } else if (c instanceof GpuCommand.GetEdid x) {
            return displays.edid(x);
        } else if (c instanceof GpuCommand.ResourceAssignUuid x) {
            return resources.assignUuid(x);
        } else if (c instanceof GpuCommand.CtxCreate x) {
            return contexts.create(x);
        } else if (c instanceof GpuCommand.CtxDestroy x) {
            return contexts.destroy(x);
        } else if (c instanceof GpuCommand.CtxAttachResource x) {
            return contexts.attach(x);
        } else if (c instanceof GpuCommand.CtxDetachResource x) {
            return contexts.detach(x);
        } else if (c instanceof GpuCommand.ResourceCreate3d x) {
            return resources.create3d(x);
        } else if (c instanceof GpuCommand.TransferToHost3d x) {
            return resources.transfer3d(x);
        } else if (c instanceof GpuCommand.TransferFromHost3d x) {
            return resources.transfer3d(x);
        } else if (c instanceof GpuCommand.Submit3d x) {
            return contexts.submit(x);
        } else if (c instanceof GpuCommand.UpdateCursor x) {
            return displays.updateCursor(x);
        } else if (c instanceof GpuCommand.MoveCursor x) {
            return displays.moveCursor(x);
        } else if (!state.config.offerBlob()) {
            throw GpuError.unspec(c.getClass().getSimpleName() + " needs RESOURCE_BLOB, which was not offered");
        } else if (c instanceof GpuCommand.ResourceCreateBlob x) {
            return blobs.create(x);
        } else if (c instanceof GpuCommand.SetScanoutBlob x) {
            return displays.setScanoutBlob(x);
        } else if (c instanceof GpuCommand.ResourceMapBlob x) {
            return blobs.map(x); // ERR_UNSPEC without a host-visible region
        } else if (c instanceof GpuCommand.ResourceUnmapBlob x) {
            return blobs.unmap(x);
        }
        throw GpuError.unspec("unhandled command " + c.getClass().getSimpleName());
    }
}
