package io.github.virgl4j.transport.vhostuser;

import io.github.virgl4j.device.CursorState;
import io.github.virgl4j.device.DisplayListener;
import io.github.virgl4j.device.Frame;
import java.util.function.Supplier;

/**
 * Routes a device's output to QEMU's current display socket (which GPU_SET_SOCKET may replace
 * at any time, or which may be absent) and to the user's own listener.
 */
final class DisplayRouter implements DisplayListener {
    private final Supplier<GpuDisplaySocket> current;
    private final DisplayListener user;

    DisplayRouter(Supplier<GpuDisplaySocket> current, DisplayListener user) {
        this.current = current;
        this.user = user;
    }

    @Override
    public void onFrame(Frame frame) {
        GpuDisplaySocket d = current.get();
        if (d != null) {
            d.onFrame(frame);
        }
        user.onFrame(frame);
    }

    @Override
    public void onScanoutDisabled(int scanoutId) {
        GpuDisplaySocket d = current.get();
        if (d != null) {
            d.onScanoutDisabled(scanoutId);
        }
        user.onScanoutDisabled(scanoutId);
    }

    @Override
    public void onCursor(CursorState cursor) {
        GpuDisplaySocket d = current.get();
        if (d != null) {
            d.onCursor(cursor);
        }
        user.onCursor(cursor);
    }
}
