package io.github.virgl4j.device;

import io.github.virgl4j.device.protocol.DisplayMode;
import io.github.virgl4j.device.protocol.Edid;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.device.protocol.Rect;
import io.github.virgl4j.device.protocol.VirtioGpuFormat;
import io.github.virgl4j.renderer.Box;
import io.github.virgl4j.renderer.RendererException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Scanouts, display info, EDID and the cursor (virtio spec 5.7.6.8, 5.7.6.10). */
final class DisplayCommands {
    private static final GpuResponse OK = GpuResponse.OkNoData.INSTANCE;

    private final DeviceState s;

    DisplayCommands(DeviceState state) {
        this.s = state;
    }

    GpuResponse displayInfo() {
        List<DisplayMode> modes = new ArrayList<>();
        for (int i = 0; i < s.scanouts.length; i++) {
            modes.add(new DisplayMode(new Rect(0, 0, s.config.width(), s.config.height()), true, 0));
        }
        return new GpuResponse.OkDisplayInfo(modes);
    }

    GpuResponse edid(GpuCommand.GetEdid c) {
        s.scanout(c.scanoutId());
        return new GpuResponse.OkEdid(Edid.generate(s.config.width(), s.config.height()));
    }

    GpuResponse setScanout(GpuCommand.SetScanout c) {
        DeviceState.Scanout out = s.scanout(c.scanoutId());
        if (c.resourceId() == 0) {
            out.resourceId = 0;
            s.display.onScanoutDisabled(c.scanoutId());
            return OK;
        }
        Resource r = s.resource(c.resourceId());
        if (c.rect().w() <= 0 || c.rect().h() <= 0 || !DeviceState.inside(c.rect(), r.width(), r.height())) {
            throw GpuError.parameter("scanout rect outside resource " + r.id);
        }
        out.resourceId = r.id;
        out.rect = c.rect();
        out.blob = null;
        emitFrame(c.scanoutId());
        return OK;
    }

    GpuResponse setScanoutBlob(GpuCommand.SetScanoutBlob c) {
        if (BlobScanout.set(s, c)) {
            emitFrame(c.scanoutId());
        }
        return OK;
    }

    /**
     * A flush of a resource no scanout shows is a no-op, as in QEMU and crosvm. A blob has no
     * size of its own: its rect is checked against the framebuffer of each scanout showing it.
     */
    GpuResponse flush(GpuCommand.ResourceFlush c) {
        Resource r = s.resource(c.resourceId());
        boolean blob = BlobScanout.isBlob(r);
        if (!blob && !DeviceState.inside(c.rect(), r.width(), r.height())) {
            throw GpuError.parameter("flush rect outside resource " + r.id);
        }
        for (DeviceState.Scanout out : s.scanouts) {
            BlobFramebuffer fb = out.resourceId == r.id ? out.blob : null;
            if (blob && fb != null && !DeviceState.inside(c.rect(), fb.width(), fb.height())) {
                throw GpuError.parameter("flush rect outside the blob framebuffer of resource " + r.id);
            }
        }
        for (int i = 0; i < s.scanouts.length; i++) {
            if (s.scanouts[i].resourceId == r.id) {
                emitFrame(i);
            }
        }
        return OK;
    }

    GpuResponse updateCursor(GpuCommand.UpdateCursor c) {
        int scanout = c.pos().scanoutId();
        s.scanout(scanout);
        int[] image = new int[0];
        if (c.resourceId() != 0) {
            Resource r = s.resource(c.resourceId());
            if (r instanceof ResourceBlob) {
                image = BlobScanout.cursor(s, r);
            } else if (r.width() != CursorState.SIZE || r.height() != CursorState.SIZE) {
                throw GpuError.parameter("cursor resource must be 64x64");
            } else {
                image = pixels(r, new Rect(0, 0, CursorState.SIZE, CursorState.SIZE));
            }
        }
        s.display.onCursor(new CursorState(scanout, c.pos().x(), c.pos().y(), c.hotX(), c.hotY(), image));
        return OK;
    }

    GpuResponse moveCursor(GpuCommand.MoveCursor c) {
        s.scanout(c.pos().scanoutId());
        s.display.onCursor(new CursorState(c.pos().scanoutId(), c.pos().x(), c.pos().y(), 0, 0, null));
        return OK;
    }

    /** A frame of what scanout shows now. */
    private void emitFrame(int scanoutId) {
        DeviceState.Scanout out = s.scanouts[scanoutId];
        Resource r = s.resource(out.resourceId);
        Rect rect = out.rect;
        int[] argb = out.blob != null ? BlobScanout.pixels(s, r, out.blob, rect) : pixels(r, rect);
        s.frames++;
        Frame frame = new Frame(scanoutId, s.frameSequence++, rect.w(), rect.h(), argb);
        if (s.tap != null) {
            s.tap.frame(frame);
        }
        s.display.onFrame(frame);
    }

    /** The rect of a resource as ARGB: from the Java copy (2D) or read back from the renderer (3D). */
    private int[] pixels(Resource r, Rect rect) {
        if (r instanceof Resource2d r2) {
            return r2.argb(rect);
        }
        if (!(r instanceof Resource3d r3)) {
            throw GpuError.parameter("a guest blob has no size of its own; use SET_SCANOUT_BLOB");
        }
        VirtioGpuFormat format = VirtioGpuFormat.fromCode(r3.args.format());
        if (format == null) {
            throw GpuError.parameter("cannot show virgl format " + r3.args.format() + " on a scanout");
        }
        return readTexture(s, r3, format, rect);
    }

    /** Reads rect of level 0 of a renderer texture, decoding its pixels as format. */
    static int[] readTexture(DeviceState s, Resource3d r3, VirtioGpuFormat format, Rect rect) {
        ByteBuffer px = ByteBuffer.allocateDirect(rect.w() * rect.h() * 4).order(ByteOrder.LITTLE_ENDIAN);
        try {
            s.renderer().read(r3.handle, 0, 0, rect.w() * 4, Box.of2d(rect.x(), rect.y(), rect.w(), rect.h()), px);
        } catch (RendererException e) {
            throw ResourceCommands.rendererError(e, null);
        }
        int[] out = new int[rect.w() * rect.h()];
        for (int i = 0; i < out.length; i++) {
            out[i] = format.toArgb(px.getInt(i * 4));
        }
        return out;
    }
}
