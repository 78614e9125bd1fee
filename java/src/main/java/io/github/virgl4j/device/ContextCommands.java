package io.github.virgl4j.device;

import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.renderer.CapsetInfo;
import io.github.virgl4j.renderer.RendererException;
import io.github.virgl4j.virgl.VirglUploads;
import java.nio.ByteBuffer;

/** 3D context commands and capsets (virtio spec 5.7.6.9 and GET_CAPSET_INFO/GET_CAPSET). */
final class ContextCommands {
    private static final GpuResponse OK = GpuResponse.OkNoData.INSTANCE;
    /** Largest box extent virglrenderer accepts (16384 texels; 2048 layers fit under it too). */
    private static final long MAX_EXTENT = 16384;

    private final DeviceState s;

    ContextCommands(DeviceState state) {
        this.s = state;
    }

    GpuResponse capsetInfo(GpuCommand.GetCapsetInfo c) {
        int index = c.capsetIndex();
        if (index < 0 || index >= s.capsets.size()) {
            throw GpuError.parameter("no capset at index " + Integer.toUnsignedString(index));
        }
        CapsetInfo info = s.capsets.get(index);
        return new GpuResponse.OkCapsetInfo(info.id(), info.maxVersion(), info.maxSize());
    }

    GpuResponse capset(GpuCommand.GetCapset c) {
        CapsetInfo info = s.capsets.stream().filter(i -> i.id() == c.capsetId()).findFirst()
                .orElseThrow(() -> GpuError.parameter("unknown capset " + c.capsetId()));
        if (c.capsetVersion() < 0 || c.capsetVersion() > info.maxVersion()) {
            throw GpuError.parameter("capset " + info.id() + " has no version " + c.capsetVersion());
        }
        return new GpuResponse.OkCapset(s.renderer().capset(info.id(), c.capsetVersion()));
    }

    GpuResponse create(GpuCommand.CtxCreate c) {
        int guestCtx = c.header().ctxId();
        if (guestCtx == 0 || s.contexts.containsKey(guestCtx)) {
            throw GpuError.context("context id " + Integer.toUnsignedString(guestCtx) + " is 0 or in use");
        }
        int capset = c.capsetId();
        if (capset != 0 && s.capsets.stream().noneMatch(i -> i.id() == capset)) {
            throw GpuError.parameter("context_init asks for capset " + capset + ", which is not offered");
        }
        if (s.contexts.size() >= s.config.limits().maxContexts()) {
            throw GpuError.outOfMemory("context limit " + s.config.limits().maxContexts() + " reached");
        }
        try {
            s.contexts.put(guestCtx, s.renderer().createContext(capset, c.debugText()));
        } catch (RendererException e) {
            throw ResourceCommands.rendererError(e, null);
        }
        return OK;
    }

    GpuResponse destroy(GpuCommand.CtxDestroy c) {
        int guestCtx = c.header().ctxId();
        int ctx = s.rendererContext(guestCtx);
        for (Resource r : s.resources.values()) {
            r.contexts.remove(guestCtx);
        }
        s.contexts.remove(guestCtx);
        s.renderer().destroyContext(ctx);
        return OK;
    }

    GpuResponse attach(GpuCommand.CtxAttachResource c) {
        int ctx = s.rendererContext(c.header().ctxId());
        Resource3d r = s.resource3d(c.resourceId());
        if (r.contexts.add(c.header().ctxId())) {
            s.renderer().attachToContext(ctx, r.handle);
        }
        return OK;
    }

    GpuResponse detach(GpuCommand.CtxDetachResource c) {
        int ctx = s.rendererContext(c.header().ctxId());
        Resource3d r = s.resource3d(c.resourceId());
        if (r.contexts.remove(c.header().ctxId())) {
            s.renderer().detachFromContext(ctx, r.handle);
        }
        return OK;
    }

    GpuResponse submit(GpuCommand.Submit3d c) {
        int ctx = s.rendererContext(c.header().ctxId());
        int size = c.size();
        if (size > s.config.limits().maxSubmitBytes()) {
            throw GpuError.outOfMemory("SUBMIT_3D of " + size + " bytes exceeds the limit");
        }
        if (size % 4 != 0) {
            throw GpuError.parameter("SUBMIT_3D size " + size + " is not whole dwords");
        }
        CopyRegionCheck.check(c.commands(), id -> s.resources.get(id) instanceof Resource3d r ? r.args : null);
        ByteBuffer commands = s.translating ? s.translateStream(c.commands()) : c.commands();
        if (s.tap != null) {
            tapUploads(c.commands());
        }
        try {
            if (c.header().isFenced()) {
                s.pendingFence = s.renderer().submitFenced(ctx, commands); // one render-thread trip
            } else {
                s.renderer().submit(ctx, commands);
            }
        } catch (RendererException e) {
            throw ResourceCommands.rendererError(e, null);
        }
        s.submitBytes += size;
        return OK;
    }

    /**
     * Tells the tap which backing bytes the stream's in-stream transfers make the renderer read:
     * the source's bytes, in rows shaped by the layout resource (a copy transfer's destination),
     * as far as the source's backing reaches.
     */
    private void tapUploads(ByteBuffer stream) {
        for (VirglUploads.Upload u : VirglUploads.of(stream)) {
            if (s.resources.get(u.source()) instanceof Resource3d src && src.backing != null
                    && s.resources.get(u.layout()) instanceof Resource3d layout) {
                long w = Integer.toUnsignedLong(u.w());
                long h = Integer.toUnsignedLong(u.h());
                long d = Integer.toUnsignedLong(u.d());
                if (w == 0 || h == 0 || d == 0 || h > MAX_EXTENT || d > MAX_EXTENT
                        || w > MAX_EXTENT && layout.args.target() != 0) {
                    continue; // the renderer refuses such a box: it reads nothing
                }
                long stride = Math.min(Integer.toUnsignedLong(u.stride()), Integer.MAX_VALUE);
                long layer = Math.min(Integer.toUnsignedLong(u.layerStride()), Integer.MAX_VALUE);
                long end = Math.min(layout.transferEnd(w, h, d, u.level(), u.offset(), stride, layer),
                        src.backing.length());
                s.tapBackingRead(src, u.offset(), end);
            }
        }
    }
}
