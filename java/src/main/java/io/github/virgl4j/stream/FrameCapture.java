package io.github.virgl4j.stream;

import io.github.virgl4j.device.Frame;
import io.github.virgl4j.device.protocol.GpuCommand;
import io.github.virgl4j.device.protocol.GpuResponse;
import io.github.virgl4j.device.protocol.VirtioGpuFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the frames each request of a device produces, the same way when recording and when
 * replaying: scanout frames as the device shows them ({@link io.github.virgl4j.device.CommandTap#frame}),
 * and readback frames, the
 * TRANSFER_FROM_HOST_3D of a display-target resource (how Mesa's vtest winsys presents a frame:
 * it reads the front buffer into its shared memory and puts that on the X window), from the
 * bytes the device reports writing into guest memory.
 */
final class FrameCapture {
    /** VIRGL_BIND_DISPLAY_TARGET and VIRGL_BIND_SCANOUT (virgl_hw.h). */
    static final int PRESENTABLE_BINDS = 1 << 7 | 1 << 18;

    private record Target(VirtioGpuFormat format, int width) {
    }

    private final Map<Integer, Target> targets = new HashMap<>();
    private final List<CapturedFrame> frames = new ArrayList<>();
    private GpuCommand.TransferFromHost3d readback;
    private long sequence;

    /** A request is about to run. */
    void request(GpuCommand command) {
        readback = command instanceof GpuCommand.TransferFromHost3d t && t.level() == 0
                && targets.containsKey(t.resourceId()) && t.box().d() == 1 ? t : null;
    }

    /** The current request wrote bytes into a resource's backing. */
    void backingWritten(int resourceId, ByteBuffer bytes) {
        GpuCommand.TransferFromHost3d t = readback;
        Target target = targets.get(resourceId);
        if (t == null || t.resourceId() != resourceId || target == null) {
            return;
        }
        int w = t.box().w();
        int h = t.box().h();
        long pitch = t.stride() != 0 ? Integer.toUnsignedLong(t.stride()) : (long) target.width() * 4;
        if (w <= 0 || h <= 0 || w > 16384 || h > 16384 || pitch < w * 4L
                || bytes.remaining() < (h - 1) * pitch + w * 4L) {
            return; // not a whole picture: no frame
        }
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int base = b.position();
        int[] argb = new int[w * h];
        for (int y = 0; y < h; y++) {
            int row = (int) (base + y * pitch);
            for (int x = 0; x < w; x++) {
                argb[y * w + x] = target.format().toArgb(b.getInt(row + x * 4));
            }
        }
        frames.add(new CapturedFrame(FrameKind.READBACK, resourceId, new Frame(0, sequence++, w, h, argb)));
    }

    /** The current request finished with response. */
    void responded(GpuCommand command, GpuResponse response) {
        readback = null;
        if (!response.isOk()) {
            return;
        }
        if (command instanceof GpuCommand.ResourceCreate3d c && (c.bind() & PRESENTABLE_BINDS) != 0) {
            VirtioGpuFormat f = VirtioGpuFormat.fromCode(c.format());
            if (f != null && c.target() != 0) {
                targets.put(c.resourceId(), new Target(f, c.width()));
            }
        } else if (command instanceof GpuCommand.ResourceUnref u) {
            targets.remove(u.resourceId());
        }
    }

    /** The device was reset: its resources are gone. */
    void reset() {
        targets.clear();
        frames.clear();
        readback = null;
    }

    /** The frames produced since the last call, in order. */
    List<CapturedFrame> take() {
        List<CapturedFrame> out = List.copyOf(frames);
        frames.clear();
        return out;
    }

    /** The device showed a frame on a scanout. */
    void scanout(Frame frame) {
        frames.add(new CapturedFrame(FrameKind.SCANOUT, frame.scanoutId(), frame));
    }
}
