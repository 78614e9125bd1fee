package io.github.virgl4j.transport.vhostuser;

import io.github.virgl4j.device.CursorState;
import io.github.virgl4j.device.Frame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encoders for the display-socket requests (vhost-user-gpu.rst, "Payload types"); every
 * method returns a whole message (header with flags 0, then the payload) in host byte order.
 */
public final class VhostGpuMessages {
    private VhostGpuMessages() {
    }

    /** UPDATE header bytes before the pixels: scanout, x, y, w, h. */
    public static final int UPDATE_HEADER = 20;
    /** CURSOR_UPDATE payload: pos (12), hot_x, hot_y, 64x64 u32. */
    public static final int CURSOR_UPDATE_SIZE = 12 + 8 + CursorState.SIZE * CursorState.SIZE * 4;

    private static ByteBuffer message(VhostGpuRequest r, int payloadSize) {
        ByteBuffer b = ByteBuffer.allocateDirect(VhostUserHeader.SIZE + payloadSize).order(ByteOrder.nativeOrder());
        return b.putInt(r.code()).putInt(0).putInt(payloadSize);
    }

    /** A request without payload (GET_PROTOCOL_FEATURES, GET_DISPLAY_INFO). */
    public static ByteBuffer empty(VhostGpuRequest r) {
        return message(r, 0).flip();
    }

    public static ByteBuffer setProtocolFeatures(long features) {
        return message(VhostGpuRequest.SET_PROTOCOL_FEATURES, 8).putLong(features).flip();
    }

    public static ByteBuffer getEdid(int scanoutId) {
        return message(VhostGpuRequest.GET_EDID, 4).putInt(scanoutId).flip();
    }

    /** SCANOUT: sets (or, with 0x0, disables) a scanout's size. */
    public static ByteBuffer scanout(int scanoutId, int width, int height) {
        return message(VhostGpuRequest.SCANOUT, 12).putInt(scanoutId).putInt(width).putInt(height).flip();
    }

    /**
     * UPDATE of rows {@code [y, y+rows)} of a frame: scanout, x=0, y, w, rows, then the
     * pixels as x8r8g8b8 (each ARGB int in host order).
     */
    public static ByteBuffer update(Frame f, int y, int rows) {
        if (y < 0 || rows <= 0 || y + rows > f.height()) {
            throw new IllegalArgumentException("rows " + y + "+" + rows + " outside a " + f.height() + "-row frame");
        }
        int pixels = f.width() * rows;
        ByteBuffer b = message(VhostGpuRequest.UPDATE, UPDATE_HEADER + pixels * 4);
        b.putInt(f.scanoutId()).putInt(0).putInt(y).putInt(f.width()).putInt(rows);
        b.asIntBuffer().put(f.argb(), y * f.width(), pixels);
        b.position(b.position() + pixels * 4);
        return b.flip();
    }

    /** CURSOR_POS, CURSOR_POS_HIDE or CURSOR_UPDATE for a cursor event of the device. */
    public static ByteBuffer cursor(CursorState c) {
        if (c.image() == null || c.hidden()) {
            VhostGpuRequest r = c.hidden() ? VhostGpuRequest.CURSOR_POS_HIDE : VhostGpuRequest.CURSOR_POS;
            return message(r, 12).putInt(c.scanoutId()).putInt(c.x()).putInt(c.y()).flip();
        }
        if (c.image().length != CursorState.SIZE * CursorState.SIZE) {
            throw new IllegalArgumentException("cursor image of " + c.image().length + " pixels");
        }
        ByteBuffer b = message(VhostGpuRequest.CURSOR_UPDATE, CURSOR_UPDATE_SIZE);
        b.putInt(c.scanoutId()).putInt(c.x()).putInt(c.y()).putInt(c.hotX()).putInt(c.hotY());
        b.asIntBuffer().put(c.image());
        b.position(b.position() + c.image().length * 4);
        return b.flip();
    }
}
